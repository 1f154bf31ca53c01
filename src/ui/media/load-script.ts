import { loadCompanion } from '../../util/companion.js'
import type { MediaModule } from './load.js'

/** The script tag's loader (the build swaps it in for `load.ts`): `confab-media.js`, beside `confab.js`. */
export const loadMedia = (): Promise<MediaModule> => loadCompanion('confab-media.js', 'ConfabMedia')
