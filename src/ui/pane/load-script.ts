import { loadCompanion } from '../../util/companion.js'
import type { PaneModule } from './load.js'

/** The script tag's loader (the build swaps it in for `load.ts`): `confab-pane.js`, beside `confab.js`. */
export const loadPane = (): Promise<PaneModule> => loadCompanion('confab-pane.js', 'ConfabPane')
