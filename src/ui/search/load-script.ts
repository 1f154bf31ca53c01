import { loadCompanion } from '../../util/companion.js'
import type { SearchModule } from './global.js'

/** The script tag's loader (the build swaps it in for `load.ts`): the view comes with the engine. */
export const loadSearchView = (): Promise<SearchModule> => loadCompanion('confab-search.js', 'ConfabSearch')
