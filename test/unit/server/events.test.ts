import { describe, expect, it, vi } from 'vitest'
import { AGENT_KEY, agentSend, openEvents, startServer, visitor } from './helpers.js'

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

  it('starts with a retry interval of one second', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const response = await fetch(`${server.url}/v1/events`, { headers: { authorization: `Bearer ${v.token}` } })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = response.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first.startsWith('retry: 1000\n\n')).toBe(true)
    await reader.cancel()
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
    expect(event).toEqual({
      id: '',
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
