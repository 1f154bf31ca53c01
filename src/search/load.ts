import type { SearchEngine } from './engine.js'

/** Load the search module on first use; bundlers split it into its own chunk. */
export const loadSearchEngine = (): Promise<SearchEngine> => import('./index.js')
