import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createError } from '../../../src/errors/index.js'
import { BASE, collect, connected, eventStream, message, recordingTimers, server, sessions, sse, useServer } from './http-fixtures.js'
import { fakePage, openScripted, scriptedKind, settle } from './stream-fixtures.js'

useServer()

const outage = (status: number) => createError('http', `GET /v1/events answered ${status}`, { status, retryable: true })

type Kind = ReturnType<typeof scriptedKind>

/**
 * Let the first `count` attempts of `kind` end through `end`, each followed by the wait before the
 * next attempt running out (`waitMs` on `clock`).
 */
async function endAttempts(kind: Kind, clock: { advance(ms: number): void }, count: number, waitMs: number, end: (call: Kind['calls'][number]) => void) {
  for (let i = 0; i < count; i++) {
    await vi.waitFor(() => expect(kind.calls).toHaveLength(i + 1))
    end(kind.calls[i]!)
    await settle()
    clock.advance(waitMs)
  }
}

describe('stream kinds: falling back on networks that block one', () => {
  it('moves to the next kind after two failures in a row before anything arrived', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const { clock, seen } = openScripted([websocket.connect, sse.connect])
    await endAttempts(websocket, clock, 2, 0, (call) => call.fail())
    await vi.waitFor(() => expect(sse.calls).toHaveLength(1))
    sse.calls[0]!.sink.open()
    await vi.waitFor(() => expect(seen.statuses().at(-1)).toBe('online'))
    expect(websocket.calls).toHaveLength(2)
  })

  it('comes back to the first kind when every kind failed (the server was down, not the kind)', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const kinds = [websocket.connect, sse.connect]
    const { clock, seen } = openScripted(kinds)
    const order: string[] = []
    for (let i = 0; i < 6; i++) {
      await vi.waitFor(() => expect(websocket.calls.length + sse.calls.length).toBe(i + 1))
      const [name, calls] = websocket.calls.length > order.filter((n) => n === 'websocket').length ? ['websocket', websocket.calls] as const : ['sse', sse.calls] as const
      order.push(name)
      calls.at(-1)!.fail()
      await settle()
      clock.advance(60_000)
    }
    expect(order).toEqual(['websocket', 'websocket', 'sse', 'sse', 'websocket', 'websocket'])
    // The server is back: the kind in use then is kept.
    await vi.waitFor(() => expect(sse.calls).toHaveLength(3))
    sse.calls[2]!.sink.open()
    sse.calls[2]!.sink.alive()
    await vi.waitFor(() => expect(seen.statuses().at(-1)).toBe('online'))
    sse.calls[2]!.fail()
    await vi.waitFor(() => expect(kinds).toEqual([sse.connect]))
  })

  it('keeps a kind that worked once, however often it fails afterwards', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const kinds = [websocket.connect, sse.connect]
    const { clock } = openScripted(kinds)
    await vi.waitFor(() => expect(websocket.calls).toHaveLength(1))
    websocket.calls[0]!.sink.open()
    websocket.calls[0]!.sink.alive()
    websocket.calls[0]!.fail()
    for (let i = 1; i <= 4; i++) {
      await settle()
      clock.advance(60_000)
      await vi.waitFor(() => expect(websocket.calls).toHaveLength(i + 1))
      websocket.calls[i]!.fail()
    }
    expect(sse.calls).toHaveLength(0)
    expect(kinds).toEqual([websocket.connect])
  })

  it('does not count refusals with a status: a server outage fails every kind alike', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const { clock } = openScripted([websocket.connect, sse.connect])
    await endAttempts(websocket, clock, 4, 60_000, (call) => call.fail(outage(503)))
    expect(sse.calls).toHaveLength(0)
  })

  it('does not count connections it closed itself (offline)', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const network = new EventTarget()
    const { clock } = openScripted([websocket.connect, sse.connect], { events: network })
    await endAttempts(websocket, clock, 3, 0, () => {
      network.dispatchEvent(new Event('offline'))
      network.dispatchEvent(new Event('online'))
    })
    expect(sse.calls).toHaveLength(0)
  })

  it('does not demote the WebSocket for failures while the browser is offline', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const page = fakePage()
    const { clock } = openScripted([websocket.connect, sse.connect], { events: page })
    await vi.waitFor(() => expect(websocket.calls).toHaveLength(1))
    // Offline, the loop keeps trying on its backoff timer, and every try fails with "Failed to
    // fetch" (no status), as every request does then: that says nothing about the WebSocket.
    page.dispatchEvent(new Event('offline'))
    for (let i = 1; i <= 4; i++) {
      await settle()
      clock.advance(0)
      await vi.waitFor(() => expect(websocket.calls).toHaveLength(i + 1))
      websocket.calls[i]!.fail()
    }
    await settle()
    expect(sse.calls).toHaveLength(0)
    // Back online, the WebSocket gets the first attempt; failures count again from there.
    page.dispatchEvent(new Event('online'))
    for (let i = 5; i <= 6; i++) {
      await vi.waitFor(() => expect(websocket.calls).toHaveLength(i + 1))
      expect(sse.calls).toHaveLength(0)
      websocket.calls[i]!.fail()
      await settle()
      clock.advance(0)
    }
    await vi.waitFor(() => expect(sse.calls).toHaveLength(1))
  })

  it('does not demote the WebSocket for failures of a page that booted offline (no offline event)', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const page = Object.assign(fakePage(), { navigator: { onLine: false } })
    const { clock, seen } = openScripted([websocket.connect, sse.connect], { events: page })
    await endAttempts(websocket, clock, 4, 0, (call) => call.fail())
    expect(sse.calls).toHaveLength(0)
    expect(seen.statuses()).toEqual(['connecting', 'offline'])
    page.navigator.onLine = true
    page.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(websocket.calls).toHaveLength(5))
    expect(seen.statuses()).toEqual(['connecting', 'offline', 'reconnecting'])
  })

  it('shares what it learned with the other streams of the transport', async () => {
    const websocket = scriptedKind()
    const sse = scriptedKind()
    const kinds = [websocket.connect, sse.connect]
    const { clock } = openScripted(kinds)
    await endAttempts(websocket, clock, 2, 0, (call) => call.fail())
    await vi.waitFor(() => expect(sse.calls).toHaveLength(1))
    openScripted(kinds)
    await vi.waitFor(() => expect(sse.calls).toHaveLength(2))
    expect(websocket.calls).toHaveLength(2)
  })

  it('tries a WebSocket first by default, then server-sent events when sockets never open', async () => {
    sessions()
    eventStream({ chunks: [sse('message', { message: message() }, '3')], then: 'hold' })
    const urls: string[] = []
    // A proxy that refuses upgrades: the socket closes (1006) before it ever opened.
    class Refused extends EventTarget {
      onclose: ((event: { code: number }) => void) | null = null
      constructor(url: string) {
        super()
        urls.push(url)
        setTimeout(() => this.onclose?.({ code: 1006 }), 1)
      }
      close() {}
    }
    const transport = await connected({ timers: recordingTimers(), WebSocket: Refused as unknown as typeof WebSocket })
    const seen = collect()
    transport.subscribe(seen.listener)
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(urls).toEqual(['ws://127.0.0.1:9999/v1/ws', 'ws://127.0.0.1:9999/v1/ws'])
    expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online'])
    transport.close()
  })

  it('falls back from server-sent events to long polling when the stream answers with a page', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/events`, () => HttpResponse.text('<html>please log in to the hotel wifi</html>')),
      http.get(`${BASE}/v1/poll`, async ({ request }) => {
        if (new URL(request.url).searchParams.get('cursor') === '4') return new Promise<never>(() => {})
        return HttpResponse.json({ cursor: '4', events: [{ event: 'message', id: '4', message: message() }] })
      })
    )
    const transport = await connected({ timers: recordingTimers(), stream: ['sse', 'poll'] })
    const seen = collect()
    transport.subscribe(seen.listener)
    await vi.waitFor(() => expect(seen.of('message')).toEqual([{ type: 'message', message: message(), cursor: '4' }]))
    expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online'])
    transport.close()
  })
})

describe('backoff: a server that accepts and drops at once', () => {
  /**
   * Let attempt `i` of `kind` open (as on `ready`, or an SSE stream's `retry:`), stay up `upMs`,
   * then end; answer the wait before the next attempt, and let it run out.
   */
  async function drop(kind: Kind, clock: ReturnType<typeof openScripted>['clock'], i: number, upMs = 0, before?: (call: Kind['calls'][number]) => void) {
    await vi.waitFor(() => expect(kind.calls).toHaveLength(i + 1))
    const call = kind.calls[i]!
    call.sink.open()
    call.sink.alive()
    clock.advance(upMs)
    before?.(call)
    call.end()
    await settle()
    const [delay, ...more] = clock.pending()
    expect(more).toEqual([])
    clock.advance(delay!)
    return delay!
  }

  it('grows the backoff while each connection drops at once, though it opened', async () => {
    const websocket = scriptedKind()
    const { clock } = openScripted([websocket.connect], { random: () => 0.999 })
    const delays: number[] = []
    for (let i = 0; i < 6; i++) delays.push(await drop(websocket, clock, i))
    expect(delays).toEqual([499, 999, 1998, 3996, 7992, 15984])
  })

  it('starts the backoff anew after a connection that brought an event', async () => {
    const websocket = scriptedKind()
    const { clock } = openScripted([websocket.connect], { random: () => 0.999 })
    const delays: number[] = []
    for (let i = 0; i < 3; i++) delays.push(await drop(websocket, clock, i))
    const typing = JSON.stringify({ conversationId: 'c1', author: { role: 'agent' }, typing: true })
    delays.push(await drop(websocket, clock, 3, 0, (call) => call.sink.event('typing', typing, '')))
    expect(delays).toEqual([499, 999, 1998, 499])
  })

  it('starts the backoff anew after a connection that stayed up 10 s, not one that stayed up less', async () => {
    const websocket = scriptedKind()
    const { clock } = openScripted([websocket.connect], { random: () => 0.999 })
    const delays: number[] = []
    for (let i = 0; i < 3; i++) delays.push(await drop(websocket, clock, i))
    delays.push(await drop(websocket, clock, 3, 9_999))
    delays.push(await drop(websocket, clock, 4, 10_000))
    expect(delays).toEqual([499, 999, 1998, 3996, 499])
  })
})

describe('server-sent events through an outage', () => {
  it('survives 502 and 503 answers and comes back online with nothing lost', async () => {
    sessions()
    const answers = [502, 503, 503]
    const lastIds: (string | null)[] = []
    server.use(
      http.get(`${BASE}/v1/events`, ({ request }) => {
        lastIds.push(request.headers.get('last-event-id'))
        const status = answers.shift()
        if (status) return new HttpResponse('<html>Bad gateway</html>', { status, headers: { 'content-type': 'text/html' } })
        const body = new ReadableStream({
          start: (controller) => controller.enqueue(new TextEncoder().encode(sse('message', { message: message({ id: 'm8', seq: 8 }) }, '8')))
        })
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
      })
    )
    const timers = recordingTimers()
    const transport = await connected({ timers, random: () => 0.5 })
    const seen = collect()
    transport.subscribe(seen.listener, { cursor: '7' })
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online'])
    expect(seen.of('status')[1]?.error).toMatchObject({ status: 502, retryable: true })
    expect(seen.of('error').map((e) => (e.error as { status?: number }).status)).toEqual([503, 503])
    expect(lastIds).toEqual(['7', '7', '7', '7'])
    // Backed off between the failures, and never gave up on the stream for long polling.
    expect(timers.delays).toEqual([250, 500, 1000])
    transport.close()
  })
})

describe('page life: back/forward cache, hidden tabs', () => {
  it('closes the connection on pagehide and schedules no reconnect while the page is away', async () => {
    const kind = scriptedKind()
    const page = fakePage()
    const { clock, seen } = openScripted([kind.connect], { events: page })
    await vi.waitFor(() => expect(kind.calls).toHaveLength(1))
    kind.calls[0]!.sink.open()
    page.dispatchEvent(new Event('pagehide'))
    expect(kind.calls[0]!.signal.aborted).toBe(true)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting']))
    expect(seen.of('status')[2]?.error).toBeUndefined()
    expect(clock.pending()).toEqual([])
    clock.advance(120_000)
    await settle()
    expect(kind.calls).toHaveLength(1)
  })

  it('reconnects at once on pageshow, from the last event id', async () => {
    const kind = scriptedKind()
    const page = fakePage()
    openScripted([kind.connect], { events: page })
    await vi.waitFor(() => expect(kind.calls).toHaveLength(1))
    kind.calls[0]!.sink.open()
    kind.calls[0]!.sink.event('message', JSON.stringify({ message: message() }), '12')
    page.dispatchEvent(new Event('pagehide'))
    await settle()
    page.dispatchEvent(new Event('pageshow'))
    await vi.waitFor(() => expect(kind.calls).toHaveLength(2))
    expect(kind.calls[1]!.cursor).toBe('12')
  })

  it('reconnects at once when a hidden page becomes visible while not online', async () => {
    const kind = scriptedKind()
    const page = fakePage()
    const { clock } = openScripted([kind.connect], { events: page, random: () => 0.99 })
    page.document.hidden = true
    for (let i = 0; i < 5; i++) {
      await vi.waitFor(() => expect(kind.calls).toHaveLength(i + 1))
      kind.calls[i]!.fail()
      await settle()
      if (i < 4) clock.advance(60_000)
    }
    // A long backoff is pending; a visibilitychange to hidden changes nothing.
    expect(clock.pending()[0]).toBeGreaterThan(7000)
    page.dispatchEvent(new Event('visibilitychange'))
    await settle()
    expect(kind.calls).toHaveLength(5)
    page.document.hidden = false
    page.dispatchEvent(new Event('visibilitychange'))
    await vi.waitFor(() => expect(kind.calls).toHaveLength(6))
  })

  it('leaves an online connection alone when the page becomes visible', async () => {
    const kind = scriptedKind()
    const page = fakePage()
    openScripted([kind.connect], { events: page })
    await vi.waitFor(() => expect(kind.calls).toHaveLength(1))
    kind.calls[0]!.sink.open()
    page.dispatchEvent(new Event('visibilitychange'))
    page.dispatchEvent(new Event('pageshow'))
    await settle()
    expect(kind.calls).toHaveLength(1)
    expect(kind.calls[0]!.signal.aborted).toBe(false)
  })

  it('reconnects server-sent events at once on pageshow', async () => {
    sessions()
    const { requests } = eventStream(
      { chunks: [sse('message', { message: message() }, '3')], then: 'hold' },
      { chunks: [], then: 'hold' }
    )
    const page = fakePage()
    const timers = recordingTimers({ hold: true })
    const transport = await connected({ timers, events: page })
    const seen = collect()
    transport.subscribe(seen.listener)
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    page.dispatchEvent(new Event('pagehide'))
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting']))
    page.dispatchEvent(new Event('pageshow'))
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting', 'online']))
    expect(requests.map((request) => request.lastEventId)).toEqual([null, '3'])
    transport.close()
  })
})
