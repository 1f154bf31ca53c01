import { createError } from '../errors/index.js'
import { besideScript, loadScript } from './script.js'

/**
 * Where the script tag's `confab.js` was loaded from (its companions `confab-core.js`,
 * `confab-pane.js`, `confab-search.js` and `confab-media.js` sit beside it), the CSP nonce it
 * carried, so the companions pass the same policy, and what the widget hands them. Set by
 * `confab-core.js`.
 */
let base = ''
let nonce = ''
let shared: object | undefined

/**
 * Load companions from beside `url` (the script tag's `src`) with the same CSP `nonce`, handing them
 * `share` as `globalThis.ConfabShared` (what they take from `confab-core.js` instead of a second copy).
 *
 * @example
 * setScriptBase(script.src, script.nonce, { hooks, jsx, store })
 */
export const setScriptBase = (url: string, scriptNonce = '', share?: object): void => {
  base = url
  nonce = scriptNonce
  shared = share
}

/**
 * The address of `file` beside `confab.js` (for the script tag's data files, such as the emoji).
 *
 * @example
 * companionUrl('confab-emoji.json') // 'https://cdn.example.com/confab-emoji.json'
 */
export const companionUrl = (file: string): string => besideScript(file, base)

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
  (loading[file] ??= (() => {
    ;(globalThis as unknown as Record<string, unknown>).ConfabShared = shared
    const src = companionUrl(file)
    return loadScript<T>(src, nonce, name).catch(() => {
      loading[file] = undefined
      throw createError('network', `Could not load ${src}`, { retryable: true })
    })
  })()) as Promise<T>
