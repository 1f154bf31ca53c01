import { createError } from '../errors/index.js'
import type { SearchEngine } from './engine.js'

type WithEngine = typeof globalThis & { ConfabSearch?: SearchEngine }

/** Where `confab.js` was loaded from: `confab-search.js` sits beside it. Set by the script-tag entry. */
let base = ''
export const setScriptBase = (url: string): void => {
  base = url
}

let loading: Promise<SearchEngine> | undefined

/**
 * The script tag's loader (the build swaps it in for `load.ts`): add `confab-search.js`, which
 * defines `ConfabSearch`, once.
 */
export const loadSearchEngine = (): Promise<SearchEngine> =>
  (loading ??= new Promise<SearchEngine>((resolve, reject) => {
    const script = document.createElement('script')
    script.src = new URL('confab-search.js', base || document.baseURI).href
    script.async = true
    script.onload = () => {
      const engine = (globalThis as WithEngine).ConfabSearch
      if (engine) resolve(engine)
      else reject(createError('unsupported', 'confab-search.js loaded but did not define the search engine'))
    }
    script.onerror = () => {
      loading = undefined
      reject(createError('network', `Could not load ${script.src}`, { retryable: true }))
    }
    document.head.appendChild(script)
  }))
