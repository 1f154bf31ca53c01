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
 * Where the browser announces `online` and `offline` (the `window`). Any object with these two
 * methods works, so tests and non-window runtimes can drive it.
 */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void
  removeEventListener(type: 'online' | 'offline', listener: () => void): void
}

/** @internal What {@link openEventStream} needs from the transport. */
export interface StreamDeps {
  /**
   * Start `GET /v1/events` resuming after `lastId` (authorized, refreshed once on 401, errors as
   * `ConfabError`s) and resolve with the open response.
   */
  open(lastId: string, signal: AbortSignal): Promise<Response>
  timers: Timers
  random: () => number
  events: NetworkEvents | undefined
}

const LABEL = 'GET /v1/events'

/**
 * Keep an event stream open until the returned function is called: connect, parse, hand events
 * to `listener`, and on any drop reconnect after a jittered backoff with `Last-Event-ID` set to
 * the last id received, so the server replays what was missed.
 *
 * @example
 * const stop = openEventStream(deps, (event) => apply(event), '41')
 */
export function openEventStream(
  deps: StreamDeps,
  listener: (event: TransportEvent) => void,
  cursor = ''
): Unsubscribe {
  const { timers, events } = deps
  let active = true
  let status: ConnectionStatus | undefined
  let lastId = cursor
  let attempt = 0
  // The server's `retry:`; 0 until it sends one.
  let serverRetry = 0
  let offline = false
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
    if (timer !== undefined) timers.clearTimeout(timer)
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

  async function run(): Promise<void> {
    report('connecting')
    while (active) {
      const own = (controller = new AbortController())
      // A fresh parser per connection: a half-received event from a dropped stream is discarded.
      const parser = createSseParser(
        {
          event: (event) => emit(readEvent(event.event, event.data, event.id)),
          retry: (ms) => {
            serverRetry = ms
          }
        },
        lastId
      )
      let error: Error
      try {
        const response = await deps.open(lastId, own.signal)
        const type = response.headers.get('content-type') ?? ''
        if (!response.body || !/^text\/event-stream/i.test(type)) {
          throw createError('malformed-event', `${LABEL} answered ${type || 'no content type'}`, {
            retryable: true,
            status: response.status
          })
        }
        offline = false
        report('online')
        await readStream(response.body, (chunk) => {
          // Bytes arrived, so the server is healthy again: the next drop starts the backoff anew.
          attempt = 0
          parser.push(chunk)
        }, own.signal)
        error = createError('network', `${LABEL} ended`, { retryable: true })
      } catch (caught) {
        error = await toHttpError(caught, LABEL)
      }
      lastId = parser.id
      if (!active) return
      // A server that refuses our cursor (400) would refuse it forever: start from now, and tell
      // the client its view may have a gap.
      if (isConfabError(error) && error.status === 400 && lastId !== '') {
        lastId = ''
        emit({ type: 'reset' })
      }
      // Our own abort (going offline) is not a failure worth reporting.
      if (own.signal.aborted) report(offline ? 'offline' : 'reconnecting')
      else report(offline ? 'offline' : 'reconnecting', error)
      // The server's `retry:` is a floor; full jitter on top spreads a crowd that dropped together.
      const delay = serverRetry + backoffDelay(attempt++, { random: deps.random })
      await new Promise<void>((resolve) => {
        wake = resolve
        timer = timers.setTimeout(resolve, delay)
      })
      wake = timer = undefined
    }
  }

  events?.addEventListener('online', onOnline)
  events?.addEventListener('offline', onOffline)
  // Start on a microtask, so no event reaches the listener before `subscribe` has returned.
  void Promise.resolve().then(run)

  return () => {
    if (!active) return
    active = false
    events?.removeEventListener('online', onOnline)
    events?.removeEventListener('offline', onOffline)
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
