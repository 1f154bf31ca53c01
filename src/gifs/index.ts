/**
 * GIF search for the composer's picker: the provider interface, adapters for Tenor and GIPHY, and
 * the provider of a backend's own GIFs. The npm entry `confab/gifs`; in the script tag's
 * `confab-gif.js`, loaded when the visitor first opens the picker.
 */
import { createError } from '../errors/index.js'
import { createConfabGifProvider } from './confab.js'
import { createGiphyProvider } from './giphy.js'
import { createTenorProvider } from './tenor.js'
import type { GifProvider, GifProviderConfig } from './types.js'

export { createConfabGifProvider, type ConfabGifProviderOptions } from './confab.js'
export { createGiphyProvider, type GiphyProviderOptions } from './giphy.js'
export { createTenorProvider, type TenorProviderOptions } from './tenor.js'
export type { Gif, GifImage, GifPage, GifProvider, GifProviderConfig, GifProviderOptions, GifSearchOptions, GiphyRating, TenorContentFilter } from './types.js'

/**
 * The provider a script tag's `gifs` option names (see {@link GifProviderConfig}); `url` is the
 * widget's backend, which the `'confab'` provider asks unless the config names another.
 *
 * @example
 * gifProviderFrom({ provider: 'tenor', key: 'YOUR_TENOR_KEY' }, 'https://chat.example.com')
 */
export function gifProviderFrom(config: GifProviderConfig, url?: string): GifProvider {
  const { provider, key = '' } = config
  if (provider === 'tenor') return createTenorProvider({ key, clientKey: config.clientKey, contentFilter: config.contentFilter })
  if (provider === 'giphy') return createGiphyProvider({ key, rating: config.rating })
  if (provider === 'confab' && (config.url ?? url)) return createConfabGifProvider({ url: (config.url ?? url)! })
  throw createError('invalid-argument', `gifs: { provider } must be 'tenor', 'giphy' or 'confab' (with a url), got ${String(provider)}`)
}
