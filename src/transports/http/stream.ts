import { createError, isConfabError } from '../../errors/index.js'
import { backoffDelay } from '../../util/backoff.js'
import type { ConnectionStatus, TransportEvent, Unsubscribe } from '../types.js'
import { toHttpError } from './errors.js'
import { createSseParser, readStream } from './sse.js'
import { readEvent } from './wire.js'

/** Timer functions, injectable so tests control time without patching globals. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Where the browser announces the network and the page's life: the `window`, which hears
 * `online`/`offline`, `pageshow`/`pagehide` and (bubbling up from its document) `visibilitychange`.
 * Any object with these methods works, so tests and non-window runtimes can drive it; its
 * `document.hidden`, when present, tells a hidden page, and `navigator.onLine` a device offline.
 */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline' | 'pageshow' | 'pagehide' | 'visibilitychange', listener: () => void): void
  removeEventListener(type: 'online' | 'offline' | 'pageshow' | 'pagehide' | 'visibilitychange', listener: () => void): void
  document?: { hidden?: boolean }
  navigator?: { onLine?: boolean }
}

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
  events: NetworkEvents | undefined
  /** Ms without anything arriving before the connection is pinged; 10 s more and it is dropped. */
  heartbeat: number
}

const LABEL = 'Event stream'

/**
 * Keep an event stream open until the returned function is called: connect, hand events to
 * `listener`, and on any drop reconnect after a jittered backoff from the last event id received,
 * so the server replays what was missed. A connection that goes silent (a half-open socket) is
 * dropped; the network coming back, a page restored from the back/forward cache, or a hidden page
 * shown again reconnect at once.
 *
 * @example
 * const stop = openEventStream(deps, (event) => apply(event), '41')
 */
export function openEventStream(
  deps: StreamDeps,
  listener: (event: TransportEvent) => void,
  cursor = ''
): Unsubscribe {
  const { timers, events, kinds } = deps
  let active = true
  let status: ConnectionStatus | undefined
  let lastId = cursor
  // Failed connections since the last healthy one (a real event, or up 10 s): the backoff's exponent.
  let attempt = 0
  // Failures in a row of the current kind before anything arrived.
  let fails = 0
  // The server's `retry:`; 0 until it sends one.
  let serverRetry = 0
  // A page that boots offline hears no `offline` event.
  let offline = events?.navigator?.onLine === false
  // Between `pagehide` and `pageshow`: no reconnects, so the page stays fit for the back/forward cache.
  let hidden = false
  let controller: AbortController | undefined
  let timer: unknown
  let wake: (() => void) | undefined

  const emit = (event: TransportEvent) => {
    if (!active) return
    try {
      listener(event)
    } catch (error) {
      // A throwing listener must not kill the stream; still let the page's error reporting see it.
      queueMicrotask(() => {
        throw error
      })
    }
  }

  const report = (next: ConnectionStatus, error?: Error) => {
    if (next !== status) {
      status = next
      emit(error ? { type: 'status', status: next, error } : { type: 'status', status: next })
    } else if (error && !offline) {
      // A further failed attempt while already reconnecting; failures while offline are expected.
      emit({ type: 'error', error })
    }
  }

  const retryNow = () => {
    attempt = 0
    timers.clearTimeout(timer)
    wake?.()
  }

  const onOffline = () => {
    offline = true
    report('offline')
    // The socket cannot outlive the network; dropping it now starts the wait for `online`.
    controller?.abort()
  }

  const onOnline = () => {
    if (!offline) return
    offline = false
    report('reconnecting')
    retryNow()
  }

  // A page in the back/forward cache must hold no connection (an open WebSocket keeps it out, or
  // is closed under it), so close on `pagehide` and reconnect on `pageshow`.
  const onHide = () => {
    hidden = true
    timers.clearTimeout(timer)
    controller?.abort()
  }

  // Also on `visibilitychange`: browsers slow the timers of hidden pages, so a page shown again
  // does not wait out a long backoff.
  const onShow = () => {
    if (events?.document?.hidden) return
    hidden = false
    if (status !== 'online') retryNow()
  }

  const listen = (on: boolean) => {
    const method = on ? 'addEventListener' : 'removeEventListener'
    events?.[method]('online', onOnline)
    events?.[method]('offline', onOffline)
    events?.[method]('pagehide', onHide)
    events?.[method]('pageshow', onShow)
    events?.[method]('visibilitychange', onShow)
  }

  async function run(): Promise<void> {
    report('connecting')
    while (active) {
      const own = (controller = new AbortController())
      const connect = kinds[0]!
      let arrived = false
      let ping: (() => void) | undefined
      let watch: unknown
      let steady: unknown
      // Nothing arrived for `heartbeat`: ping; still nothing 10 s later: the connection is half-open
      // (a NAT or proxy forgot it, a laptop slept), which no socket event would ever tell.
      const arm = () => {
        timers.clearTimeout(watch)
        watch = timers.setTimeout(() => {
          ping?.()
          watch = timers.setTimeout(() => own.abort(createError('timeout', `${LABEL} went silent`)), 10_000)
        }, deps.heartbeat)
      }
      arm()
      let error: Error
      try {
        await connect(lastId, own.signal, {
          open(pinger) {
            ping = pinger
            offline = false
            report('online')
            // Up 10 s (or a real event, below): the server is healthy again, so the next drop starts
            // the backoff anew. Not on `ready` or `retry:` alone: a server (or proxy) that accepts and
            // drops at once would get reconnects several times a second, forever.
            steady ??= timers.setTimeout(() => (attempt = 0), 10_000)
          },
          alive() {
            arrived = true
            arm()
          },
          event(name, data, id) {
            // A late frame of a connection already given up must not interleave with the next one.
            if (own.signal.aborted) return
            attempt = 0
            if (id) lastId = id
            emit(readEvent(name, data, id))
          },
          cursor(id) {
            if (id && !own.signal.aborted) lastId = id
          },
          retry(ms) {
            serverRetry = ms
          }
        })
        error = createError('network', `${LABEL} ended`)
      } catch (caught) {
        error = await toHttpError(caught, LABEL)
      }
      timers.clearTimeout(watch)
      timers.clearTimeout(steady)
      if (!active) return
      const reason: unknown = own.signal.reason
      // Aborted by `offline` or `pagehide`: ours, not a failure worth reporting.
      const quiet = own.signal.aborted && !isConfabError(reason)
      if (isConfabError(reason)) error = reason
      const { status: answered } = error as { status?: number }
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
        kinds.splice(0, kinds.length, connect)
        fails = 0
      } else if (!quiet && !answered && !offline && ++fails > 1 && kinds[0] === connect) {
        kinds.push(kinds.shift()!)
        fails = 0
      }
      report(offline ? 'offline' : 'reconnecting', quiet ? undefined : error)
      // The server's `retry:` is a floor; full jitter on top spreads a crowd that dropped together.
      const delay = serverRetry + backoffDelay(attempt++, { random: deps.random })
      await new Promise<void>((resolve) => {
        wake = resolve
        if (!hidden) timer = timers.setTimeout(resolve, delay)
      })
      wake = timer = undefined
    }
  }

  listen(true)
  // Start on a microtask, so no event reaches the listener before `subscribe` has returned.
  void Promise.resolve().then(run)

  return () => {
    if (!active) return
    active = false
    listen(false)
    retryNow()
    controller?.abort()
    try {
      listener({ type: 'status', status: 'closed' })
    } catch (error) {
      queueMicrotask(() => {
        throw error
      })
    }
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
