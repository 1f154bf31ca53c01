import { loadCompanion } from '../util/companion.js'
import type { GifProviders } from './load.js'

/**
 * The script tag's loader (the build swaps it in for `load.ts`): `confab-gif.js`, beside
 * `confab.js`, which brings the providers with the picker.
 */
export const loadGifProviders = (): Promise<GifProviders> => loadCompanion('confab-gif.js', 'ConfabGif')
