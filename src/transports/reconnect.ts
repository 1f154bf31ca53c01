import { createError } from '../errors/index.js'
import { backoffDelay, type BackoffOptions } from '../util/backoff.js'
import { globalTimers, type Timers } from '../util/timers.js'
import type { ConnectionStatus } from './types.js'

/** What the browser announces to {@link NetworkEvents} listeners. */
export type NetworkEventType = 'online' | 'offline' | 'pageshow' | 'pagehide' | 'visibilitychange'

/**
 * Where the browser announces the network and the page's life: the `window`, which hears
 * `online`/`offline`, `pageshow`/`pagehide` and (bubbling up from its document) `visibilitychange`.
 * Any object with these methods works, so tests and non-window runtimes can drive it; its
 * `document.hidden`, when present, tells a hidden page, and `navigator.onLine` a device offline.
 *
 * @example
 * const page = Object.assign(new EventTarget(), { document: { hidden: false } })
 * createReconnectLoop({ events: page, … })
 * page.dispatchEvent(new Event('offline'))
 */
export interface NetworkEvents {
  addEventListener(type: NetworkEventType, listener: () => void): void
  removeEventListener(type: NetworkEventType, listener: () => void): void
  document?: { hidden?: boolean }
  navigator?: { onLine?: boolean }
}

/** What one attempt tells the loop about its connection. Calls after `down()` are ignored. */
export interface ReconnectLink {
  /**
   * The connection is usable: the loop reports `'online'` and starts the heartbeat. `ping` asks the
   * other end for a sign of life; the loop calls it after `keepalive` ms of silence.
   */
  up(ping?: () => void): void
  /** A sign of life arrived (a frame, an answered ping): the heartbeat starts over. */
  alive(): void
  /** The connection proved healthy (real data came): the next drop starts the backoff anew, as after 10 s up. */
  healthy(): void
  /** The connection ended, failed to open, or gave up after its signal aborted: `error` says why. */
  down(error?: Error): void
  /** Whether the device is offline: `navigator.onLine` was false or `offline` fired, and nothing opened since. */
  readonly offline: boolean
}

/**
 * Options of {@link createReconnectLoop}.
 *
 * @example
 * createReconnectLoop({ signal, connect: (signal, link) => openSocket(signal, link), setStatus: (s) => showStatus(s) })
 */
export interface ReconnectOptions extends BackoffOptions {
  /**
   * Open one connection, call `link.up()` once it is usable and `link.down()` when it ends or fails
   * (report failures there: what `connect` throws is not caught). `signal` aborts when the loop
   * gives the connection up (silence, the device going offline, the page hidden, `options.signal`):
   * close it then; the loop has already moved on.
   */
  connect(signal: AbortSignal, link: ReconnectLink): void
  /** A change of status: `'connecting'` first, then `'online'`, `'reconnecting'`, `'offline'`, with why it dropped. */
  setStatus(status: ConnectionStatus, error?: Error): void
  /** A further failed attempt while already reconnecting (not reported while offline). */
  report?(error: Error): void
  /** Stops the loop: listeners removed, timers cleared, the connection's signal aborted. */
  signal: AbortSignal
  /** Names the connection in errors (`'<name> went silent'`). Default `'Connection'`. */
  name?: string
  /** Default: the global timers. */
  timers?: Timers
  /**
   * Ms to wait before attempt number `attempt` (0 again after a healthy connection). Default: full
   * jitter under `base` (500) doubling up to `cap` (30 000), drawn with `random`, see `backoffDelay`.
   */
  delay?(attempt: number): number
  /**
   * Ms without a sign of life (`up`, `alive`) before the connection is pinged; 0 turns the heartbeat
   * off. Default 0.
   */
  keepalive?: number
  /**
   * Ms a ping may go without a sign of life before the connection is taken for dead (the timer starts
   * before `ping` is called). Default 10 000.
   */
  timeout?: number
  /**
   * Where `online`/`offline` (and the page's life) are announced. Default: `globalThis` when it has
   * `addEventListener` (the `window`); `null` for none.
   */
  events?: NetworkEvents | null
  /**
   * Follow the page's life: close on `pagehide` (a page in the back/forward cache must hold no
   * connection) and schedule nothing until `pageshow`; reconnect at once when a hidden page is
   * shown again (browsers slow the timers of hidden pages). Default true.
   */
  page?: boolean
  /**
   * While the device is offline, wait for `online` before trying again. Default true; `false` keeps
   * trying on the backoff timer, for when an `offline` event may be wrong (a VPN switch) and a try
   * costs little.
   */
  waitOnline?: boolean
}

/**
 * Keep a connection open until `options.signal` aborts: connect, and on every drop report it and
 * try again after a full-jitter backoff (so a crowd that dropped together does not come back in one
 * burst). A connection that goes silent (a half-open socket, which no socket event would ever tell)
 * is pinged, then dropped; the device going offline drops it and reports `'offline'`; `online`,
 * `pageshow` and a hidden page shown again reconnect at once. The first attempt starts on a microtask.
 *
 * @example
 * const stop = new AbortController()
 * createReconnectLoop({
 *   signal: stop.signal,
 *   keepalive: 25_000,
 *   setStatus: (status, error) => showStatus(status, error?.message),
 *   connect(signal, link) {
 *     const socket = new WebSocket('wss://chat.example.com/events')
 *     signal.addEventListener('abort', () => socket.close())
 *     socket.onopen = () => link.up(() => socket.send('ping'))
 *     socket.onmessage = (event) => { link.alive(); handle(event.data) }
 *     socket.onclose = (event) => link.down(new Error(`closed ${event.code}`))
 *   }
 * })
 */
export function createReconnectLoop(options: ReconnectOptions): void {
  const {
    signal,
    timers = globalTimers,
    keepalive = 0,
    timeout = 10_000,
    name = 'Connection',
    delay = (attempt: number) => backoffDelay(attempt, options),
    waitOnline = true,
    events = typeof addEventListener == 'function' ? (globalThis as unknown as NetworkEvents) : null
  } = options
  let status: ConnectionStatus | undefined
  // Attempts since the last healthy connection: the backoff's exponent.
  let attempt = 0
  // A page that boots offline hears no `offline` event.
  let offline = events?.navigator?.onLine === false
  // Between `pagehide` and `pageshow`: no reconnects, so the page stays fit for the back/forward cache.
  let hidden = false
  let timer: unknown
  // Ends the attempt under way: its `down()`.
  let end: ((error?: Error) => void) | undefined

  const report = (next: ConnectionStatus, error?: Error) => {
    if (next !== status) options.setStatus((status = next), error)
    // A further failed attempt while already reconnecting; failures while offline are expected.
    else if (error && !offline) options.report?.(error)
  }

  const healthy = () => {
    attempt = 0
  }

  // Each attempt starts on a microtask, like the first: never inside the event or timer that asked
  // for it, and once only, however many asked.
  const start = () =>
    queueMicrotask(() => {
      if (!end && !signal.aborted) open()
    })

  const open = () => {
    status || report('connecting')
    const own = new AbortController()
    let ping: (() => void) | undefined
    let watch: unknown
    let steady: unknown
    // Nothing arrived for `keepalive`: ping; still nothing `timeout` later: the connection is
    // half-open (a NAT or proxy forgot it, a laptop slept), which no socket event would ever tell.
    const arm = () => {
      if (keepalive > 0 && end === down) {
        timers.clearTimeout(watch)
        watch = timers.setTimeout(() => {
          // Set first, so a ping that throws (a socket already closed) still ends in a drop.
          watch = timers.setTimeout(() => down(createError('timeout', `${name} went silent`)), timeout)
          ping?.()
        }, keepalive)
      }
    }
    // Ended by the connection, or given up by the loop: without `error` when the loop closed it on
    // purpose (`offline`, `pagehide`, stopping), which is not a failure worth reporting.
    const down = (error?: Error) => {
      if (end !== down) return
      end = undefined
      timers.clearTimeout(watch)
      timers.clearTimeout(steady)
      own.abort(error)
      if (signal.aborted) return
      report(offline ? 'offline' : 'reconnecting', error)
      const ms = delay(attempt++)
      if (!hidden && !(offline && waitOnline)) timer = timers.setTimeout(start, ms)
    }
    end = down
    options.connect(own.signal, {
      up(pinger) {
        if (end !== down) return
        ping = pinger
        offline = false
        report('online')
        arm()
        // Up 10 s: the other end is healthy again, so the next drop starts the backoff anew. Not at
        // once: a server (or proxy) that accepts and drops at once would get reconnects several
        // times a second, forever.
        steady ??= timers.setTimeout(healthy, 10_000)
      },
      alive: arm,
      healthy,
      down,
      get offline() {
        return offline
      }
    })
  }

  const retryNow = () => {
    healthy()
    timers.clearTimeout(timer)
    start()
  }

  const on = (type: NetworkEventType, listener: () => void) => {
    events?.addEventListener(type, listener)
    signal.addEventListener('abort', () => events?.removeEventListener(type, listener))
  }

  if (signal.aborted) return
  on('offline', () => {
    offline = true
    report('offline')
    if (waitOnline) timers.clearTimeout(timer)
    // The connection cannot outlive the network; dropping it now starts the wait for `online`.
    end?.()
  })
  on('online', () => {
    if (!offline) return
    offline = false
    report('reconnecting')
    retryNow()
  })
  if (options.page ?? true) {
    const show = () => {
      if (events?.document?.hidden) return
      hidden = false
      if (status !== 'online') retryNow()
    }
    on('pagehide', () => {
      hidden = true
      timers.clearTimeout(timer)
      end?.()
    })
    on('pageshow', show)
    on('visibilitychange', show)
  }
  signal.addEventListener('abort', () => {
    timers.clearTimeout(timer)
    end?.()
  })
  start()
}
