import { loadGifProviders } from '../../gifs/load.js'
import type { GifProvider, GifProviderConfig } from '../../gifs/types.js'

/**
 * The provider a script tag's `gifs` option names, made on first use: its code comes with the
 * picker's (`confab-gif.js`), not with the widget's. `url` is the widget's backend.
 *
 * @example
 * createWidget({ transport, gifs: configuredGifs({ provider: 'confab' }, url) })
 */
export const configuredGifs =
  (config: GifProviderConfig, url?: string) =>
  (): Promise<GifProvider> =>
    loadGifProviders().then((providers) => providers.gifProviderFrom(config, url))
