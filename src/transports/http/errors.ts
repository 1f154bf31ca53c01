import { isHTTPError } from 'ky'
import { createError, isConfabError, type ConfabError } from '../../errors/index.js'

/**
 * Turn what a ky call threw into a {@link ConfabError} that names the request: ky's `HTTPError` (a
 * non-2xx answer), its `TimeoutError` (no response headers in time), an abort, or fetch's own
 * `TypeError` (no answer at all).
 * `retryable` follows what may change on a second try: a lost answer, a timeout, 408, 429 and 5xx;
 * never another 4xx, which would fail the same way again.
 *
 * @example
 * catch (error) { throw await toHttpError(error, 'POST /v1/conversations/c1/messages') }
 * // → ConfabError { code: 'http', status: 503, retryable: true,
 * //                 message: 'POST /v1/conversations/c1/messages answered 503' }
 */
export async function toHttpError(error: unknown, label: string, now = Date.now()): Promise<ConfabError> {
  if (isConfabError(error)) return error
  if (isHTTPError(error)) {
    const { status, headers } = error.response
    const code =
      status === 401 ? 'unauthorized' : status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : 'http'
    const retryAfter = status === 429 ? parseRetryAfter(headers.get('retry-after'), now) : undefined
    return createError(code, `${label} answered ${status}${await reason(error.response)}`, {
      status,
      retryable: status === 408 || status === 429 || status >= 500,
      cause: error,
      ...(retryAfter === undefined ? {} : { retryAfter })
    })
  }
  if ((error as Error | undefined)?.name === 'TimeoutError') return createError('timeout', `${label} timed out`, { cause: error })
  // An abort is always ours (close()) or the caller's signal: trying again would only repeat it.
  if ((error as Error | undefined)?.name === 'AbortError') {
    return createError('closed', `${label} was aborted`, { cause: error })
  }
  // fetch rejects with a TypeError when no answer came: offline, DNS, reset, CORS.
  return createError('network', `${label} got no answer`, { cause: error, retryable: true })
}

/** The server's own explanation from an `{ error: { message } }` body, if it sent one. */
async function reason(response: Response): Promise<string> {
  try {
    const message = ((await response.json()) as { error?: { message?: unknown } } | null)?.error?.message
    return typeof message === 'string' && message !== '' ? `: ${message}` : ''
  } catch {
    return ''
  }
}

/**
 * `Retry-After` in ms: either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 *
 * @example
 * parseRetryAfter('2', Date.now()) // 2000
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
