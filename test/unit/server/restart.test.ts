import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createServer } from '../../../examples/server/app.js'
import { openEvents, startServer, visitor, type Message } from './helpers.js'

describe('restart', () => {
  it('keeps conversations, messages and tokens across a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent: Message[] = []
    for (const text of ['one', 'two', 'three']) sent.push((await v.send(text, `k-${text}`)).body)

    await server.restart()

    const list = await server.call('GET', '/v1/conversations', { token: v.token })
    expect(list.status).toBe(200)
    expect(list.body.conversations).toEqual([{ ...v.conversation, updatedAt: sent[2]!.createdAt, lastMessage: sent[2] }])
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages).toEqual(sent)
  })

  it('continues seq at n + 1 after a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('one')
    await v.send('two')
    await server.restart()
    expect((await v.send('three')).body.seq).toBe(3)
  })

  it('still answers a repeated clientId after a restart with the stored message', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await v.send('only once', 'retry-me')
    await server.restart()
    const again = await v.send('only once', 'retry-me')
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
  })

  it('resumes the same visitor by resume key after a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.restart()
    const session = await server.call('POST', '/v1/sessions', { body: { resumeKey: v.resumeKey } })
    expect(session.status).toBe(200)
    expect(session.body.visitorId).toBe(v.visitorId)
  })

  it('replays events missed across a restart and keeps ids increasing', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const before = await openEvents(server.url, '/v1/events', { token: v.token })
    await v.send('before restart')
    const seen = await before.next()
    before.close()
    await v.send('missed')

    await server.restart()
    await v.send('after restart')
    const resumed = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: seen.id })
    const missed = await resumed.next()
    const after = await resumed.next()
    expect([missed.data.message.text, after.data.message.text]).toEqual(['missed', 'after restart'])
    expect(Number(missed.id)).toBe(Number(seen.id) + 1)
    expect(Number(after.id)).toBe(Number(seen.id) + 2)
    resumed.close()
  })

  it('skips a torn last journal line and keeps working', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('safe')
    await server.stop()
    const journal = join(server.dataDir, 'journal.jsonl')
    appendFileSync(journal, '{"k":"message","eid":99,"message":{"id":"m_torn","conv')

    await server.restart()
    const next = await v.send('after the crash')
    expect(next.body.seq).toBe(2)
    // The torn bytes were cut off, so the journal reads cleanly again.
    await server.restart()
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages.map((m: Message) => m.text)).toEqual(['safe', 'after the crash'])
    expect(readFileSync(journal, 'utf8')).not.toContain('m_torn')
  })

  it('keeps a complete last record that only lost its newline', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('whole')
    await server.stop()
    const journal = join(server.dataDir, 'journal.jsonl')
    writeFileSync(journal, readFileSync(journal, 'utf8').replace(/\n$/, ''))

    await server.restart()
    await v.send('next')
    await server.restart()
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages.map((m: Message) => m.text)).toEqual(['whole', 'next'])
  })

  it('refuses to start on a journal damaged in the middle, naming the line', async () => {
    const server = await startServer()
    await visitor(server)
    await server.stop()
    const journal = join(server.dataDir, 'journal.jsonl')
    const lines = readFileSync(journal, 'utf8').split('\n')
    lines[0] = 'garbage'
    writeFileSync(journal, lines.join('\n'))
    expect(() => createServer({ dataDir: server.dataDir })).toThrow(/line 1/)
  })

  it('writes every acknowledged change to the journal before answering', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('durable', 'k-durable')
    const records = readFileSync(join(server.dataDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    expect(records.map((r) => r.k)).toEqual(['visitor', 'conversation', 'message'])
    expect(records[2].message).toMatchObject({ clientId: 'k-durable', text: 'durable', seq: 1 })
  })
})
