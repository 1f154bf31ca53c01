import { afterEach, describe, expect, it } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import type { Transport, VisitorSession } from '../../../src/transports/types.js'
import { createContext, keyOf, type Room } from '../../../src/transports/xmpp/context.js'
import { createXmppTransport, type NetworkEvents, type XmppTransportOptions } from '../../../src/transports/xmpp/index.js'
import { noteStored } from '../../../src/transports/xmpp/live.js'
import { readOptions } from '../../../src/transports/xmpp/options.js'
import { createXmppAgent, type XmppAgent } from '../../support/xmpp/agent.js'
import { online, record } from '../../support/xmpp/events.js'
import { useXmppServer } from '../../support/xmpp/harness.js'

// Behaviour of the XMPP transport beyond the conformance kit, against a real Prosody on 127.0.0.1.
const env = useXmppServer('prosody')
const open: Transport[] = []

afterEach(() => {
  for (const transport of open.splice(0)) transport.close()
})

function transport(extra: Partial<XmppTransportOptions> = {}) {
  const made = createXmppTransport(env.options(extra))
  open.push(made)
  return made
}

/** `online`/`offline` events the test announces, as a browser's window would. */
function network() {
  const handlers = new Map<string, () => void>()
  const events: NetworkEvents = {
    addEventListener: (type, listener) => void handlers.set(type, listener),
    removeEventListener: (type) => void handlers.delete(type)
  }
  return { events, go: (type: 'online' | 'offline') => handlers.get(type)!() }
}

/** The agent writes `count` messages `prefix 1` … in order (sent together, stored in sending order). */
const flood = (id: string, prefix: string, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => env.agent.reply(id, `${prefix} ${i + 1}`)))

/** Act as the visitor's own account on another device (the owner of its rooms). */
async function asOwner(session: VisitorSession, run: (owner: XmppAgent) => Promise<void>) {
  const [, , username, password] = session.resumeKey!.split(':')
  const owner = await createXmppAgent(env.server, { username: username!, password: password!, nick: 'owner' })
  try {
    await run(owner)
  } finally {
    owner.close()
  }
}

describe('XMPP transport on Prosody', () => {
  it('reconnects after the connection is cut, rejoins, and delivers what was written meanwhile from the archive, once', async () => {
    // A reconnect delay long enough that the agent writes while the visitor is away.
    const visitor = transport({ reconnect: { base: 600, cap: 600 }, random: () => 0.99 })
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    await env.agent.reply(id, 'before the cut')
    await seen.until('the first reply', () => seen.texts().includes('before the cut'))
    const mark = seen.events.length
    await env.proxy.cut(session)
    await env.agent.reply(id, 'while away 1')
    await env.agent.reply(id, 'while away 2')
    await seen.until('online again', (list) => online(list, mark))
    await env.agent.reply(id, 'after the cut')
    await seen.until('the live reply', () => seen.texts().includes('after the cut'))
    expect(seen.texts()).toEqual(['before the cut', 'while away 1', 'while away 2', 'after the cut'])
    expect(seen.statuses().slice(-2)).toEqual(['reconnecting', 'online'])
    const page = await visitor.history(id)
    expect(page.messages.map((m) => m.text)).toEqual(seen.texts())
  })

  it('notices a half-open socket by its unanswered ping and reconnects', async () => {
    const visitor = transport({ keepalive: 150, timeout: 300 })
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    const mark = seen.events.length
    await env.proxy.freeze(session)
    await seen.until('reconnecting', (list) => list.slice(mark).some((e) => e.type === 'status' && e.status === 'reconnecting'))
    await seen.until('online again', (list) => online(list, mark))
    await env.agent.reply(id, 'heard after the freeze')
    await seen.until('the reply', () => seen.texts().includes('heard after the freeze'))
  })

  it('keeps pinging when the server answers a ping with an error, so a later half-open socket is still noticed', async () => {
    const visitor = transport({ keepalive: 150, timeout: 300 })
    const session = await visitor.connect({})
    await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    await env.proxy.refusePings(session)
    const mark = seen.events.length
    await env.proxy.freeze(session)
    await seen.until('reconnecting', (list) => list.slice(mark).some((e) => e.type === 'status' && e.status === 'reconnecting'))
  })

  it('goes online again after a reconnect when one room refuses the visitor, reporting that room and keeping the others', async () => {
    const visitor = transport({ login: 'account' })
    const session = await visitor.connect({})
    const gone = await visitor.createConversation({ mode: 'messaging' })
    const kept = await visitor.createConversation({ mode: 'messaging' })
    // The visitor's account, on another device, closes one conversation for good.
    await asOwner(session, (owner) => owner.destroy(gone.id))
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    const mark = seen.events.length
    await env.proxy.cut(session)
    await seen.until('online again', (list) => online(list, mark))
    expect(seen.events.slice(mark).some((e) => e.type === 'error' && e.error.message.includes(gone.id))).toBe(true)
    await env.agent.reply(kept.id, 'still here')
    await seen.until('the reply in the other room', () => seen.texts().includes('still here'))
  })

  it('connects a returning visitor whose first room was destroyed, lists the later room and creates a new one after both', async () => {
    const first = transport({ login: 'account' })
    const session = await first.connect({})
    const gone = await first.createConversation({ mode: 'messaging' })
    const kept = await first.createConversation({ mode: 'chat' })
    await asOwner(session, (owner) => owner.destroy(gone.id))
    first.close()
    const visitor = transport({ login: 'account' })
    await visitor.connect({ resumeKey: session.resumeKey })
    expect((await visitor.listConversations()).conversations.map((c) => c.id)).toEqual([kept.id])
    const made = await visitor.createConversation({ mode: 'messaging' })
    expect([gone.id, kept.id]).not.toContain(made.id)
    expect((await visitor.listConversations()).conversations.map((c) => c.id).sort()).toEqual([kept.id, made.id].sort())
    const seen = record(visitor)
    await env.agent.reply(made.id, 'in the new room')
    await seen.until('the reply in the new room', () => seen.texts().includes('in the new room'))
  })

  it('never reuses the number of a destroyed last room for a returning visitor’s new conversation', async () => {
    const first = transport({ login: 'account' })
    const session = await first.connect({})
    const kept = await first.createConversation({ mode: 'messaging' })
    const gone = await first.createConversation({ mode: 'messaging' })
    await asOwner(session, (owner) => owner.destroy(gone.id))
    first.close()
    const visitor = transport({ login: 'account' })
    await visitor.connect({ resumeKey: session.resumeKey })
    const made = await visitor.createConversation({ mode: 'chat' })
    expect([gone.id, kept.id]).not.toContain(made.id)
    expect((await visitor.listConversations()).conversations.map((c) => c.id).sort()).toEqual([kept.id, made.id].sort())
  })

  it('connects a returning visitor when one room refuses the join, reporting that room and listing the others', async () => {
    const first = transport({ login: 'account' })
    const session = await first.connect({})
    const locked = await first.createConversation({ mode: 'messaging' })
    const kept = await first.createConversation({ mode: 'messaging' })
    await asOwner(session, (owner) => owner.lock(locked.id, 'not the visitor’s'))
    first.close()
    const visitor = transport({ login: 'account' })
    const seen = record(visitor)
    await visitor.connect({ resumeKey: session.resumeKey })
    expect(seen.events.some((e) => e.type === 'error' && e.error.message.includes(locked.id))).toBe(true)
    expect((await visitor.listConversations()).conversations.map((c) => c.id)).toEqual([kept.id])
    const made = await visitor.createConversation({ mode: 'messaging' })
    expect([locked.id, kept.id]).not.toContain(made.id)
  })

  it('asks the client to reload its threads when a reconnect finds more missed messages than it replays', async () => {
    const { events, go } = network()
    const visitor = transport({ events })
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    go('offline')
    await seen.until('offline', () => seen.statuses().includes('offline'))
    await flood(id, 'missed', 520)
    const mark = seen.events.length
    go('online')
    await seen.until('online again', (list) => online(list, mark), 10_000)
    const after = seen.events.slice(mark)
    expect(after.findIndex((e) => e.type === 'reset')).toBeGreaterThan(-1)
    expect(after.findIndex((e) => e.type === 'reset')).toBeLessThan(after.findIndex((e) => e.type === 'status' && e.status === 'online'))
    // Live messages go on from the newest, and a later reconnect does not replay the gap again.
    await env.agent.reply(id, 'after the reload')
    await seen.until('the live reply', () => seen.texts().includes('after the reload'))
  })

  it('resumes a failed catch-up after the last page it read, not after a live message that arrived meanwhile', async () => {
    const { events, go } = network()
    const visitor = transport({ events })
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    go('offline')
    await seen.until('offline', () => seen.statuses().includes('offline'))
    await flood(id, 'missed', 60)
    // The catch-up reads its first page of 50; its second query never gets an answer.
    const held = env.proxy.holdArchiveQuery(session, 2)
    go('online')
    await held
    await env.agent.reply(id, 'live during the catch-up')
    await seen.until('the live message', () => seen.texts().includes('live during the catch-up'))
    const mark = seen.events.length
    await env.proxy.cut(session)
    await seen.until('online again', (list) => online(list, mark))
    const texts = seen.texts()
    expect(texts.filter((text) => text.startsWith('missed '))).toEqual(Array.from({ length: 60 }, (_, i) => `missed ${i + 1}`))
    expect(new Set(texts).size).toBe(texts.length)
  })

  it('does not send twice when a send’s answer was lost and the room stored more than a page of messages since', async () => {
    const visitor = transport({ timeout: 500 })
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const clientId = crypto.randomUUID()
    await env.proxy.loseNextAnswer(session, { keepOpen: true })
    await expect(visitor.send(id, { clientId, text: 'once only' })).rejects.toMatchObject({ code: 'timeout' })
    await flood(id, 'busy', 60)
    const sent = await visitor.send(id, { clientId, text: 'once only' })
    const oldest = await visitor.history(id, { after: '*' })
    expect(oldest.messages[0]).toMatchObject({ id: sent.id, clientId, text: 'once only' })
    expect((await visitor.history(id)).messages.map((m) => m.text)).not.toContain('once only')
  })

  it('goes offline when the device does, and reconnects as soon as it is back online', async () => {
    const handlers = new Map<string, () => void>()
    const events: NetworkEvents = {
      addEventListener: (type, listener) => void handlers.set(type, listener),
      removeEventListener: (type) => void handlers.delete(type)
    }
    // Without the online event, the next attempt would wait a minute.
    const visitor = transport({ events, reconnect: { base: 60_000, cap: 60_000 } })
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    handlers.get('offline')!()
    await seen.until('offline', () => seen.statuses().includes('offline'))
    handlers.get('online')!()
    await seen.until('online again', () => seen.statuses().lastIndexOf('online') > seen.statuses().indexOf('offline'))
    expect(seen.statuses()).toEqual(['online', 'offline', 'reconnecting', 'online'])
    await env.agent.reply(id, 'back')
    await seen.until('the reply', () => seen.texts().includes('back'))
  })

  it('reports the agent typing, and shows the visitor typing to the agent', async () => {
    const visitor = transport()
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    await env.agent.typing(id, true)
    await seen.until('typing', (list) => list.some((e) => e.type === 'typing' && e.typing && e.author.role === 'agent'))
    await env.agent.typing(id, false)
    await seen.until('typing stopped', (list) => list.some((e) => e.type === 'typing' && !e.typing))
    await visitor.setTyping!(id, true)
    await expect.poll(() => env.agent.states.filter((s) => s.room === id).map((s) => s.state)).toEqual(['composing'])
    // The visitor's own chat state, echoed by the room, is not reported back to it.
    expect(seen.events.filter((e) => e.type === 'typing').length).toBe(2)
  })

  it('invites the configured agents into every new conversation', async () => {
    const visitor = transport()
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    await expect.poll(() => env.agent.rooms.has(id)).toBe(true)
    await visitor.send(id, { clientId: crypto.randomUUID(), text: 'anyone there?' })
    await expect.poll(() => env.agent.seen.find((m) => m.room === id)).toMatchObject({ nick: session.visitorId, text: 'anyone there?' })
  })

  it('shows messages of a second session of the same visitor as the visitor’s, though it joined with another nick', async () => {
    const first = transport()
    const session = await first.connect({})
    const { id } = await first.createConversation({ mode: 'messaging', subject: 'Two tabs' })
    const seen = record(first)
    await seen.until('online', (list) => online(list))
    const second = transport()
    await second.connect({ resumeKey: session.resumeKey })
    expect(await second.getConversation(id)).toMatchObject({ id, mode: 'messaging', subject: 'Two tabs' })
    await second.send(id, { clientId: crypto.randomUUID(), text: 'from the other tab' })
    await seen.until('the other tab’s message', () => seen.texts().includes('from the other tab'))
    const message = seen.events.find((e) => e.type === 'message')
    expect(message?.type === 'message' && message.message.author).toEqual({ role: 'visitor', id: session.visitorId })
  })

  it('answers a cursor the archive does not know with not-found and status 410, so the client reloads the thread', async () => {
    const visitor = transport()
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const error = (await visitor.history(id, { after: 'no-such-archive-id' }).catch((caught: unknown) => caught)) as ConfabError
    expect([error.code, error.status, error.retryable]).toEqual(['not-found', 410, false])
  })

  it('fails calls with closed after close(), and refuses options it cannot use', async () => {
    const visitor = transport()
    await visitor.connect({})
    visitor.close()
    await expect(visitor.listConversations()).rejects.toMatchObject({ code: 'closed' })
    expect(() => createXmppTransport({ url: '', domain: 'x' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
  })
})

describe('XMPP transport memory', () => {
  it('remembers a bounded number of the visitor’s stored messages, the newest, over a long session', () => {
    const ctx = createContext(readOptions({ url: 'ws://127.0.0.1/xmpp', domain: 'localhost' }))
    const room = { id: 'c', conversation: { id: 'c', mode: 'messaging', status: 'open', createdAt: 0, updatedAt: 0 } } as Room
    for (let i = 0; i < 5000; i++) {
      noteStored(ctx, room, { id: `S${i}`, conversationId: 'c', clientId: `k${i}`, author: { role: 'visitor', id: 'v' }, text: 't', createdAt: i })
    }
    expect(ctx.stored.size).toBeLessThanOrEqual(1000)
    expect(ctx.stored.get(keyOf('c', 'k4999'))?.id).toBe('S4999')
  })
})
