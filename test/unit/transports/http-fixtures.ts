import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { isConfabError, type ConfabError } from '../../../src/errors/index.js'
import { createHttpTransport, type HttpTransportOptions } from '../../../src/transports/http/index.js'
import type { Conversation, Message, Transport, TransportEvent } from '../../../src/transports/types.js'

/** Nothing listens here: msw answers every request, and an unhandled one fails the test. */
export const BASE = 'http://127.0.0.1:9999'

export const server = setupServer()

/** Start msw for the file's tests. */
export function useServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
}

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    clientId: 'k1',
    conversationId: 'c1',
    seq: 1,
    author: { role: 'visitor' },
    text: 'Hello',
    createdAt: 1_767_225_600_000,
    ...overrides
  }
}

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    mode: 'messaging',
    status: 'open',
    createdAt: 1_767_225_600_000,
    updatedAt: 1_767_225_600_000,
    ...overrides
  }
}

/**
 * `POST /v1/sessions` that grants `t1`, `t2` … in turn and records each request body.
 */
export function sessions() {
  const bodies: unknown[] = []
  let granted = 0
  server.use(
    http.post(`${BASE}/v1/sessions`, async ({ request }) => {
      const body = (await request.json()) as { resumeKey?: string }
      bodies.push(body)
      granted++
      return HttpResponse.json(
        { visitorId: 'v1', resumeKey: body.resumeKey ?? 'rk-new', token: `t${granted}` },
        { status: body.resumeKey ? 200 : 201 }
      )
    })
  )
  return { bodies, count: () => granted }
}

/**
 * Timers that record the delay asked for and run every callback on a real zero-delay timer, so
 * backoff is observable without slowing the tests; with `hold`, callbacks never run on their own.
 * Delays of 10 s or more (the stream's heartbeat watch) are neither run nor recorded: tests of the
 * heartbeat drive a clock of their own.
 */
export function recordingTimers({ hold = false } = {}) {
  const delays: number[] = []
  const pending = new Set<ReturnType<typeof setTimeout>>()
  return {
    delays,
    pending,
    setTimeout(run: () => void, ms: number): unknown {
      if (ms >= 10_000) return {}
      delays.push(ms)
      if (hold) {
        const held = setTimeout(() => {}, 0)
        pending.add(held)
        return held
      }
      const handle = setTimeout(() => {
        pending.delete(handle)
        run()
      }, 0)
      pending.add(handle)
      return handle
    },
    clearTimeout(handle: unknown) {
      pending.delete(handle as ReturnType<typeof setTimeout>)
      clearTimeout(handle as ReturnType<typeof setTimeout>)
    }
  }
}

/** A transport on {@link BASE}, connected with resume key `rk1` (token `t1`). */
export async function connected(options: Partial<HttpTransportOptions> = {}): Promise<Transport> {
  const transport = createHttpTransport({ url: BASE, random: () => 0, events: null, ...options })
  await transport.connect({ resumeKey: 'rk1' })
  return transport
}

/** Collect what a subscription emits. */
export function collect() {
  const events: TransportEvent[] = []
  return {
    events,
    listener: (event: TransportEvent) => {
      events.push(event)
    },
    statuses: () => events.flatMap((event) => (event.type === 'status' ? [event.status] : [])),
    of: <T extends TransportEvent['type']>(type: T) =>
      events.filter((event): event is Extract<TransportEvent, { type: T }> => event.type === type)
  }
}

/** What one `GET /v1/events` connection does after sending its chunks. */
export type Ending = 'end' | 'error' | 'hold'

export interface Connection {
  chunks: string[]
  then: Ending
}

/**
 * `GET /v1/events` answering each connection with the next script (the last one repeats), and
 * recording each request's headers.
 */
export function eventStream(...scripts: Connection[]) {
  const requests: { authorization: string | null; lastEventId: string | null }[] = []
  const encoder = new TextEncoder()
  server.use(
    http.get(`${BASE}/v1/events`, ({ request }) => {
      requests.push({
        authorization: request.headers.get('authorization'),
        lastEventId: request.headers.get('last-event-id')
      })
      const script = scripts[Math.min(requests.length, scripts.length) - 1]!
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of script.chunks) controller.enqueue(encoder.encode(chunk))
          // `controller.error()` discards chunks not read yet: drop on a later turn.
          if (script.then === 'end') setTimeout(() => controller.close(), 5)
          if (script.then === 'error') setTimeout(() => controller.error(new Error('connection reset')), 5)
        }
      })
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
    })
  )
  return { requests }
}

/** One SSE event as the server writes it. */
export function sse(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`
}

/** The ConfabError a promise rejects with. */
export async function failure(promise: Promise<unknown>): Promise<ConfabError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  )
  if (!isConfabError(error)) throw new Error(`expected a ConfabError, got ${String(error)}`)
  return error
}
