import { loadCompanion } from '../util/companion.js'
import type { SearchEngine } from './engine.js'

/**
 * The script tag's loader (the build swaps it in for `load.ts`): `confab-search.js`, beside
 * `confab.js`, which brings the engine with its view.
 */
export const loadSearchEngine = (): Promise<SearchEngine> => loadCompanion('confab-search.js', 'ConfabSearch')
