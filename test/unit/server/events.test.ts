import net from 'node:net'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { AGENT_KEY, agentSend, busyVisitor, openEvents, sleep, startServer, visitor } from './helpers.js'
import { createSseParser } from '../../../src/transports/http/sse.js'

describe('GET /v1/events', () => {
  it('delivers a message event live, with an id', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    const sent = await v.send('live')
    const event = await events.next()
    expect(event.event).toBe('message')
    expect(event.data).toEqual({ message: sent.body })
    expect(event.id).toMatch(/^\d+$/)
    events.close()
  })

  it('starts with a retry interval of one second and the newest event id, in a block without data', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('before')
    const response = await fetch(`${server.url}/v1/events`, { headers: { authorization: `Bearer ${v.token}` } })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = response.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    // Event 1 created the conversation, event 2 is the message.
    expect(first.startsWith('retry: 1000\nid: 2\n\n')).toBe(true)
    await reader.cancel()
  })

  it('starts a resumed stream with its resume point as the id, before the replay', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('missed')
    const response = await fetch(`${server.url}/v1/events`, { headers: { authorization: `Bearer ${v.token}`, 'last-event-id': '1' } })
    const ids: string[] = []
    const parser = createSseParser({ event: (event) => ids.push(`${event.event} ${event.id}`) })
    const reader = response.body!.getReader()
    while (ids.length === 0) parser.push((await reader.read()).value!)
    await reader.cancel()
    expect(ids).toEqual(['message 2'])
  })

  it('gives a client that reconnects before any event the events published while it was away', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await openEvents(server.url, '/v1/events', { token: v.token })
    // The id of a block without data: no event, but the SSE parser's last event id (an `EventSource`'s too).
    const parser = createSseParser({ event: () => {} })
    const response = await fetch(`${server.url}/v1/events`, { headers: { authorization: `Bearer ${v.token}` } })
    const reader = response.body!.getReader()
    parser.push((await reader.read()).value!)
    await reader.cancel()
    first.close()
    await v.send('in the gap')
    const again = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: parser.id })
    expect((await again.next()).data.message.text).toBe('in the gap')
    again.close()
  })

  it('keeps an idle stream alive with a ping comment every 15 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      const server = await startServer()
      const v = await visitor(server)
      const response = await fetch(`${server.url}/v1/events`, { headers: { authorization: `Bearer ${v.token}` } })
      const reader = response.body!.getReader()
      await reader.read() // retry: 1000
      vi.advanceTimersByTime(15_000)
      expect(new TextDecoder().decode((await reader.read()).value)).toBe(': ping\n\n')
      await reader.cancel()
    } finally {
      vi.useRealTimers()
    }
  })

  it('sends a visitor only the events of its own conversations', async () => {
    const server = await startServer()
    const mine = await visitor(server)
    const other = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: mine.token })
    await other.send('not for you')
    await mine.send('for you')
    expect((await events.next()).data.message.text).toBe('for you')
    expect(await events.idle(50)).toEqual([])
    events.close()
  })

  it('replays exactly the missed events after Last-Event-ID, then goes live', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await openEvents(server.url, '/v1/events', { token: v.token })
    await v.send('one')
    const seen = await first.next()
    first.close()
    await v.send('two')
    await v.send('three')

    const resumed = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: seen.id })
    await v.send('four')
    const texts = []
    for (let i = 0; i < 3; i++) texts.push((await resumed.next()).data.message.text)
    expect(texts).toEqual(['two', 'three', 'four'])
    expect(await resumed.idle(50)).toEqual([])
    resumed.close()
  })

  it('accepts the resume point as ?cursor= too', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('one')
    await v.send('two')
    const events = await openEvents(server.url, '/v1/events?cursor=0', { token: v.token })
    expect((await events.next()).event).toBe('conversation')
    expect((await events.next()).data.message.text).toBe('one')
    expect((await events.next()).data.message.text).toBe('two')
    events.close()
  })

  it('sends reset when the cursor is older than the events kept', async () => {
    const server = await startServer({ eventLogSize: 2 })
    const v = await visitor(server)
    for (let i = 0; i < 6; i++) await v.send(`m${i}`)
    const events = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: '1' })
    const reset = await events.next()
    expect(reset).toEqual({ id: '7', event: 'reset', data: {} })
    await v.send('after the reset')
    expect(await events.next()).toMatchObject({ id: '8', event: 'message' })
    events.close()
  })

  it('sends reset when the cursor is newer than any event the server has', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: '999' })
    expect(await events.next()).toEqual({ id: '1', event: 'reset', data: {} })
    events.close()
  })

  it('refuses a malformed Last-Event-ID with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const response = await fetch(`${server.url}/v1/events`, {
      headers: { authorization: `Bearer ${v.token}`, 'last-event-id': 'abc' }
    })
    expect(response.status).toBe(400)
  })

  it('accepts the token as ?token= for clients that cannot set headers', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const response = await fetch(`${server.url}/v1/events?token=${v.token}`)
    expect(response.status).toBe(200)
    await response.body!.cancel()
  })

  it('brings an agent reply to the visitor stream', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    await agentSend(server, v.conversation.id, 'How can I help?')
    const { data } = await events.next()
    expect(data.message).toMatchObject({ text: 'How can I help?', seq: 1, author: { role: 'agent' } })
    events.close()
  })

  it('tells the visitor that a conversation was closed', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/close`, { token: AGENT_KEY })
    const event = await events.next()
    expect(event.event).toBe('conversation')
    expect(event.data.conversation).toMatchObject({ id: v.conversation.id, status: 'closed' })
    events.close()
  })

  it('passes agent typing to the visitor without an event id of its own', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    const typing = await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/typing`, {
      token: AGENT_KEY,
      body: { typing: true }
    })
    expect(typing.status).toBe(204)
    const event = await events.next()
    // The id the stream started with (event 1 created the conversation), carried over by the SSE rules.
    expect(event).toEqual({
      id: '1',
      event: 'typing',
      data: { conversationId: v.conversation.id, author: { role: 'agent', name: 'Agent' }, typing: true }
    })
    events.close()
  })

  it('does not echo the visitor typing back to the visitor', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const mine = await openEvents(server.url, '/v1/events', { token: v.token })
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    await server.call('POST', `/v1/conversations/${v.conversation.id}/typing`, { token: v.token, body: { typing: true } })
    expect((await agents.next()).data).toMatchObject({ typing: true, author: { role: 'visitor', id: v.visitorId } })
    expect(await mine.idle(50)).toEqual([])
    mine.close()
    agents.close()
  })

  it('delivers a resume whose replay exceeds 1 MiB on one stream, not cutting it as a slow client', async () => {
    // 300 messages of ~4.5 KB: a 1.4 MB replay, written in one tick before the client could read any.
    const { server, someone } = await busyVisitor(300, 4500)
    const events = await openEvents(server.url, '/v1/events', { token: someone.token, lastEventId: '0' })
    const ended = await Promise.race([events.ended.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 3000))])
    const messages = (await events.idle(0)).filter((event) => event.event === 'message')
    events.close()
    expect({ ended, replayed: messages.length }).toEqual({ ended: false, replayed: 300 })
  }, 30_000)

  it('drops a client that reads nothing while over 1 MiB of live events piles up', async () => {
    const server = await startServer()
    const v = await visitor(server)
    // A raw socket that never reads: the kernel buffers fill up, then Node holds the rest.
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1')
    onTestFinished(() => void socket.destroy())
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.pause()
    socket.write(`GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${v.token}\r\n\r\n`)
    await sleep(50)
    // 60 KB a write, up to 30 MB: far past any kernel buffer plus 1 MiB.
    const chunk = `data: ${'x'.repeat(60_000)}\n\n`
    const reached: number[] = []
    for (let i = 0; i < 500 && reached.at(-1) !== 0; i++) {
      const answer = await server.call('POST', `/v1/_faults/visitors/${v.visitorId}`, { token: AGENT_KEY, body: { sendRaw: chunk } })
      reached.push(answer.body.streams)
    }
    expect(reached[0]).toBe(1)
    expect(reached.at(-1)).toBe(0)
  }, 60_000)

  it('ends open streams when the server closes, quickly', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    const started = Date.now()
    await server.stop()
    await events.ended
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('GET /v1/agent/events', () => {
  it('delivers every visitor event, with the visitor id on conversations', async () => {
    const server = await startServer()
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    const v = await visitor(server)
    const created = await agents.next()
    expect(created.event).toBe('conversation')
    expect(created.data.conversation).toMatchObject({ id: v.conversation.id, visitorId: v.visitorId })
    await v.send('hello agents')
    expect((await agents.next()).data.message.text).toBe('hello agents')
    agents.close()
  })

  it('refuses a wrong agent key with 401', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/v1/agent/events`, { headers: { authorization: 'Bearer nope' } })
    expect(response.status).toBe(401)
  })
})
