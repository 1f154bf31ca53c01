/**
 * `dist/confab-search.js`: the search module for the script tag, loaded by the widget on the first
 * search. It hands the engine over through one global.
 */
import { createSearchIndex } from './index.js'
import { snippet } from './snippet.js'
import type { SearchEngine } from './engine.js'

;(globalThis as typeof globalThis & { ConfabSearch?: SearchEngine }).ConfabSearch = { createSearchIndex, snippet }
