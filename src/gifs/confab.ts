import { createError } from '../errors/index.js'
import { getJson, gifOf, image, mediaUrl, pageSize, readPage, record, text } from './request.js'
import type { Gif, GifProvider, GifProviderOptions, GifSearchOptions } from './types.js'

/** Options of {@link createConfabGifProvider}. */
export interface ConfabGifProviderOptions extends GifProviderOptions {
  /** The backend that speaks Confab's HTTP protocol (the same `url` as the HTTP transport's). */
  url: string
}

/**
 * GIFs a backend serves itself, through `GET /v1/gifs/search?q=…&limit=…&cursor=…` of Confab's
 * HTTP protocol (an empty `q` asks for what to show first): no third party sees the visitor's
 * searches, and it works without the internet. The reference server ships a small set. Its answer:
 * `{ results: [{ id, title, url, width, height, preview: { url, width, height }, still?, source? }], next }`,
 * URLs absolute or relative to the backend; `https:`, or `http:` when the backend itself is.
 *
 * @example
 * createWidget({ transport: createHttpTransport({ url }), gifs: createConfabGifProvider({ url }) })
 */
export function createConfabGifProvider(options: ConfabGifProviderOptions): GifProvider {
  const { onError } = options
  let base: URL
  try {
    base = new URL('v1/gifs/search', options.url.endsWith('/') ? options.url : `${options.url}/`)
  } catch (error) {
    throw createError('invalid-argument', `createConfabGifProvider needs the backend's { url }, got ${String(options.url)}`, { cause: error })
  }
  // A backend on http: (a developer's machine) serves its GIFs over http: too.
  const schemes = base.protocol === 'http:' ? ['https:', 'http:'] : ['https:']
  const read = (item: Record<string, unknown>): Gif | string => {
    const id = text(item.id)
    if (!id) return 'no id'
    const at = (value: unknown) => {
      const found = record(value)
      return image(mediaUrl(found?.url, schemes, base.href), found?.width, found?.height)
    }
    const gif = image(mediaUrl(item.url, schemes, base.href), item.width, item.height)
    const preview = at(item.preview)
    if (!gif || !preview) return `${id}: no url, width and height, or preview`
    const source = mediaUrl(item.source, ['https:', 'http:'], base.href)
    return gifOf(id, 'confab', text(item.title) ?? 'GIF', gif, preview, at(item.still), source)
  }
  const request = async (query: string, { limit, cursor, signal }: GifSearchOptions = {}) => {
    const url = new URL(base)
    url.searchParams.set('q', query)
    url.searchParams.set('limit', String(pageSize(limit)))
    if (cursor) url.searchParams.set('cursor', cursor)
    const body = record(await getJson(options.fetch ?? fetch, url, `GET ${base.href}`, signal))
    return readPage(body?.results, read, text(body?.next) ?? null, 'The backend', onError)
  }
  return {
    name: 'confab',
    search: request,
    trending: (searchOptions) => request('', searchOptions)
  }
}
