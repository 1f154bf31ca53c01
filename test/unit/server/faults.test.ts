import { describe, expect, it } from 'vitest'
import { AGENT_KEY, agentSend, openEvents, startServer, visitor, type TestServer } from './helpers.js'

describe('fault injection', () => {
  it('can be switched on from the options', async () => {
    const server = await startServer({ faults: { fail503: 1 } })
    expect((await server.call('POST', '/v1/sessions', { body: {} })).status).toBe(503)
  })

  it('is off by default', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (let i = 0; i < 10; i++) expect((await v.send(`m${i}`)).status).toBe(201)
  })

  it('refuses visitor requests with 503 and Retry-After when fail503 is 1', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { fail503: 1 } })
    const { status, headers, body } = await v.send('refused')
    expect(status).toBe(503)
    expect(headers.get('retry-after')).toBe('1')
    expect(body.error.code).toBe('unavailable')
    // The agent API is left alone.
    expect((await server.call('GET', '/v1/agent/conversations', { token: AGENT_KEY })).status).toBe(200)
  })

  it('stores a message but drops the response when dropAfterCommit is 1', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { dropAfterCommit: 1 } })
    await expect(v.send('lost answer', 'k-lost')).rejects.toThrow()
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: {} })
    const retry = await v.send('lost answer', 'k-lost')
    expect(retry.status).toBe(200)
    expect(retry.body.seq).toBe(1)
  })

  it('repeats the same failures for the same seed', async () => {
    const statuses = async () => {
      const server = await startServer()
      const v = await visitor(server)
      await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { fail503: 0.5, seed: 42 } })
      const seen = []
      for (let i = 0; i < 12; i++) seen.push((await v.send(`m${i}`)).status)
      return seen
    }
    const first = await statuses()
    expect(first).toContain(503)
    expect(first).toContain(201)
    expect(await statuses()).toEqual(first)
  })

  it('refuses a fault setting out of range with 400', async () => {
    const server = await startServer()
    const { status } = await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { fail503: 2 } })
    expect(status).toBe(400)
  })

  it('needs the agent key to change faults', async () => {
    const server = await startServer()
    expect((await server.call('POST', '/v1/_faults', { body: { fail503: 1 } })).status).toBe(401)
  })
})

describe('faults aimed at one visitor', () => {
  const aim = (server: TestServer, visitorId: string, body: Record<string, unknown>, token = AGENT_KEY) =>
    server.call('POST', `/v1/_faults/visitors/${visitorId}`, { token, body })

  it('refuses the next requests of that visitor only, with the status and Retry-After asked for', async () => {
    const server = await startServer()
    const target = await visitor(server)
    const other = await visitor(server)
    const { status, body } = await aim(server, target.visitorId, { refuseNext: 2, status: 429, retryAfter: 3 })
    expect(status).toBe(200)
    expect(body).toMatchObject({ refuseNext: 2, status: 429, retryAfter: 3, streams: 0 })

    expect((await other.send('unaffected')).status).toBe(201)
    for (let i = 0; i < 2; i++) {
      const refused = await target.send('slow down')
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe('3')
      expect(refused.body.error.code).toBe('rate-limited')
    }
    const stored = await target.send('after the limit')
    expect(stored.status).toBe(201)
    // Nothing refused was stored.
    expect(stored.body.seq).toBe(1)
  })

  it('refuses with 503 unavailable and Retry-After 1 by default', async () => {
    const server = await startServer()
    const target = await visitor(server)
    await aim(server, target.visitorId, { refuseNext: 1 })
    const refused = await target.send('refused')
    expect([refused.status, refused.body.error.code, refused.headers.get('retry-after')]).toEqual([503, 'unavailable', '1'])
  })

  it('stores the next POST of that visitor and cuts the connection instead of answering', async () => {
    const server = await startServer()
    const target = await visitor(server)
    await aim(server, target.visitorId, { dropNext: 1 })
    await expect(target.send('lost answer', 'k-drop')).rejects.toThrow()
    const retry = await target.send('lost answer', 'k-drop')
    expect([retry.status, retry.body.seq]).toEqual([200, 1])
  })

  it('refuses an expired session with 401 until the visitor starts a session again', async () => {
    const server = await startServer()
    const target = await visitor(server)
    await aim(server, target.visitorId, { expireSession: true })
    const path = `/v1/conversations/${target.conversation.id}`
    const refused = await server.call('GET', path, { token: target.token })
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized'])
    expect(refused.headers.get('www-authenticate')).toBe('Bearer')
    expect((await server.call('GET', path, { token: target.token })).status).toBe(401)

    const session = await server.call('POST', '/v1/sessions', { body: { resumeKey: target.resumeKey } })
    expect(session.body.visitorId).toBe(target.visitorId)
    expect((await server.call('GET', path, { token: session.body.token })).status).toBe(200)
  })

  it('ends the visitor’s open event streams, which resume by id', async () => {
    const server = await startServer()
    const target = await visitor(server)
    const other = await visitor(server)
    const mine = await openEvents(server.url, '/v1/events', { token: target.token })
    const theirs = await openEvents(server.url, '/v1/events', { token: other.token })
    const { body } = await aim(server, target.visitorId, { endStreams: true })
    expect(body.streams).toBe(1)
    await mine.ended
    await agentSend(server, other.conversation.id, 'still live')
    expect((await theirs.next()).data.message.text).toBe('still live')
    theirs.close()
  })

  it('writes raw text to the visitor’s open event streams', async () => {
    const server = await startServer()
    const target = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: target.token })
    const { body } = await aim(server, target.visitorId, { sendRaw: 'event: probe\ndata: {"raw":true}\n\n' })
    expect(body.streams).toBe(1)
    expect(await events.next()).toMatchObject({ event: 'probe', data: { raw: true } })
    events.close()
  })

  it('forgets the kept events on request, so a resume from before gets reset and then live events', async () => {
    const server = await startServer()
    const target = await visitor(server)
    await target.send('kept until forgotten')
    const forgotten = await server.call('POST', '/v1/_faults/forget-events', { token: AGENT_KEY })
    expect(forgotten).toMatchObject({ status: 200, body: { lastEventId: 2 } })
    expect((await server.call('POST', '/v1/_faults/forget-events', { token: target.token })).status).toBe(401)

    const events = await openEvents(server.url, '/v1/events', { token: target.token, lastEventId: '1' })
    expect(await events.next()).toMatchObject({ event: 'reset', id: '2' })
    await target.send('live')
    expect(await events.next()).toMatchObject({ event: 'message', id: '3', data: { message: { text: 'live' } } })
    events.close()
  })

  it('is cleared by POST /v1/_faults', async () => {
    const server = await startServer()
    const target = await visitor(server)
    await aim(server, target.visitorId, { refuseNext: 5, expireSession: true })
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: {} })
    expect((await target.send('fine again')).status).toBe(201)
  })

  it('refuses malformed settings with 400 and callers without the agent key with 401', async () => {
    const server = await startServer()
    const target = await visitor(server)
    for (const body of [{ refuseNext: -1 }, { refuseNext: 1.5 }, { status: 404 }, { retryAfter: 'soon' }, { expireSession: 1 }, { sendRaw: '' }]) {
      expect((await aim(server, target.visitorId, body)).status).toBe(400)
    }
    expect((await aim(server, 'not-a-visitor', { refuseNext: 1 })).status).toBe(400)
    expect((await aim(server, target.visitorId, { refuseNext: 1 }, target.token)).status).toBe(401)
  })
})
