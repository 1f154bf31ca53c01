/**
 * `dist/confab-search.js`: search for the script tag, loaded by the widget on the first search: the
 * engine and its view, handed over through one global. Built with preact and nanostores taken from
 * `confab.js` (see `load-script.ts`), so the page holds one copy of each.
 */
import { SearchView } from '../ui/search/view.js'
import { createSearchIndex } from './index.js'
import type { SearchModule } from './load-script.js'
import { snippet } from './snippet.js'

;(globalThis as typeof globalThis & { ConfabSearch?: SearchModule }).ConfabSearch = { createSearchIndex, snippet, SearchView }
