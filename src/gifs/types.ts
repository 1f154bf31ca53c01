import type { ConfabError } from '../errors/index.js'

/**
 * One rendition of a GIF: where it is and how large it shows. URLs are `https:` (the reference
 * server's own provider also takes the `http:` of a local backend).
 *
 * @example
 * { url: 'https://media.tenor.com/abc/tenor.gif', width: 220, height: 165 }
 */
export interface GifImage {
  url: string
  /** Pixels. */
  width: number
  /** Pixels. */
  height: number
}

/**
 * A GIF as a provider found it: what the picker shows, and what is sent once the visitor picks it.
 *
 * @example
 * {
 *   id: '8776030', provider: 'tenor', title: 'Excited cat',
 *   url: 'https://media.tenor.com/x/tenor.gif', width: 498, height: 374,
 *   preview: { url: 'https://media.tenor.com/x/tiny.gif', width: 220, height: 165 },
 *   source: 'https://tenor.com/view/excited-cat-8776030'
 * }
 */
export interface Gif extends GifImage {
  /** The provider's id of the GIF. */
  id: string
  /** What it shows, in words: the picker's and the sent image's `alt` text. Never empty. */
  title: string
  /** The provider's `name`. */
  provider: string
  /** A small rendition for the picker's grid. */
  preview: GifImage
  /** A still rendition (no motion), shown instead of the preview under `prefers-reduced-motion`. */
  still?: GifImage
  /** The GIF's page at the provider, for attribution; sent with the GIF. */
  source?: string
}

/**
 * A page of results. `next` is the cursor of the next page (pass it as `cursor`), `null` at the end.
 *
 * @example
 * const first = await provider.search('thanks')
 * const second = first.next ? await provider.search('thanks', { cursor: first.next }) : undefined
 */
export interface GifPage {
  results: Gif[]
  next: string | null
}

/** How to ask a provider for a page. */
export interface GifSearchOptions {
  /** Results per page. Each provider caps it (Tenor and GIPHY at 50). Default 24. */
  limit?: number
  /** The `next` of the page before. */
  cursor?: string
  /** Aborts the request: the picker aborts a search the visitor has typed past. */
  signal?: AbortSignal
  /** The visitor's language, as a BCP 47 tag (`'de-AT'`): for providers that localize results. */
  locale?: string
}

/**
 * Where the GIF picker finds GIFs: a name, a search and, optionally, what to show before anything
 * is typed. Failures reject with a `ConfabError` (`'network'`, `'http'`, `'rate-limited'`,
 * `'unauthorized'`, `'malformed-event'`, or `'closed'` when aborted). Items that do not follow the
 * provider's documented format are left out, never shown, and reported to `onError`.
 *
 * @example
 * // A provider of your own: any backend that can search GIFs.
 * const provider: GifProvider = {
 *   name: 'acme',
 *   attribution: 'GIFs by Acme',
 *   async search(query, { limit = 24, cursor, signal } = {}) {
 *     const response = await fetch(`/api/gifs?q=${encodeURIComponent(query)}&limit=${limit}`, { signal })
 *     return (await response.json()) as GifPage
 *   }
 * }
 * createWidget({ transport, gifs: provider })
 */
export interface GifProvider {
  /** Names the provider in each `Gif` (`'tenor'`, `'giphy'`, `'confab'` …). */
  readonly name: string
  /**
   * Shown under the picker's grid when the provider's terms ask for it ("Powered by Tenor",
   * "Powered by GIPHY").
   */
  readonly attribution?: string
  /** GIFs matching `query`, most relevant first. */
  search(query: string, options?: GifSearchOptions): Promise<GifPage>
  /** What the picker shows while its field is empty. Without it, the picker shows a hint. */
  trending?(options?: GifSearchOptions): Promise<GifPage>
}

/** Options every built-in provider takes. */
export interface GifProviderOptions {
  /** The `fetch` requests go through. Default: the global `fetch`. */
  fetch?: typeof fetch
  /**
   * Told of each result left out because it did not follow the documented format (a
   * `'malformed-event'` error). Default: a warning in development builds, nothing in production.
   */
  onError?(error: ConfabError): void
}

/**
 * The built-in providers by name, for `Confab('boot', { gifs })`, where a site can only write data.
 * `key` is the site's own API key (Tenor's or GIPHY's); `'confab'` searches the GIFs of the
 * backend at `url` (default: the widget's `url`).
 *
 * @example
 * Confab('boot', { url, gifs: { provider: 'giphy', key: 'YOUR_GIPHY_KEY', rating: 'g' } })
 * Confab('boot', { url, gifs: { provider: 'confab' } })
 */
export interface GifProviderConfig {
  provider: 'tenor' | 'giphy' | 'confab'
  /** The site's API key at Tenor or GIPHY. */
  key?: string
  /** Tenor's `client_key`: names the integration in Tenor's reports. */
  clientKey?: string
  /** Tenor's `contentfilter`. */
  contentFilter?: TenorContentFilter
  /** GIPHY's `rating`. */
  rating?: GiphyRating
  /** The backend whose `/v1/gifs/search` the `'confab'` provider asks. */
  url?: string
}

/** Tenor's content safety filter: `'off'`, `'low'`, `'medium'` or `'high'` (the strictest). */
export type TenorContentFilter = 'off' | 'low' | 'medium' | 'high'

/** GIPHY's MPAA-style rating limit: `'g'`, `'pg'`, `'pg-13'` or `'r'`. */
export type GiphyRating = 'g' | 'pg' | 'pg-13' | 'r'

/**
 * The widget's `gifs` option: a provider, or a function that makes one on first use, so the
 * provider's code can load with the picker rather than with the page.
 *
 * @example
 * createWidget({ transport, gifs: () => import('confab/gifs').then((m) => m.createGiphyProvider({ key })) })
 */
export type GifProviderSource = GifProvider | (() => Promise<GifProvider>)
