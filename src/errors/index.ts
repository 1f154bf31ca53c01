/**
 * One error family for everything Confab throws or reports.
 *
 * @example
 * client.on('error', (error) => {
 *   if (error.code === 'malformed-event') console.warn(error.message)
 * })
 */

/**
 * What went wrong, as a stable string a program can branch on.
 *
 * - `'network'`: the request never got an answer (offline, DNS, connection reset).
 * - `'timeout'`: the request took longer than allowed.
 * - `'http'`: the server answered with an error status (see `status`).
 * - `'unauthorized'`: the server refused the session or identity (401).
 * - `'rate-limited'`: the server asked us to slow down (429; see `retryAfter`).
 * - `'malformed-event'`: an event or response from the server did not match the protocol; it was dropped.
 * - `'invalid-argument'`: the caller passed something Confab cannot use.
 * - `'not-found'`: the conversation or message does not exist.
 * - `'closed'`: the client or transport was shut down.
 * - `'storage'`: the device's storage failed; Confab went on in memory.
 * - `'unsupported'`: the transport does not offer this capability.
 * - `'cancelled'`: the page's `beforeSend` hook cancelled the message (it was never shown or kept).
 * - `'internal'`: something threw that Confab does not know (see `cause`): a bug, in Confab, an
 *   adapter or a listener. Reported once and never retried, so a bug is not mistaken for a network
 *   failure and tried again for ever.
 */
export type ConfabErrorCode =
  | 'network'
  | 'timeout'
  | 'http'
  | 'unauthorized'
  | 'rate-limited'
  | 'malformed-event'
  | 'invalid-argument'
  | 'not-found'
  | 'closed'
  | 'storage'
  | 'unsupported'
  | 'cancelled'
  | 'internal'

/** Extra facts a person needs to understand or retry the failure. */
export interface ConfabErrorDetails {
  /** Whether trying the same thing again later may succeed. */
  retryable?: boolean
  /** The underlying error, if any. */
  cause?: unknown
  /** HTTP status, when the server answered. */
  status?: number
  /** Milliseconds the server asked us to wait before retrying. */
  retryAfter?: number
  /** The raw input that failed to parse, for `'malformed-event'`. */
  data?: unknown
}

const BRAND = Symbol.for('confab.error')

/** Codes that are worth retrying unless the details say otherwise. */
const RETRYABLE: ReadonlySet<ConfabErrorCode> = new Set(['network', 'timeout', 'rate-limited'])

/**
 * The base error of the family. Create with {@link createError}; test with {@link isConfabError}.
 */
export interface ConfabError extends Error {
  readonly name: 'ConfabError'
  readonly code: ConfabErrorCode
  readonly retryable: boolean
  readonly status?: number
  readonly retryAfter?: number
  readonly data?: unknown
}

/**
 * Make a {@link ConfabError}.
 *
 * @example
 * throw createError('http', 'POST /v1/conversations/c1/messages answered 503', { status: 503, retryable: true })
 */
export function createError(
  code: ConfabErrorCode,
  message: string,
  details: ConfabErrorDetails = {}
): ConfabError {
  const error = new Error(message, { cause: details.cause }) as Error & Record<string, unknown>
  error.name = 'ConfabError'
  error.code = code
  error.retryable = details.retryable ?? RETRYABLE.has(code)
  if (details.status !== undefined) error.status = details.status
  if (details.retryAfter !== undefined) error.retryAfter = details.retryAfter
  if (details.data !== undefined) error.data = details.data
  Object.defineProperty(error, BRAND, { value: true })
  return error as unknown as ConfabError
}

/**
 * Whether `value` is a {@link ConfabError}, even one made in another realm (an iframe, a worker
 * bundle, a second copy of Confab on the page).
 */
export function isConfabError(value: unknown): value is ConfabError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
}

/**
 * A network failure, in an error's `name: message`, its `code` or an event's `type`: the `TypeError`
 * of a `fetch` that got no answer (Chromium, Firefox, Safari, Node), a `NetworkError`, a socket that
 * could not connect or closed (Node's codes, a WebSocket's `close` or `error` event).
 */
const NETWORK = /^(TypeError: (Failed to fetch|NetworkError when|Load failed|fetch failed)|NetworkError|E(CONN|PIPE|NOTFOUND|AI_AGAIN)|close$|error$)/

/**
 * Wrap anything thrown into a {@link ConfabError}, keeping it as `cause`. A failure recognised as a
 * network failure (the `TypeError` of a `fetch` that got no answer, a socket that closed) becomes a
 * retryable `'network'` error; anything else unknown is a bug: a non-retryable `'internal'` error.
 *
 * @example
 * toConfabError(new TypeError('Failed to fetch'), 'Could not send').code // 'network'
 * toConfabError(new TypeError("Cannot read properties of undefined"), 'Could not send').code // 'internal'
 */
export function toConfabError(value: unknown, message: string): ConfabError {
  if (isConfabError(value)) return value
  const { name, message: text, code, type } = (value ?? {}) as Record<string, unknown>
  const network = [`${name}: ${text}`, code, type].some((fact) => NETWORK.test(String(fact)))
  return createError(network ? 'network' : 'internal', message, { cause: value })
}
