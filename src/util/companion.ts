import { createError } from '../errors/index.js'

/**
 * Where `confab.js` was loaded from (its companions `confab-pane.js` and `confab-search.js` sit
 * beside it), the CSP nonce it carried, so the companions pass the same policy, and what it hands
 * them. Set by the script-tag entry.
 */
let base = ''
let nonce = ''
let shared: object | undefined

/**
 * Load companions from beside `url` (the script tag's `src`) with the same CSP `nonce`, handing them
 * `share` as `globalThis.ConfabShared` (what they take from `confab.js` instead of a second copy).
 *
 * @example
 * setScriptBase(script.src, script.nonce, { hooks, jsx, store })
 */
export const setScriptBase = (url: string, scriptNonce = '', share?: object): void => {
  base = url
  nonce = scriptNonce
  shared = share
}

/** Companions being loaded or loaded, by file name. */
const loading: Record<string, Promise<unknown> | undefined> = {}

/**
 * Add the companion script `file` (beside `confab.js`) once and resolve with what it defines on
 * `globalThis[name]`. A failed load is forgotten, so calling again retries.
 *
 * @example
 * loadCompanion<SearchEngine>('confab-search.js', 'ConfabSearch')
 */
export const loadCompanion = <T>(file: string, name: string): Promise<T> =>
  (loading[file] ??= new Promise((resolve, reject) => {
    const global = globalThis as unknown as Record<string, unknown>
    global.ConfabShared = shared
    // Scripts made by a script load async, without blocking the page.
    const script = document.createElement('script')
    script.src = new URL(file, base || document.baseURI).href
    if (nonce) script.nonce = nonce
    // Loaded, or not: a file that loads but defines nothing (a page served in its place) fails too.
    script.onload = script.onerror = () => {
      if (global[name]) return resolve(global[name])
      loading[file] = undefined
      script.remove()
      reject(createError('network', `Could not load ${script.src}`, { retryable: true }))
    }
    document.head.appendChild(script)
  })) as Promise<T>
