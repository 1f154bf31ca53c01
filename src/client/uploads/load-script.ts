import { loadCompanion } from '../../util/companion.js'
import type { UploadsModule } from './load.js'

/** The script tag's loader (the build swaps it in for `load.ts`): `confab-uploads.js`, beside `confab.js`. */
export const loadUploads = (): Promise<UploadsModule> => loadCompanion('confab-uploads.js', 'ConfabUploads')
