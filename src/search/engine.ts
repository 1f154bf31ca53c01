import type { createSearchIndex } from './index.js'
import type { snippet } from './snippet.js'

/**
 * What the client needs of the search module. It is loaded on first use, so the script tag's
 * bundle does not carry it: `import()` in the npm build, `dist/confab-search.js` for the script tag.
 */
export interface SearchEngine {
  createSearchIndex: typeof createSearchIndex
  snippet: typeof snippet
}
