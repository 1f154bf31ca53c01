import { describe, expect, it } from 'vitest'
import { AGENT_KEY, agentSend, startServer, visitor, type TestServer } from './helpers.js'
import { aim } from './ws-helpers.js'

/** Start `GET /v1/poll` and resolve once its status and headers arrived; `body()` waits for the batch. */
async function poll(server: TestServer, token: string, query: Record<string, string> = {}) {
  const started = Date.now()
  const controller = new AbortController()
  const response = await fetch(`${server.url}/v1/poll?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal
  })
  return {
    status: response.status,
    headers: response.headers,
    headersAfter: Date.now() - started,
    async body() {
      const text = await response.text()
      return { after: Date.now() - started, text, batch: response.status === 200 ? JSON.parse(text) : undefined }
    },
    abort: () => controller.abort()
  }
}

const texts = (batch: { events: any[] }) => batch.events.map((e) => e.message?.text ?? e.event)

describe('GET /v1/poll', () => {
  it('answers at once with the events after the cursor, in the WebSocket message shape', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await agentSend(server, v.conversation.id, 'one')
    await agentSend(server, v.conversation.id, 'two')
    const answer = await poll(server, v.token, { cursor: '0', wait: '5000' })
    const { batch, after } = await answer.body()
    expect(after).toBeLessThan(1000)
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(texts(batch)).toEqual(['conversation', 'one', 'two'])
    expect(batch.events[1]).toEqual({ event: 'message', id: expect.stringMatching(/^\d+$/), message: first.body })
    expect(batch.cursor).toBe(batch.events[2].id)
  })

  it('sends status and headers at once, and holds the body until an event arrives', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { body: latest } = await server.call('POST', '/v1/_faults/forget-events', { token: AGENT_KEY })
    const answer = await poll(server, v.token, { cursor: String(latest.lastEventId), wait: '5000' })
    expect(answer.status).toBe(200)
    expect(answer.headersAfter).toBeLessThan(1000)
    setTimeout(() => void agentSend(server, v.conversation.id, 'worth the wait'), 150)
    const { batch, after } = await answer.body()
    expect(after).toBeGreaterThanOrEqual(140)
    expect(texts(batch)).toEqual(['worth the wait'])
    expect(batch.cursor).toBe(batch.events[0].id)
  })

  it('answers an empty batch with the newest cursor after `wait` ms', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const other = await visitor(server)
    await agentSend(server, other.conversation.id, 'not for v')
    const { batch, after } = await (await poll(server, v.token, { wait: '200' })).body()
    expect(after).toBeGreaterThanOrEqual(190)
    // Past the other visitor's events too, so a quiet visitor's cursor never falls out of the log.
    const { body: latest } = await server.call('POST', '/v1/_faults/forget-events', { token: AGENT_KEY })
    expect(batch).toEqual({ cursor: String(latest.lastEventId), events: [] })
  })

  it('answers reset with the newest id when the cursor was forgotten', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await agentSend(server, v.conversation.id, 'forgotten')
    const { body } = await server.call('POST', '/v1/_faults/forget-events', { token: AGENT_KEY })
    const { batch } = await (await poll(server, v.token, { cursor: '1', wait: '100' })).body()
    expect(batch.events).toEqual([{ event: 'reset', id: String(body.lastEventId) }])
  })

  it('refuses a missing token with 401 and a malformed cursor or wait with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await server.call('GET', '/v1/poll')).status).toBe(401)
    expect((await poll(server, v.token, { cursor: 'x' })).status).toBe(400)
    expect((await poll(server, v.token, { wait: 'long' })).status).toBe(400)
  })

  it('refuses with the status of refuseNext, like any visitor request', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await aim(server, v.visitorId, { refuseNext: 1, status: 502 })
    expect((await poll(server, v.token, { wait: '10' })).status).toBe(502)
    expect((await poll(server, v.token, { wait: '10' })).status).toBe(200)
  })

  it('cuts a pending poll on endStreams', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await poll(server, v.token, { wait: '5000' })
    expect((await aim(server, v.visitorId, { endStreams: true })).streams).toBe(1)
    await expect(answer.body()).rejects.toThrow()
  })

  it('answers a pending poll with sendRaw, unchanged', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await poll(server, v.token, { wait: '5000' })
    await aim(server, v.visitorId, { sendRaw: '{"events":[{"event":"message"}]}' })
    expect((await answer.body()).text).toBe('{"events":[{"event":"message"}]}')
  })

  it('leaves a silent poll unanswered past its wait, and cuts it on silent: false', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await poll(server, v.token, { wait: '100' })
    expect((await aim(server, v.visitorId, { silent: true })).streams).toBe(1)
    await agentSend(server, v.conversation.id, 'unheard')
    const body = answer.body()
    let settled = false
    body.then(
      () => (settled = true),
      () => (settled = true)
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(settled).toBe(false)
    expect((await aim(server, v.visitorId, { silent: false })).streams).toBe(1)
    await expect(body).rejects.toThrow()
  })
})
