import { loadCompanion } from '../../util/companion.js'
import type { GifPickerModule } from './load.js'

/** The script tag's loader (the build swaps it in for `load.ts`): the picker comes with the providers. */
export const loadGifPicker = (): Promise<GifPickerModule> => loadCompanion('confab-gif.js', 'ConfabGif')
