import { createError, isConfabError, type ConfabError } from '../../errors/index.js'
import { backoffDelay } from '../../util/backoff.js'
import type { Timers } from '../../util/timers.js'
import { createReconnectLoop, type NetworkEvents, type ReconnectLink } from '../reconnect.js'
import type { TransportEvent, Unsubscribe } from '../types.js'
import { toHttpError } from './errors.js'
import { createSseParser, readStream } from './sse.js'
import { readEvent } from './wire.js'

export type { NetworkEvents } from '../reconnect.js'
export type { Timers } from '../../util/timers.js'

/** What a connection tells the loop that keeps it open. */
export interface Sink {
  /** The server accepted the connection: events flow. `ping` asks the server for a sign of life. */
  open(ping?: () => void): void
  /** Something arrived (an event, a keep-alive, a pong): the connection is alive. */
  alive(): void
  /** An event in the wire format of `readEvent`; `id` is `''` when it has none. */
  event(name: string, data: string, id: string): void
  /**
   * Resume after this event id from now on, though no event carried it: the server's position
   * (WebSocket `ready`, an SSE `id:` without data, a long poll's `cursor`). Ignored when `''`.
   */
  cursor(id: string): void
  /** The server asked for this many ms between reconnects (SSE `retry:`). */
  retry(ms: number): void
}

/**
 * One way to reach the event stream (WebSocket, server-sent events, long polling): open a
 * connection resuming after `cursor`, report to `sink`, and settle when it ends, rejecting with
 * why. `signal` aborts it.
 */
export type Connect = (cursor: string, signal: AbortSignal, sink: Sink) => Promise<unknown>

/** @internal What {@link openEventStream} needs from the transport. */
export interface StreamDeps {
  /**
   * The ways to connect, best first, shared by every stream of the transport: a way that fails
   * twice in a row before anything arrived (a network that blocks it) goes to the back, and the
   * first one through which anything arrived becomes the only one. Only failures without an HTTP
   * status count, and none while the browser is offline (from `navigator.onLine` being false or an
   * `offline` event until an `online` event or a connection opening): every kind fails then, so a
   * widget that boots or goes offline keeps its best kind.
   */
  kinds: Connect[]
  timers: Timers
  random: () => number
  /** Where the network and the page's life are announced; `undefined` for the window, `null` for none. */
  events: NetworkEvents | null | undefined
  /** Ms without anything arriving before the connection is pinged; 10 s more and it is dropped. */
  heartbeat: number
}

const LABEL = 'Event stream'

/**
 * Keep an event stream open until the returned function is called: connect, hand events to
 * `listener`, and on any drop reconnect after a jittered backoff from the last event id received,
 * so the server replays what was missed. A connection that goes silent (a half-open socket) is
 * dropped; the network coming back, a page restored from the back/forward cache, or a hidden page
 * shown again reconnect at once (see {@link createReconnectLoop}).
 *
 * @example
 * const stop = openEventStream(deps, (event) => apply(event), '41')
 */
export function openEventStream(
  deps: StreamDeps,
  listener: (event: TransportEvent) => void,
  cursor = ''
): Unsubscribe {
  const { kinds } = deps
  const stop = new AbortController()
  let lastId = cursor
  // Failures in a row of the current kind before anything arrived.
  let fails = 0
  // The server's `retry:`; 0 until it sends one.
  let serverRetry = 0

  const call = (event: TransportEvent) => {
    try {
      listener(event)
    } catch (error) {
      // A throwing listener must not kill the stream; still let the page's error reporting see it.
      queueMicrotask(() => {
        throw error
      })
    }
  }

  const emit = (event: TransportEvent) => {
    if (!stop.signal.aborted) call(event)
  }

  /** One attempt through the best kind, and what it teaches about that kind. */
  const connect = async (signal: AbortSignal, link: ReconnectLink) => {
    const kind = kinds[0]!
    let arrived = false
    let error: ConfabError
    // The heartbeat also takes a connection that never opens for dead.
    link.alive()
    try {
      await kind(lastId, signal, {
        open: link.up,
        alive() {
          arrived = true
          link.alive()
        },
        event(name, data, id) {
          // A late frame of a connection already given up must not interleave with the next one.
          if (signal.aborted) return
          // A real event: the server is healthy again (not `ready` or `retry:` alone, see `up`).
          link.healthy()
          if (id) lastId = id
          emit(readEvent(name, data, id))
        },
        cursor(id) {
          if (id && !signal.aborted) lastId = id
        },
        retry(ms) {
          serverRetry = ms
        }
      })
      error = createError('network', `${LABEL} ended`)
    } catch (caught) {
      error = await toHttpError(caught, LABEL)
    }
    // Given up by the loop: for `offline` or `pagehide` (no reason of ours), not the kind's failure;
    // for silence (a timeout error), a failure, but no answer from the server.
    const quiet = signal.aborted && !isConfabError(signal.reason)
    const answered = signal.aborted ? undefined : error.status
    // A server that refuses our cursor (400) would refuse it forever: start from now, and tell
    // the client its view may have a gap.
    if (answered === 400 && lastId !== '') {
      lastId = ''
      emit({ type: 'reset' })
    }
    // A kind through which something arrived is kept for good. One failing before that, twice in
    // a row, without the server answering with a status (a 503 would fail every kind alike), is
    // likely blocked on this network (a proxy refusing WebSocket upgrades, or buffering streams):
    // the next one is tried. It goes to the back rather than away: when every kind failed, the
    // server was down, not the kind, and the best one deserves another chance. Offline, every
    // kind fails: that says nothing about this one.
    if (arrived) {
      kinds.splice(0, kinds.length, kind)
      fails = 0
    } else if (!quiet && !answered && !link.offline && ++fails > 1 && kinds[0] === kind) {
      kinds.push(kinds.shift()!)
      fails = 0
    }
    link.down(error)
  }

  createReconnectLoop({
    ...deps,
    signal: stop.signal,
    name: LABEL,
    connect,
    keepalive: deps.heartbeat,
    // Offline, keep trying on the timer: an `offline` event is not always right (a VPN switch), and
    // a try costs one request.
    waitOnline: false,
    // The server's `retry:` is a floor; full jitter on top spreads a crowd that dropped together.
    delay: (attempt) => serverRetry + backoffDelay(attempt, { random: deps.random }),
    setStatus: (status, error) => emit(error ? { type: 'status', status, error } : { type: 'status', status }),
    report: (error) => emit({ type: 'error', error })
  })

  return () => {
    if (stop.signal.aborted) return
    stop.abort()
    call({ type: 'status', status: 'closed' })
  }
}

/**
 * Server-sent events read with streaming `fetch`: `open` starts `GET /v1/events` with
 * `Last-Event-ID` (authorized, refreshed once on 401, errors as `ConfabError`s).
 *
 * @example
 * const sse = sseKind((lastId, signal) => request('get', 'v1/events', { signal, headers: … }))
 */
export const sseKind =
  (open: (lastId: string, signal: AbortSignal) => Promise<Response>): Connect =>
  async (lastId, signal, sink) => {
    const response = await open(lastId, signal)
    const type = response.headers.get('content-type') ?? ''
    // A captive portal or a filtering proxy answering with a page: this network blocks the stream.
    if (!response.body || !/^text\/event-stream/i.test(type)) {
      throw createError('malformed-event', `${LABEL} answered ${type || 'no content type'}`, { retryable: true })
    }
    sink.open()
    // A fresh parser per connection: a half-received event from a dropped stream is discarded.
    const parser = createSseParser({ event: (event) => sink.event(event.event, event.data, event.id), retry: sink.retry }, lastId)
    await readStream(
      response.body,
      (chunk) => {
        sink.alive()
        parser.push(chunk)
        // Also an `id:` without data (the stream's starting point), which dispatches no event.
        sink.cursor(parser.id)
      },
      signal
    )
  }
