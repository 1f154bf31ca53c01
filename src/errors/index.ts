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

/** Wrap anything thrown into a {@link ConfabError}, keeping it as `cause`. */
export function toConfabError(value: unknown, fallback: ConfabErrorCode, message: string): ConfabError {
  if (isConfabError(value)) return value
  return createError(fallback, message, { cause: value })
}
