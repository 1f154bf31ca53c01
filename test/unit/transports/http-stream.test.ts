import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import type { Transport } from '../../../src/transports/types.js'
import {
  BASE,
  collect,
  connected,
  conversation,
  eventStream,
  message,
  recordingTimers,
  server,
  sessions,
  sse,
  useServer
} from './http-fixtures.js'

useServer()

const hold = (...chunks: string[]) => ({ chunks, then: 'hold' as const })
const end = (...chunks: string[]) => ({ chunks, then: 'end' as const })
const drop = (...chunks: string[]) => ({ chunks, then: 'error' as const })

/** Subscribe, and close the transport when the test is done with it. */
async function subscribed(options: Parameters<typeof connected>[0] = {}, cursor?: string, hold = false) {
  const timers = recordingTimers({ hold })
  const transport: Transport = await connected({ timers, ...options })
  const seen = collect()
  const stop = transport.subscribe(seen.listener, cursor === undefined ? {} : { cursor })
  return { transport, timers, seen, stop }
}

describe('http transport: event stream', () => {
  it('reports connecting, then online once the stream is open', async () => {
    sessions()
    eventStream(hold())
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    transport.close()
  })

  it('keeps a stream open past the timeout once its headers came: the timeout is for the headers', async () => {
    sessions()
    const encoder = new TextEncoder()
    server.use(
      http.get(`${BASE}/v1/events`, () => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            setTimeout(() => controller.enqueue(encoder.encode(sse('message', { message: message() }, '5'))), 120)
          }
        })
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
      })
    )
    const { seen, transport } = await subscribed({ timeout: 30 })
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.statuses()).toEqual(['connecting', 'online'])
    transport.close()
  })

  it('sends the token as Bearer and the cursor as Last-Event-ID', async () => {
    sessions()
    const { requests } = eventStream(hold())
    const { transport } = await subscribed({}, '41')
    await vi.waitFor(() => expect(requests).toEqual([{ authorization: 'Bearer t1', lastEventId: '41' }]))
    transport.close()
  })

  it('sends no Last-Event-ID when there is no cursor', async () => {
    sessions()
    const { requests } = eventStream(hold())
    const { transport } = await subscribed()
    await vi.waitFor(() => expect(requests).toEqual([{ authorization: 'Bearer t1', lastEventId: null }]))
    transport.close()
  })

  it('delivers events with the SSE id as their cursor', async () => {
    sessions()
    eventStream(
      hold(
        sse('message', { message: message() }, '42'),
        sse('conversation', { conversation: conversation({ status: 'closed' }) }, '43'),
        sse('typing', { conversationId: 'c1', author: { role: 'agent', name: 'Ada' }, typing: true }, '44')
      )
    )
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.events.filter((event) => event.type !== 'status')).toHaveLength(3))
    expect(seen.events.filter((event) => event.type !== 'status')).toEqual([
      { type: 'message', message: message(), cursor: '42' },
      { type: 'conversation', conversation: conversation({ status: 'closed' }), cursor: '43' },
      { type: 'typing', conversationId: 'c1', author: { role: 'agent', name: 'Ada' }, typing: true, cursor: '44' }
    ])
    transport.close()
  })

  it('emits reset when the server no longer knows the cursor', async () => {
    sessions()
    eventStream(hold(sse('reset', {}, '90')))
    const { seen, transport } = await subscribed({}, '3')
    await vi.waitFor(() => expect(seen.of('reset')).toEqual([{ type: 'reset', cursor: '90' }]))
    transport.close()
  })

  it('reconnects after the stream ends, sending the id of the last event as Last-Event-ID', async () => {
    sessions()
    const { requests } = eventStream(
      end(sse('message', { message: message() }, '7'), sse('message', { message: message({ id: 'm2', seq: 2 }) }, '8')),
      hold(sse('message', { message: message({ id: 'm3', seq: 3 }) }, '9'))
    )
    const { seen, transport } = await subscribed({}, '6')
    await vi.waitFor(() => expect(seen.of('message').map((event) => event.cursor)).toEqual(['7', '8', '9']))
    expect(requests.map((request) => request.lastEventId)).toEqual(['6', '8'])
    transport.close()
  })

  it('resumes from an id sent without data (where the stream starts), which dispatches no event', async () => {
    sessions()
    const { requests } = eventStream(end('retry: 1000\nid: 57\n\n'), hold())
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(requests).toHaveLength(2))
    expect(requests.map((request) => request.lastEventId)).toEqual([null, '57'])
    expect(seen.events.filter((event) => event.type !== 'status' && event.type !== 'error')).toEqual([])
    transport.close()
  })

  it('reconnects after the stream errors, sending the id of the last event as Last-Event-ID', async () => {
    sessions()
    const { requests } = eventStream(drop(sse('message', { message: message() }, '12')), hold())
    const { transport } = await subscribed()
    await vi.waitFor(() => expect(requests.map((request) => request.lastEventId)).toEqual([null, '12']))
    transport.close()
  })

  it('reports reconnecting with the reason after a drop, then online again', async () => {
    sessions()
    eventStream(drop(), hold())
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting', 'online']))
    const reconnecting = seen.of('status').find((event) => event.status === 'reconnecting')
    expect(reconnecting?.error).toMatchObject({ code: 'network', retryable: true })
    transport.close()
  })

  it('discards a half-received event when the connection drops', async () => {
    sessions()
    const { requests } = eventStream(
      drop(sse('message', { message: message() }, '5'), 'id: 6\nevent: message\ndata: {"mess'),
      hold(sse('message', { message: message({ id: 'm6', seq: 2 }) }, '6'))
    )
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.of('message').map((event) => event.message.id)).toEqual(['m1', 'm6']))
    expect(requests.map((request) => request.lastEventId)).toEqual([null, '5'])
    expect(seen.of('error')).toEqual([])
    transport.close()
  })

  it('reports an event with bad JSON as malformed-event and delivers the next good event', async () => {
    sessions()
    eventStream(hold(sse('message', '{"message": {', '20'), sse('message', { message: message() }, '21')))
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    const [error] = seen.of('error').map((event) => event.error as ConfabError)
    expect(error).toMatchObject({ code: 'malformed-event', data: '{"message": {' })
    expect(seen.of('message')[0]?.cursor).toBe('21')
    expect(seen.statuses()).toEqual(['connecting', 'online'])
    transport.close()
  })

  it('reports an event missing fields as malformed-event with its raw data', async () => {
    sessions()
    const broken = JSON.stringify({ message: { id: 'm1', text: 'no author' } })
    eventStream(hold(sse('message', broken, '30'), sse('message', { message: message() }, '31')))
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.of('error').map((event) => event.error)).toEqual([
      expect.objectContaining({ code: 'malformed-event', data: broken })
    ])
    transport.close()
  })

  it('reports an event name it does not know as malformed and drops it', async () => {
    sessions()
    eventStream(hold(sse('poll', { question: '?' }, '1'), sse('message', { message: message() }, '2')))
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.of('error').map((event) => (event.error as ConfabError).code)).toEqual(['malformed-event'])
    transport.close()
  })

  it('waits the server retry time plus jitter before reconnecting', async () => {
    sessions()
    eventStream(end('retry: 1000\n\n'), hold())
    const { timers, transport } = await subscribed({ random: () => 0.5 })
    await vi.waitFor(() => expect(timers.delays).toEqual([1000 + 250]))
    transport.close()
  })

  it('backs off exponentially with full jitter while the server keeps failing', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/events`, () => new HttpResponse(null, { status: 503 })))
    const { timers, transport } = await subscribed({ random: () => 0.5 })
    await vi.waitFor(() => expect(timers.delays.length).toBeGreaterThanOrEqual(3))
    transport.close()
    expect(timers.delays.slice(0, 3)).toEqual([250, 500, 1000])
  })

  it('reports each further failed attempt as an error event', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/events`, () => new HttpResponse(null, { status: 503 })))
    const { seen, timers, transport } = await subscribed()
    await vi.waitFor(() => expect(timers.delays.length).toBeGreaterThanOrEqual(3))
    transport.close()
    expect(seen.statuses().slice(0, 2)).toEqual(['connecting', 'reconnecting'])
    expect(seen.of('error')[0]?.error).toMatchObject({ code: 'http', status: 503, message: 'GET /v1/events answered 503' })
  })

  it('starts the session again on a 401 and reconnects with the new token', async () => {
    const { bodies } = sessions()
    const tokens: (string | null)[] = []
    server.use(
      http.get(`${BASE}/v1/events`, ({ request }) => {
        tokens.push(request.headers.get('authorization'))
        return request.headers.get('authorization') === 'Bearer t2'
          ? new HttpResponse(new ReadableStream(), { headers: { 'content-type': 'text/event-stream' } })
          : new HttpResponse(null, { status: 401 })
      })
    )
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    expect(tokens).toEqual(['Bearer t1', 'Bearer t2'])
    expect(bodies).toEqual([{ resumeKey: 'rk1' }, { resumeKey: 'rk1' }])
    transport.close()
  })

  it('forgets a cursor the server refuses with 400 and emits reset', async () => {
    sessions()
    const cursors: (string | null)[] = []
    server.use(
      http.get(`${BASE}/v1/events`, ({ request }) => {
        const cursor = request.headers.get('last-event-id')
        cursors.push(cursor)
        return cursor === null
          ? new HttpResponse(new ReadableStream(), { headers: { 'content-type': 'text/event-stream' } })
          : HttpResponse.json({ error: { code: 'bad-request', message: 'bad cursor' } }, { status: 400 })
      })
    )
    const { seen, transport } = await subscribed({}, 'garbage')
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online']))
    expect(cursors).toEqual(['garbage', null])
    expect(seen.of('reset')).toEqual([{ type: 'reset' }])
    transport.close()
  })

  it('treats an answer that is not an event stream as a failed attempt', async () => {
    sessions()
    let calls = 0
    server.use(
      http.get(`${BASE}/v1/events`, () =>
        ++calls === 1
          ? HttpResponse.text('<html>captive portal</html>')
          : new HttpResponse(new ReadableStream(), { headers: { 'content-type': 'text/event-stream' } })
      )
    )
    const { seen, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online']))
    expect(seen.of('status')[1]?.error).toMatchObject({ code: 'malformed-event' })
    transport.close()
  })
})

describe('http transport: stopping and the network', () => {
  it('stops reconnecting on close, emits closed once and leaves no timer pending', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/events`, () => new HttpResponse(null, { status: 503 })))
    const { seen, timers, transport } = await subscribed()
    await vi.waitFor(() => expect(timers.delays.length).toBeGreaterThanOrEqual(1))
    transport.close()
    transport.close()
    const attempts = timers.delays.length
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(timers.delays).toHaveLength(attempts)
    expect(timers.pending.size).toBe(0)
    expect(seen.statuses().filter((status) => status === 'closed')).toHaveLength(1)
    expect(seen.events.at(-1)).toEqual({ type: 'status', status: 'closed' })
  })

  it('emits closed once when unsubscribed twice and delivers nothing after', async () => {
    sessions()
    eventStream(hold())
    const { seen, stop, transport } = await subscribed()
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    stop()
    stop()
    transport.close()
    expect(seen.statuses()).toEqual(['connecting', 'online', 'closed'])
  })

  it('emits closed and stops when unsubscribed before the first connection', async () => {
    sessions()
    const { requests } = eventStream(hold())
    const transport = await connected()
    const seen = collect()
    const stop = transport.subscribe(seen.listener)
    stop()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen.statuses()).toEqual(['closed'])
    expect(requests).toEqual([])
  })

  it('reports offline when the network goes away and reconnects at once when it returns', async () => {
    sessions()
    const network = new EventTarget()
    const { requests } = eventStream(hold(sse('message', { message: message() }, '3')), hold())
    // These timers never fire: only the `online` event can bring the stream back.
    const { seen, timers, transport } = await subscribed({ events: network }, undefined, true)
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    network.dispatchEvent(new Event('offline'))
    await vi.waitFor(() => expect(timers.pending.size).toBe(1))
    expect(seen.statuses()).toEqual(['connecting', 'online', 'offline'])
    network.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'offline', 'reconnecting', 'online']))
    expect(requests.map((request) => request.lastEventId)).toEqual([null, '3'])
    expect(timers.pending.size).toBe(0)
    transport.close()
  })

  it('stops listening to the network and the page when closed', async () => {
    sessions()
    eventStream(hold())
    const network = new EventTarget()
    const remove = vi.spyOn(network, 'removeEventListener')
    const { transport } = await subscribed({ events: network })
    transport.close()
    expect(remove.mock.calls.map(([type]) => type).sort()).toEqual(['offline', 'online', 'pagehide', 'pageshow', 'visibilitychange'])
  })
})
