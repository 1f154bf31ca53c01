import fs, { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { openStore, type Store } from '../../../examples/server/store.js'
import { agentSend, openEvents, startServer, visitor } from './helpers.js'

const EXP = 4_000_000_000

afterEach(() => {
  vi.restoreAllMocks()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'confab-compaction-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A store on `dir` with a fixed clock and a short resume log, so trimming it is part of the state. */
function open(dir: string, compactEvery = Infinity): Store {
  let time = 1_000
  const store = openStore({ dataDir: dir, eventLogSize: 4, compactEvery, now: () => (time += 1000) })
  onTestFinished(() => store.close())
  return store
}

/** A history with every kind of record: visitors, conversations, messages, a close, users, a merge. */
function fill(store: Store) {
  const anna = store.createVisitor()
  const ben = store.createVisitor()
  const order = store.createConversation(anna.id, { mode: 'messaging', subject: 'Order 12' })
  const chat = store.createConversation(ben.id, { mode: 'chat' })
  for (let i = 0; i < 5; i++) store.addMessage(order.id, { author: { role: 'visitor', id: anna.id }, text: `hello ${i}`, clientId: `a${i}` })
  store.addMessage(chat.id, { author: { role: 'agent', name: 'Agent' }, text: 'Hi there' })
  store.closeConversation(chat.id)
  const { user } = store.startUserSession({ sub: 'user-1', exp: EXP, name: 'Ada', iat: 100 })
  store.mergeVisitor(anna.id, user.id)
  store.startUserSession({ sub: 'user-1', exp: EXP, email: 'ada@example.com', iat: 200 })
  store.addMessage(order.id, { author: { role: 'visitor', id: user.id }, text: 'now signed in', clientId: 'u1' })
  return { order, chat, user }
}

/** Everything a caller of the store can see, and the state a compaction writes. */
function observed(store: Store) {
  const state = store.snapshot()
  return {
    state,
    events: Array.from({ length: store.lastEventId() + 1 }, (_, cursor) => store.since(cursor)),
    threads: store.listConversations({ limit: Infinity }).threads.map((t) => ({ ...t, byClientId: [...t.byClientId] })),
    tokens: state.tokens.map(([token]) => store.visitorByToken(token)),
    resumed: state.visitors.map((v) => ('resumeKey' in v ? store.visitorByResumeKey(v.resumeKey) ?? null : null))
  }
}

/** The state the whole journal of `dir` replays to, read from a copy (so `dir` is left alone). */
function replayed(dir: string) {
  const copy = tempDir()
  cpSync(dir, copy, { recursive: true })
  return observed(open(copy))
}

describe('journal compaction', () => {
  it('reopens a compacted store with exactly the state the whole journal replays to', () => {
    const dir = tempDir()
    const store = open(dir)
    fill(store)
    const expected = replayed(dir)

    store.compact()
    store.close()
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe('{"follows":15}\n')
    expect(observed(open(dir))).toEqual(expected)
  })

  it('keeps the records that come after a compaction, and the next compaction counts on from there', () => {
    const dir = tempDir()
    const store = open(dir)
    const { order } = fill(store)
    store.compact()
    store.addMessage(order.id, { author: { role: 'agent', name: 'Agent' }, text: 'after the snapshot' })
    const expected = observed(store)
    store.close()

    const reopened = open(dir)
    expect(observed(reopened)).toEqual(expected)
    reopened.compact()
    reopened.close()
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe('{"follows":16}\n')
    expect(observed(open(dir))).toEqual(expected)
  })

  it('compacts by itself every compactEvery records, and on opening a longer journal', () => {
    const dir = tempDir()
    const store = open(dir, Infinity)
    fill(store)
    store.close()
    const expected = replayed(dir)

    // Opening a journal longer than compactEvery compacts it at once.
    const compacting = open(dir, 5)
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe('{"follows":15}\n')
    expect(observed(compacting)).toEqual(expected)
    const chat = compacting.listConversations({ limit: 1 }).threads[0]!.conversation
    for (let i = 0; i < 4; i++) compacting.addMessage(chat.id, { author: { role: 'agent', name: 'Agent' }, text: `more ${i}` })
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n')).toHaveLength(6)
    compacting.addMessage(chat.id, { author: { role: 'agent', name: 'Agent' }, text: 'the fifth' })
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe('{"follows":20}\n')
    const live = observed(compacting)
    compacting.close()
    expect(observed(open(dir))).toEqual(live)
  })

  it('finds the same user again after a restart from a snapshot', () => {
    const dir = tempDir()
    const store = open(dir)
    const { user } = fill(store)
    store.compact()
    store.close()
    const again = open(dir).startUserSession({ sub: 'user-1', exp: EXP })
    expect(again).toMatchObject({ created: false, user: { id: user.id, identified: { id: 'user-1', name: 'Ada', email: 'ada@example.com' } } })
  })

  it('loses nothing when a crash cuts the snapshot short: the old snapshot and whole journal still hold', () => {
    const dir = tempDir()
    const store = open(dir)
    fill(store)
    const expected = replayed(dir)
    const write = fs.writeSync
    vi.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, text: string) => {
      write(fd, text.slice(0, text.length / 2))
      throw new Error('power cut')
    }) as unknown as typeof fs.writeSync)
    expect(() => store.compact()).toThrow('power cut')
    store.close()

    expect(observed(open(dir))).toEqual(expected)
    expect(existsSync(join(dir, 'journal.snapshot.json.tmp'))).toBe(false)
  })

  it('loses nothing and applies nothing twice when a crash comes between the snapshot and the new journal', () => {
    const dir = tempDir()
    const store = open(dir)
    fill(store)
    const expected = replayed(dir)
    const rename = fs.renameSync
    let renames = 0
    vi.spyOn(fs, 'renameSync').mockImplementation(((from: string, to: string) => {
      if (++renames === 2) throw new Error('power cut')
      rename(from, to)
    }) as typeof fs.renameSync)
    expect(() => store.compact()).toThrow('power cut')
    vi.restoreAllMocks()
    store.close()

    // The new snapshot covers every record of the old journal, which is still whole.
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n')).toHaveLength(16)
    expect(observed(open(dir))).toEqual(expected)
  })

  it('refuses to start on a compacted journal whose snapshot is missing, saying so', () => {
    const dir = tempDir()
    const store = open(dir)
    fill(store)
    store.compact()
    store.close()
    rmSync(join(dir, 'journal.snapshot.json'))
    expect(() => openStore({ dataDir: dir })).toThrow(/journal\.snapshot\.json is missing/)
  })

  it('refuses to start on a damaged snapshot, naming it', () => {
    const dir = tempDir()
    const store = open(dir)
    fill(store)
    store.compact()
    store.close()
    writeFileSync(join(dir, 'journal.snapshot.json'), '{"covers":15,"state":{"vers')
    expect(() => openStore({ dataDir: dir })).toThrow(/journal\.snapshot\.json cannot be read as JSON/)
  })
})

describe('a server whose journal compacts', () => {
  it('resumes an event stream across a restart from the snapshot, with the events missed meanwhile', async () => {
    const server = await startServer({ compactEvery: 3 })
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    await agentSend(server, v.conversation.id, 'seen')
    const seen = await events.next()
    events.close()
    await agentSend(server, v.conversation.id, 'missed')
    await server.restart()
    expect(existsSync(join(server.dataDir, 'journal.snapshot.json'))).toBe(true)

    const resumed = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: seen.id })
    expect((await resumed.next()).data.message.text).toBe('missed')
    resumed.close()
  }, 20_000)
})
