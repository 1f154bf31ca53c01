import { http, HttpResponse, passthrough } from 'msw'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import { createHttpTransport, type HttpTransportOptions } from '../../../src/transports/http/index.js'
import type { TransportEvent } from '../../../src/transports/types.js'
import { AGENT_KEY, startServer, type TestServer } from '../server/helpers.js'
import { BASE, collect, connected, message, recordingTimers, server, sessions, useServer } from './http-fixtures.js'
import { TestWebSocket } from './stream-fixtures.js'

useServer()

type Answer = Response | Promise<Response>
/** `GET /v1/poll` answering each poll with the next answer, then holding; records each query and token. */
function polls(...answers: (() => Answer)[]) {
  const seen: { cursor: string | null; wait: string | null; authorization: string | null }[] = []
  server.use(
    http.get(`${BASE}/v1/poll`, ({ request }) => {
      const { searchParams } = new URL(request.url)
      seen.push({ cursor: searchParams.get('cursor'), wait: searchParams.get('wait'), authorization: request.headers.get('authorization') })
      const next = answers.shift()
      return next ? next() : new Promise<never>(() => {})
    })
  )
  return seen
}

const batch = (cursor: string, ...events: object[]) => () => HttpResponse.json({ cursor, events })
const item = (id: string, overrides = {}) => ({ event: 'message', id, message: message({ id: `m${id}`, ...overrides }) })

/** Aim `endStreams` at one visitor of `live`, retrying until a held connection was reached. */
async function endStreams(live: TestServer, visitorId: string) {
  for (let tries = 0; tries < 200; tries++) {
    const answer = await live.call('POST', `/v1/_faults/visitors/${visitorId}`, { token: AGENT_KEY, body: { endStreams: true } })
    if (answer.body.streams > 0) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('no open event connection to end')
}

/** An HTTP transport against the reference server (let through msw), closed when the test ends. */
function liveTransport(live: TestServer, options: Partial<HttpTransportOptions>) {
  server.use(http.all(`${live.url}/*`, () => passthrough()))
  const transport = createHttpTransport({ url: live.url, events: null, WebSocket: TestWebSocket, ...options })
  onTestFinished(() => transport.close())
  return transport
}

async function subscribed(cursor?: string) {
  const transport = await connected({ stream: ['poll'], timers: recordingTimers(), heartbeatMs: 5000 })
  const seen = collect()
  transport.subscribe(seen.listener, cursor === undefined ? {} : { cursor })
  return { transport, seen }
}

describe('long-poll stream', () => {
  it('reports online and delivers each batch, with event ids as cursors', async () => {
    sessions()
    polls(batch('9', item('8'), { event: 'typing', conversationId: 'c1', author: { role: 'agent' }, typing: true }))
    const { transport, seen } = await subscribed()
    await vi.waitFor(() => expect(seen.events.filter((e) => e.type !== 'status')).toHaveLength(2))
    expect(seen.events.filter((e) => e.type !== 'status')).toEqual([
      { type: 'message', message: message({ id: 'm8' }), cursor: '8' },
      { type: 'typing', conversationId: 'c1', author: { role: 'agent' }, typing: true }
    ])
    expect(seen.statuses()).toEqual(['connecting', 'online'])
    transport.close()
  })

  it('asks for the next batch from the cursor the server answered, holding for heartbeatMs', async () => {
    sessions()
    const seen = polls(batch('12', item('8')), batch('20'))
    const { transport } = await subscribed('5')
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(seen).toEqual([
      { cursor: '5', wait: '5000', authorization: 'Bearer t1' },
      { cursor: '12', wait: '5000', authorization: 'Bearer t1' },
      { cursor: '20', wait: '5000', authorization: 'Bearer t1' }
    ])
    transport.close()
  })

  it('resumes from the cursor the server last answered after a failed poll', async () => {
    sessions()
    const seen = polls(batch('12', item('8')), () => HttpResponse.error(), batch('15'))
    const { transport, seen: events } = await subscribed()
    await vi.waitFor(() => expect(seen).toHaveLength(4))
    expect(seen.map((poll) => poll.cursor)).toEqual([null, '12', '12', '15'])
    expect(events.statuses()).toEqual(['connecting', 'online', 'reconnecting', 'online'])
    transport.close()
  })

  it('reports a malformed event as malformed-event and goes on', async () => {
    sessions()
    polls(batch('9', { event: 'message', message: { id: 'half' } }, item('9')))
    const { transport, seen } = await subscribed()
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.of('error').map((e) => (e.error as ConfabError).code)).toEqual(['malformed-event'])
    transport.close()
  })

  it('emits reset when the server no longer knows the cursor', async () => {
    sessions()
    polls(batch('90', { event: 'reset', id: '90' }))
    const { transport, seen } = await subscribed('3')
    await vi.waitFor(() => expect(seen.of('reset')).toEqual([{ type: 'reset', cursor: '90' }]))
    transport.close()
  })

  it('starts the session again on a 401 and polls with the new token', async () => {
    const { bodies } = sessions()
    const seen = polls(() => new HttpResponse(null, { status: 401 }), batch('1'))
    const { transport, seen: events } = await subscribed()
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(seen.map((poll) => poll.authorization)).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t2'])
    expect(bodies).toHaveLength(2)
    expect(events.statuses()).toEqual(['connecting', 'online'])
    transport.close()
  })

  it('resumes from the cursor of an empty batch, before any event came', async () => {
    sessions()
    const seen = polls(batch('30'), () => HttpResponse.error(), batch('31'))
    const { transport } = await subscribed()
    await vi.waitFor(() => expect(seen).toHaveLength(4))
    expect(seen.map((poll) => poll.cursor)).toEqual([null, '30', '30', '31'])
    transport.close()
  })

  it('backs off while polls are refused with 503', async () => {
    sessions()
    const refused = () => new HttpResponse(null, { status: 503 })
    polls(refused, refused, refused, batch('1'))
    const timers = recordingTimers()
    const transport = await connected({ stream: ['poll'], timers, random: () => 0.5 })
    const seen = collect()
    transport.subscribe(seen.listener)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online']))
    expect(timers.delays).toEqual([250, 500, 1000])
    transport.close()
  })
})

describe('long-poll stream against the reference server', () => {
  it('resumes from the server cursor after a reconnect before any own event, so an event of the gap is not lost', async () => {
    const live = await startServer()
    // heartbeatMs is also the poll's wait; a 0.999 jitter makes the reconnect wait ~0.5 s.
    const transport = liveTransport(live, { stream: ['poll'], heartbeatMs: 300, random: () => 0.999 })
    const session = await transport.connect({})
    const events: TransportEvent[] = []
    transport.subscribe((event) => events.push(event))
    // Two empty polls: the client now holds a server cursor.
    await new Promise((resolve) => setTimeout(resolve, 700))
    await endStreams(live, session.visitorId)
    // While the client waits to reconnect, the visitor's conversation is created (an event for it).
    const created = await transport.createConversation({ mode: 'messaging' })
    // The stream is back once a later message arrives; the event of the gap must have come before.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await transport.send(created.id, { clientId: 'after-gap', text: 'after the gap' })
    await vi.waitFor(() => expect(events.some((e) => e.type === 'message' && e.message.clientId === 'after-gap')).toBe(true), { timeout: 3000 })
    expect(events.some((e) => e.type === 'conversation' && e.conversation.id === created.id)).toBe(true)
  })

  it('gives a quiet visitor that reconnects after others made many events no spurious reset', async () => {
    const live = await startServer({ eventLogSize: 2 })
    const transport = liveTransport(live, { stream: ['poll'], heartbeatMs: 200, random: () => 0 })
    const session = await transport.connect({})
    const events: TransportEvent[] = []
    transport.subscribe((event) => events.push(event))
    await transport.createConversation({ mode: 'messaging' })
    await vi.waitFor(() => expect(events.some((e) => e.type === 'conversation')).toBe(true))
    // Another visitor is busy: 10 events the quiet one never sees, though its polls' cursor moves past them.
    const other = await live.call('POST', '/v1/sessions', { body: {} })
    for (let i = 0; i < 10; i++) await live.call('POST', '/v1/conversations', { token: other.body.token, body: { mode: 'chat' } })
    // Let at least one empty poll answer with the newest cursor.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await endStreams(live, session.visitorId)
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(events.filter((e) => e.type === 'reset')).toEqual([])
  })
})
