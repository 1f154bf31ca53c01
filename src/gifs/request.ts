import { createError, type ConfabError } from '../errors/index.js'
import type { Gif, GifImage, GifPage, GifProviderOptions } from './types.js'

/** Most results a page asks for: Tenor's and GIPHY's documented maximum. */
export const MAX_LIMIT = 50

/** Results per page unless asked otherwise: a picker's grid of two columns, with some to scroll. */
export const DEFAULT_LIMIT = 24

/** `limit` as a whole number from 1 to {@link MAX_LIMIT}. */
export const pageSize = (limit = DEFAULT_LIMIT): number => Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit) || DEFAULT_LIMIT))

/**
 * GET `url` and read its JSON. `label` names the request in errors without its query, which holds
 * the site's key. A refusal says what it is, as the HTTP transport's errors do: 401 and 403
 * `'unauthorized'` (a wrong or revoked key), 429 `'rate-limited'`, others `'http'`, retryable for
 * 408 and 5xx; an abort is `'closed'`; no answer is `'network'`; an answer that is not JSON is
 * `'malformed-event'`.
 *
 * @example
 * const body = await getJson(fetch, url, 'GET https://api.giphy.com/v1/gifs/search', signal)
 */
export async function getJson(fetcher: typeof fetch, url: URL, label: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response
  try {
    response = await fetcher(url, signal ? { signal, headers: { accept: 'application/json' } } : { headers: { accept: 'application/json' } })
  } catch (error) {
    if (signal?.aborted || (error as Error | undefined)?.name === 'AbortError') {
      throw createError('closed', `${label} was aborted`, { cause: error })
    }
    throw createError('network', `${label} got no answer`, { cause: error, retryable: true })
  }
  if (!response.ok) {
    const { status } = response
    const code = status === 401 || status === 403 ? 'unauthorized' : status === 429 ? 'rate-limited' : 'http'
    throw createError(code, `${label} answered ${status}${await reason(response)}`, {
      status,
      retryable: status === 408 || status === 429 || status >= 500
    })
  }
  try {
    return await response.json()
  } catch (error) {
    if (signal?.aborted) throw createError('closed', `${label} was aborted`, { cause: error })
    throw createError('malformed-event', `${label} answered with something that is not JSON`, { cause: error })
  }
}

/** The provider's own explanation (Google's and GIPHY's error bodies both carry a `message`). */
async function reason(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown }; meta?: { msg?: unknown }; message?: unknown } | null
    const message = body?.error?.message ?? body?.meta?.msg ?? body?.message
    return typeof message === 'string' && message !== '' ? `: ${message.slice(0, 200)}` : ''
  } catch {
    return ''
  }
}

/** A plain object, or undefined. */
export const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined

/** A whole number of pixels from 1 to 10,000, given as a number or (as GIPHY does) a string of digits. */
export function pixels(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 10_000 ? number : undefined
}

/** A non-empty string, or undefined. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined)

/**
 * `value` as a URL the widget may show, or undefined: absolute, or relative to `base` when one is
 * given, and of one of `schemes`.
 */
export function mediaUrl(value: unknown, schemes: readonly string[], base?: string): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > 2048) return undefined
  try {
    const parsed = new URL(value, base)
    return schemes.includes(parsed.protocol) ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/** A rendition `{ url, width, height }`, or undefined when any of it is missing or wrong. */
export function image(url: string | undefined, width: unknown, height: unknown): GifImage | undefined {
  const w = pixels(width)
  const h = pixels(height)
  return url && w && h ? { url, width: w, height: h } : undefined
}

/** A GIF of the parts read, without `still` or `source` when there is none. */
export const gifOf = (id: string, provider: string, title: string, sent: GifImage, preview: GifImage, still?: GifImage, source?: string): Gif => ({
  id,
  provider,
  title,
  ...sent,
  preview,
  ...(still ? { still } : {}),
  ...(source ? { source } : {})
})

/**
 * Read a provider's answer into a page: `items` read one by one with `read`, which returns a GIF or
 * says what is wrong with the item. Wrong items are left out and reported, once per page, as a
 * `'malformed-event'` error to `onError` (default: a console warning), so a provider that changes
 * its format shows fewer GIFs rather than broken ones.
 *
 * @example
 * return readPage(body.results, readTenorItem, next, 'Tenor', options.onError)
 */
export function readPage(
  items: unknown,
  read: (item: Record<string, unknown>) => Gif | string,
  next: string | null,
  who: string,
  onError: GifProviderOptions['onError']
): GifPage {
  if (!Array.isArray(items)) throw createError('malformed-event', `${who} answered without a list of results`, { data: items })
  const results: Gif[] = []
  const problems: string[] = []
  items.forEach((item, index) => {
    const object = record(item)
    const gif = object ? read(object) : 'not an object'
    if (typeof gif === 'string') problems.push(`result ${index}: ${gif}`)
    else results.push(gif)
  })
  if (problems.length) {
    const error = createError('malformed-event', `${who} sent ${problems.length} result(s) that cannot be shown: ${problems.slice(0, 3).join('; ')}`, {
      data: items
    })
    ;(onError ?? ((problem: ConfabError) => console.warn(problem.message)))(error)
  }
  return { results, next }
}

/** `'de-AT'` → `'de_AT'` (Tenor's form of a locale). */
export const underscored = (locale: string): string => locale.replace('-', '_')
