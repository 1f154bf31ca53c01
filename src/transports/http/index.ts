import ky, { type Hooks, type Options } from 'ky'
import { PART_TYPES } from '../../content/check.js'
import { createError, type ConfabError } from '../../errors/index.js'
import { globalTimers } from '../../util/timers.js'
import type { ConnectInput, Transport, TransportEvent, VisitorSession } from '../types.js'
import { toHttpError } from './errors.js'
import { pollKind } from './poll-stream.js'
import { openEventStream, sseKind, type Connect, type NetworkEvents, type Timers } from './stream.js'
import {
  readArchiveHits,
  readConversation,
  readConversationPage,
  readHistoryPage,
  readMessage,
  readSession,
  readUploadLimits,
  readUploadSlot
} from './wire.js'
import { webSocketKind } from './ws-stream.js'

export type { NetworkEvents, Timers } from './stream.js'

/**
 * How the event stream reaches the server.
 * - `'websocket'`: a WebSocket (`/v1/ws`); needs a `WebSocket` constructor.
 * - `'sse'`: server-sent events read with streaming `fetch` (`/v1/events`).
 * - `'poll'`: long polling (`/v1/poll`), for networks that block both others.
 */
export type StreamKind = 'websocket' | 'sse' | 'poll'

/**
 * Options of {@link createHttpTransport}.
 *
 * @example
 * createHttpTransport({ url: 'https://chat.example.com', timeout: 5000 })
 */
export interface HttpTransportOptions {
  /** Base URL of the server; the `/v1/…` paths are appended. */
  url: string
  /**
   * The `fetch` ky calls, with a `Request`. Default: the global `fetch`, looked up at each call (so
   * late polyfills and test mocks apply).
   */
  fetch?: typeof fetch
  /** Milliseconds to wait for a response's headers before failing with `timeout`. Default 10 000. */
  timeout?: number
  /** Random source in [0, 1) for reconnect jitter. Default `Math.random`. */
  random?: () => number
  /** Timers for reconnect delays and the heartbeat. Default: the global ones. */
  timers?: Timers
  /** Extra headers sent with every request (an API version, a site key). */
  headers?: Record<string, string>
  /**
   * ky's hooks, run on every HTTP request (REST calls, server-sent events, long polls; not the
   * WebSocket) after the transport's own, which add the session token and start the session again
   * after a 401: a header the site computes per request
   * (a CSRF token, a trace id), logging, or a reworded `HTTPError` before it becomes a `ConfabError`.
   * Retries are off (the client owns them), so `beforeRetry` never runs.
   *
   * @example
   * createHttpTransport({
   *   url: 'https://chat.example.com',
   *   hooks: { beforeRequest: [(request) => request.headers.set('x-csrf-token', readCsrfToken())] }
   * })
   */
  hooks?: Hooks
  /**
   * Where `online`/`offline`, `pageshow`/`pagehide` and `visibilitychange` are announced. Default:
   * `globalThis` when it has `addEventListener` (the `window` in a browser); `null` turns the
   * network and page watch off.
   */
  events?: NetworkEvents | null
  /**
   * The ways to reach the event stream, in the order to try them. One that fails twice in a row
   * before anything came through (a network that blocks it) gives way to the next (after the last,
   * the first again); the first through which anything came is kept for the transport's life.
   * A failure counts only when the server answered no HTTP status (a `503` fails every way alike)
   * and the browser was online: from `navigator.onLine` being false or an `offline` event until an
   * `online` event or a connection opening, failures count against no way, so a widget that boots
   * or goes offline keeps its first choice. Default `['websocket', 'sse', 'poll']`.
   */
  stream?: StreamKind[]
  /** The `WebSocket` constructor. Default: the global one; without one, `'websocket'` is skipped. */
  WebSocket?: typeof WebSocket
  /**
   * Ms without anything from the server before the stream is pinged; with nothing 10 s later it is
   * taken for dead (a half-open socket) and reopened. Also how long a long poll is held. Default 25 000.
   */
  heartbeatMs?: number
}

type Method = 'get' | 'post' | 'patch'
type RequestInit_ = Pick<Options, 'json' | 'searchParams' | 'headers' | 'signal'>

/**
 * A transport for the Confab HTTP protocol (see `examples/server/README.md`): REST calls through
 * ky, and events over a WebSocket, server-sent events read with streaming `fetch`, or long
 * polling, whichever this network lets through, resumed from the last event id after every drop
 * and reopened when a heartbeat finds the connection dead. The session token lives in this closure
 * only; a 401 starts the session again from the resume key once and repeats the call. Files go to
 * slots the server grants (`requestUpload`); the client puts their bytes with `XMLHttpRequest`.
 *
 * @example
 * import { createClient, createHttpTransport } from 'confab'
 * const client = createClient({ transport: createHttpTransport({ url: 'https://chat.example.com' }) })
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  if (typeof options?.url !== 'string' || options.url === '') {
    throw createError('invalid-argument', 'createHttpTransport() needs the server `url`')
  }
  const timers = options.timers ?? globalTimers
  // One ky instance for every call: base URL, default headers, JSON bodies, query strings, a timeout
  // for the response's headers (ky clears it once they arrive, so an event stream's body is not cut),
  // non-2xx answers as HTTPError, and the session token in hooks (the site's own hooks after ours).
  const own = options.hooks
  const api = ky.create({
    prefixUrl: options.url,
    // Looked up at each call (late polyfills and test mocks apply), and called unbound: some
    // browsers throw "Illegal invocation" when fetch gets another `this`.
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    timeout: options.timeout ?? 10_000,
    headers: options.headers,
    // No retries here: the client retries sends (a POST is never repeated behind its back) and
    // reads, with jitter and offline pauses, and the reconnect loop owns the event stream's GETs.
    retry: 0,
    hooks: {
      ...own,
      // Calls that need the session carry their label in `context`: they wait for a session request
      // in flight and go with its token.
      beforeRequest: [
        async (request, { context }) => {
          if (context.label) request.headers.set('authorization', `Bearer ${(context.token = await session(context.label as string))}`)
        },
        ...(own?.beforeRequest ?? [])
      ],
      afterResponse: [
        async (request, { context }, response) => {
          // An expired token: start the session again from the resume key, then repeat the call once.
          if (response.status === 401 && context.token && !context.retried) {
            await refresh(context.token as string)
            return api(request, { context: { ...context, retried: true } })
          }
        },
        ...(own?.afterResponse ?? [])
      ]
    }
  })
  const heartbeat = options.heartbeatMs ?? 25_000

  let token: string | undefined
  let resumeKey: string | undefined
  let identity: ConnectInput['identity']
  /** The session request in flight (connect or refresh); calls wait for it. */
  let pending: Promise<VisitorSession> | undefined
  /** Aborted by close(), so no request outlives the transport. */
  let life = new AbortController()
  const streams = new Set<() => void>()
  const listeners = new Set<(event: TransportEvent) => void>()
  /** Problems the transport survived before anyone listened (a session answered before subscribe). */
  const unheard: ConfabError[] = []

  /** Tell the listeners about a problem the transport survived, or the first one to come. */
  function report(error: ConfabError): void {
    if (listeners.size === 0) return void unheard.push(error)
    for (const listener of listeners) listener({ type: 'error', error })
  }

  const label = (method: Method, path: string) => `${method.toUpperCase()} /${path}`

  async function request(method: Method, path: string, init: RequestInit_ = {}, auth = true): Promise<Response> {
    const what = label(method, path)
    try {
      return await api(path, {
        ...init,
        method,
        signal: init.signal ? AbortSignal.any([life.signal, init.signal]) : life.signal,
        context: auth ? { label: what } : {}
      })
    } catch (error) {
      throw await toHttpError(error, what)
    }
  }

  /** The session's token, once a session request in flight settled. */
  async function session(what: string): Promise<string> {
    await pending?.catch(() => {})
    if (token === undefined) throw createError('closed', `${what}: call connect() first`)
    return token
  }

  async function json<T>(
    method: Method,
    path: string,
    read: (value: unknown) => T | undefined,
    init?: RequestInit_,
    auth?: boolean
  ): Promise<T> {
    const response = await request(method, path, init, auth)
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw await toHttpError(error, label(method, path))
    }
    let data: unknown = text
    try {
      data = JSON.parse(text)
    } catch {
      // Not JSON: `read` rejects the raw text below and the error carries it.
    }
    const value = read(data)
    if (value === undefined) {
      throw createError('malformed-event', `${label(method, path)} answered with a body that does not match the protocol`, {
        data
      })
    }
    return value
  }

  /** A POST (or PATCH) whose answer the client has no use for (a 204, a stored postback). */
  async function post(path: string, body: Record<string, unknown>, signal?: AbortSignal, method: Method = 'post'): Promise<void> {
    const response = await request(method, path, { json: body, signal })
    // An unread body would hold the connection in some runtimes.
    await response.body?.cancel()
  }

  function startSession(signal?: AbortSignal): Promise<VisitorSession> {
    const post = () =>
      json('post', 'v1/sessions', readSession, { json: { resumeKey, identity: identity && { token: identity.token } }, signal }, false)
    const run = post()
      .catch(async (error: unknown) => {
        // The site's identity token expired: ask the site for a fresh one, once.
        if (!identity?.refresh || (error as { code?: string }).code !== 'unauthorized') throw error
        identity = { ...identity, token: await identity.refresh() }
        return post()
      })
      .then(({ token: granted, uploadLimits, ...session }): VisitorSession => {
        token = granted
        resumeKey = session.resumeKey
        const limits = uploadLimits === undefined ? undefined : readUploadLimits(uploadLimits)
        if (uploadLimits === undefined || limits) return limits ? { ...session, uploadLimits: limits } : session
        // Not fatal: the server still judges each file when its slot is asked for.
        report(
          createError('malformed-event', 'Dropped uploadLimits that do not match the protocol (POST /v1/sessions)', { data: uploadLimits })
        )
        return session
      })
    pending = run
    // Only the latest session request clears the mark, and only once it settled.
    const clear = () => {
      if (pending === run) pending = undefined
    }
    run.then(clear, clear)
    return run
  }

  /**
   * Refresh after a 401 with `stale`, unless another call already did (or is doing) it. A backend
   * that no longer knew the visitor starts a new one: the client hears of its key.
   */
  function refresh(stale: string | undefined): Promise<unknown> {
    if (pending) return pending
    if (token !== stale) return Promise.resolve()
    const before = resumeKey
    return startSession().then((session) => {
      if (session.resumeKey !== before) for (const listener of listeners) listener({ type: 'session', session })
    })
  }

  const conversationPath = (id: string) => `v1/conversations/${encodeURIComponent(id)}`

  const WS = options.WebSocket ?? globalThis.WebSocket
  /** Shared by the transport's streams, so a kind this network blocks is passed over by all of them. */
  const kinds: Connect[] = (options.stream ?? ['websocket', 'sse', 'poll']).flatMap((kind) =>
    kind == 'sse'
      ? sseKind((lastId, signal) =>
          request('get', 'v1/events', {
            signal,
            headers: { accept: 'text/event-stream', ...(lastId === '' ? {} : { 'last-event-id': lastId }) }
          })
        )
      : kind == 'poll'
        ? pollKind((cursor, signal) => request('get', 'v1/poll', { signal, searchParams: { cursor: cursor || undefined, wait: heartbeat } }))
        : WS
          ? webSocketKind(`${options.url.replace(/^http/, 'ws').replace(/\/+$/, '')}/v1/ws`, WS, () => session('WebSocket'), refresh)
          : []
  )
  if (!kinds[0]) throw createError('invalid-argument', 'No `stream` kind works here')

  return {
    name: 'http',
    capabilities: {
      typing: true,
      readReceipts: true,
      uploads: true,
      search: true,
      streamResume: true,
      historyNewer: true,
      content: PART_TYPES
    },
    connect(input) {
      resumeKey = input.resumeKey
      identity = input.identity
      return startSession(input.signal)
    },
    listConversations: ({ cursor, limit } = {}) =>
      json('get', 'v1/conversations', readConversationPage, { searchParams: { cursor, limit } }),
    createConversation: ({ mode, subject }) =>
      json('post', 'v1/conversations', readConversation, { json: { mode, subject } }),
    getConversation: (id) => json('get', conversationPath(id), readConversation),
    history: (id, { before, after, limit, signal } = {}) =>
      json('get', `${conversationPath(id)}/messages`, readHistoryPage, { searchParams: { before, after, limit }, signal }),
    send: (id, { clientId, text, parts, replyTo, metadata }, { signal } = {}) =>
      json('post', `${conversationPath(id)}/messages`, readMessage, { json: { clientId, text, parts, replyTo, metadata }, signal }),
    postback: (id, { clientId, payload, messageId, actionId }, { signal } = {}) =>
      post(`${conversationPath(id)}/postbacks`, { clientId, payload, messageId, actionId }, signal),
    closeConversation: (id) => json('post', `${conversationPath(id)}/close`, readConversation),
    // A file refused for its size (413) or type (415) fails for good: toHttpError makes every 4xx
    // but 408 and 429 not retryable, with its status and the server's reason.
    requestUpload: (id, { clientId, name, size, type }, { signal } = {}) =>
      json('post', `${conversationPath(id)}/uploads`, readUploadSlot, { json: { clientId, name, size, type }, signal }),
    setTyping: (id, typing) => post(`${conversationPath(id)}/typing`, { typing }),
    markRead: (id, messageId) => post(`${conversationPath(id)}/read`, { messageId }),
    // A refused update or event (a limit broken) is a 400 or 413: not retryable, with the server's reason.
    updateVisitor: ({ attributes, page }, { signal } = {}) => post('v1/visitor', { attributes, page }, signal, 'patch'),
    trackEvent: ({ clientId, name, metadata, at }, { signal } = {}) => post('v1/visitor/events', { clientId, name, metadata, at }, signal),
    searchArchive: (q, { conversationId, limit, signal } = {}) =>
      json('get', 'v1/search', readArchiveHits, { searchParams: { q, conversationId, limit }, signal }),
    subscribe(listener, { cursor } = {}) {
      const stop = openEventStream({ kinds, timers, random: options.random ?? Math.random, events: options.events, heartbeat }, listener, cursor)
      const unsubscribe = () => {
        streams.delete(unsubscribe)
        listeners.delete(listener)
        stop()
      }
      streams.add(unsubscribe)
      listeners.add(listener)
      for (const error of unheard.splice(0)) queueMicrotask(() => listeners.has(listener) && listener({ type: 'error', error }))
      return unsubscribe
    },
    close() {
      for (const stop of [...streams]) stop()
      life.abort()
      life = new AbortController()
      token = pending = undefined
    }
  }
}
