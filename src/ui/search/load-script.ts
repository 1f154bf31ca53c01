import { loadSearchModule } from '../../search/load-script.js'
import type { SearchView } from './view.js'

/** The script tag's loader (the build swaps it in for `load.ts`): the view comes with the engine. */
export const loadSearchView = (): Promise<{ SearchView: typeof SearchView }> => loadSearchModule()
