/**
 * `dist/confab-search.js`: search for the script tag, loaded by the widget on the first search: the
 * engine and its view, handed over through one global. Built with preact and nanostores taken from
 * `confab.js` (see `ui/companions.ts`), so the page holds one copy of each.
 */
import { createSearchIndex } from '../../search/index.js'
import type { SearchEngine } from '../../search/engine.js'
import { snippet } from '../../search/snippet.js'
import { SearchView } from './view.js'

/** What `confab-search.js` defines: the engine and its view. */
export interface SearchModule extends SearchEngine {
  SearchView: typeof SearchView
}

;(globalThis as typeof globalThis & { ConfabSearch?: SearchModule }).ConfabSearch = { createSearchIndex, snippet, SearchView }
