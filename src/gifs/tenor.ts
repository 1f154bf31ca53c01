import { createError } from '../errors/index.js'
import { getJson, gifOf, image, mediaUrl, pageSize, readPage, record, text, underscored } from './request.js'
import type { Gif, GifProvider, GifProviderOptions, GifSearchOptions, TenorContentFilter } from './types.js'

/** Options of {@link createTenorProvider}. */
export interface TenorProviderOptions extends GifProviderOptions {
  /** The site's Tenor API key (Google Cloud console). It is sent from the visitor's browser. */
  key: string
  /** Names the integration in Tenor's reports (`client_key`). Default `'confab'`. */
  clientKey?: string
  /** Tenor's `contentfilter`. Default `'medium'`. */
  contentFilter?: TenorContentFilter
}

const API = 'https://tenor.googleapis.com/v2/'

/** Tenor serves media over `https:` only (media.tenor.com, c.tenor.com). */
const HTTPS = ['https:']

/**
 * GIFs from Tenor's API v2: `search` for a query, `featured` for what to show before anything is
 * typed. Asks for the `gif` rendition (sent), `tinygif` (the picker's preview) and `tinygifpreview`
 * (its still, under reduced motion). Tenor's terms ask for attribution: the picker shows "Powered by
 * Tenor".
 *
 * Note that Google announced the end of the Tenor API for June 30, 2026 and stopped giving new keys:
 * prefer GIPHY (or the backend's own GIFs) for a new integration.
 *
 * @example
 * createWidget({ transport, gifs: createTenorProvider({ key: 'YOUR_TENOR_KEY', contentFilter: 'high' }) })
 */
export function createTenorProvider(options: TenorProviderOptions): GifProvider {
  const { key, clientKey = 'confab', contentFilter = 'medium', onError } = options
  if (typeof key !== 'string' || key === '') throw createError('invalid-argument', 'createTenorProvider needs the site’s Tenor API { key }')
  const request = async (endpoint: 'search' | 'featured', query: string | undefined, { limit, cursor, signal, locale }: GifSearchOptions = {}) => {
    const url = new URL(endpoint, API)
    const params = url.searchParams
    if (query !== undefined) params.set('q', query)
    params.set('key', key)
    params.set('client_key', clientKey)
    params.set('limit', String(pageSize(limit)))
    if (cursor) params.set('pos', cursor)
    params.set('media_filter', 'gif,tinygif,tinygifpreview')
    params.set('contentfilter', contentFilter)
    if (locale) params.set('locale', underscored(locale))
    const body = record(await getJson(options.fetch ?? fetch, url, `GET ${API}${endpoint}`, signal))
    // "When there are no more pages, `next` is a blank string."
    const next = text(body?.next) ?? null
    return readPage(body?.results, readTenorItem, next, 'Tenor', onError)
  }
  return {
    name: 'tenor',
    attribution: 'Powered by Tenor',
    search: (query, searchOptions) => request('search', query, searchOptions),
    trending: (searchOptions) => request('featured', undefined, searchOptions)
  }
}

/** A media object `{ url, dims: [width, height] }` of `formats`, read as a rendition. */
function rendition(formats: Record<string, unknown>, name: string) {
  const media = record(formats[name])
  const dims = Array.isArray(media?.dims) ? media.dims : []
  return image(mediaUrl(media?.url, HTTPS), dims[0], dims[1])
}

/** One Tenor response object as a GIF, or what is wrong with it. */
export function readTenorItem(item: Record<string, unknown>): Gif | string {
  const id = text(item.id)
  if (!id) return 'no id'
  const formats = record(item.media_formats)
  if (!formats) return `${id}: no media_formats`
  const gif = rendition(formats, 'gif')
  if (!gif) return `${id}: no https gif with dims`
  const preview = rendition(formats, 'tinygif') ?? gif
  const still = rendition(formats, 'tinygifpreview')
  const source = mediaUrl(item.itemurl, HTTPS)
  // Tenor recommends content_description for accessibility; titles are often blank.
  const title = text(item.content_description) ?? text(item.title) ?? 'GIF'
  return gifOf(id, 'tenor', title, gif, preview, still, source)
}
