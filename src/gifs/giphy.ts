import { createError } from '../errors/index.js'
import { getJson, gifOf, image, mediaUrl, pageSize, readPage, record, text } from './request.js'
import type { Gif, GifProvider, GifProviderOptions, GifSearchOptions, GiphyRating } from './types.js'

/** Options of {@link createGiphyProvider}. */
export interface GiphyProviderOptions extends GifProviderOptions {
  /** The site's GIPHY API key (developers.giphy.com). It is sent from the visitor's browser. */
  key: string
  /** The highest rating shown. Default `'g'`. */
  rating?: GiphyRating
}

const API = 'https://api.giphy.com/v1/gifs/'

/** GIPHY serves media from media*.giphy.com, over `https:`. */
const HTTPS = ['https:']

/** GIPHY's documented cap on `offset`: pages past it are not served. */
const MAX_OFFSET = 4999

/**
 * GIFs from GIPHY's API: `/v1/gifs/search` for a query, `/v1/gifs/trending` before anything is
 * typed. Sends the `original` rendition; previews with `fixed_width_small` (100 px wide), still with
 * `fixed_width_small_still`. GIPHY's terms ask for attribution: the picker shows "Powered by GIPHY".
 *
 * @example
 * createWidget({ transport, gifs: createGiphyProvider({ key: 'YOUR_GIPHY_KEY', rating: 'pg' }) })
 */
export function createGiphyProvider(options: GiphyProviderOptions): GifProvider {
  const { key, rating = 'g', onError } = options
  if (typeof key !== 'string' || key === '') throw createError('invalid-argument', 'createGiphyProvider needs the site’s GIPHY API { key }')
  const request = async (endpoint: 'search' | 'trending', query: string | undefined, { limit, cursor, signal, locale }: GifSearchOptions = {}) => {
    const url = new URL(endpoint, API)
    const params = url.searchParams
    params.set('api_key', key)
    if (query !== undefined) params.set('q', query)
    const size = pageSize(limit)
    params.set('limit', String(size))
    const offset = Math.min(MAX_OFFSET, Number(cursor) || 0)
    params.set('offset', String(offset))
    params.set('rating', rating)
    if (locale && query !== undefined) params.set('lang', locale.split('-')[0]!.toLowerCase())
    const label = `GET ${API}${endpoint}`
    const body = record(await getJson(options.fetch ?? fetch, url, label, signal))
    const meta = record(body?.meta)
    // GIPHY's "synthetic response" when its own systems fail: status 200, an empty response_id and
    // the rest empty. To be treated as an error, the documentation says.
    if (meta?.response_id === '') {
      throw createError('http', `${label} answered an empty stand-in (GIPHY is having trouble)`, { status: 200, retryable: true })
    }
    const pagination = record(body?.pagination)
    const count = typeof pagination?.count === 'number' ? pagination.count : Array.isArray(body?.data) ? body.data.length : 0
    const total = typeof pagination?.total_count === 'number' ? pagination.total_count : undefined
    const after = offset + count
    // Trending has no total_count: a full page means there may be more.
    const more = count > 0 && after <= MAX_OFFSET && (total === undefined ? count >= size : after < total)
    return readPage(body?.data, readGiphyItem, more ? String(after) : null, 'GIPHY', onError)
  }
  return {
    name: 'giphy',
    attribution: 'Powered by GIPHY',
    search: (query, searchOptions) => request('search', query, searchOptions),
    trending: (searchOptions) => request('trending', undefined, searchOptions)
  }
}

/** A rendition of `images` (width and height are strings of digits in GIPHY's answers). */
function rendition(images: Record<string, unknown>, name: string) {
  const found = record(images[name])
  return image(mediaUrl(found?.url, HTTPS), found?.width, found?.height)
}

/** One GIPHY GIF object as a GIF, or what is wrong with it. */
export function readGiphyItem(item: Record<string, unknown>): Gif | string {
  const id = text(item.id)
  if (!id) return 'no id'
  const images = record(item.images)
  if (!images) return `${id}: no images`
  const original = rendition(images, 'original')
  if (!original) return `${id}: no https original with width and height`
  const preview = rendition(images, 'fixed_width_small') ?? rendition(images, 'fixed_width') ?? original
  const still = rendition(images, 'fixed_width_small_still') ?? rendition(images, 'fixed_width_still')
  const source = mediaUrl(item.url, HTTPS)
  const title = text(item.alt_text) ?? text(item.title) ?? 'GIF'
  return gifOf(id, 'giphy', title, original, preview, still, source)
}
