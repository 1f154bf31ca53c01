/**
 * `dist/confab-gif.js`: the GIF panel and picker and the GIF providers for the script tag, loaded by the
 * widget when the visitor first opens the picker, handed over through one global. Built with preact
 * taken from `confab.js` (see `ui/companions.ts`), so the page holds one copy.
 */
import { createConfabGifProvider, createGiphyProvider, createTenorProvider, gifProviderFrom } from '../../gifs/index.js'
import type { GifProviders } from '../../gifs/load.js'
import type { GifPickerModule } from './load.js'
import { GifPanel } from './panel.js'

/** What `confab-gif.js` defines as `ConfabGif`: the panel, and the providers a page may make itself. */
export interface GifModule extends GifPickerModule, GifProviders {
  createTenorProvider: typeof createTenorProvider
  createGiphyProvider: typeof createGiphyProvider
  createConfabGifProvider: typeof createConfabGifProvider
}

;(globalThis as typeof globalThis & { ConfabGif?: GifModule }).ConfabGif = {
  GifPanel,
  gifProviderFrom,
  createTenorProvider,
  createGiphyProvider,
  createConfabGifProvider
}
