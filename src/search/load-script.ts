import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { Fragment, jsx, jsxs } from 'preact/jsx-runtime'
import { createError } from '../errors/index.js'
import { useStore } from '../ui/use-store.js'
import type { SearchView } from '../ui/search/view.js'
import type { SearchEngine } from './engine.js'

/** What `confab-search.js` defines: the engine and its view. */
export interface SearchModule extends SearchEngine {
  SearchView: typeof SearchView
}

/**
 * Where `confab.js` was loaded from (its companions `confab-pane.js` and `confab-search.js` sit
 * beside it) and the CSP nonce it carried, so the companions pass the same policy. Set by the
 * script-tag entry.
 */
let base = ''
let nonce = ''
export const setScriptBase = (url: string, scriptNonce = ''): void => {
  base = url
  nonce = scriptNonce
}

/** Companions being loaded or loaded, by file name. */
const loading: Record<string, Promise<unknown> | undefined> = {}

/**
 * Add the companion script `file` (beside `confab.js`) once and resolve with what it defines on
 * `globalThis[name]`. Its components render with this bundle's preact (one copy, so hooks work),
 * handed over beforehand as `ConfabShared`. A failed load is forgotten, so calling again retries.
 *
 * @example
 * loadCompanion<SearchModule>('confab-search.js', 'ConfabSearch')
 */
export const loadCompanion = <T>(file: string, name: string): Promise<T> =>
  (loading[file] ??= new Promise((resolve, reject) => {
    const shared = globalThis as unknown as Record<string, unknown>
    // Only what the companions may use: a namespace would keep all of preact in this bundle.
    shared.ConfabShared = {
      hooks: { useEffect, useLayoutEffect, useRef, useState },
      jsx: { Fragment, jsx, jsxs },
      store: { useStore }
    }
    // Scripts made by a script load async, without blocking the page.
    const script = document.createElement('script')
    script.src = new URL(file, base || document.baseURI).href
    if (nonce) script.nonce = nonce
    // Loaded, or not: a file that loads but defines nothing (a page served in its place) fails too.
    script.onload = script.onerror = () => {
      if (shared[name]) return resolve(shared[name])
      loading[file] = undefined
      script.remove()
      reject(createError('network', `Could not load ${script.src}`, { retryable: true }))
    }
    document.head.appendChild(script)
  })) as Promise<T>

/**
 * The script tag's loader (the build swaps it in for `load.ts`): `confab-search.js`, the engine and
 * its view.
 */
export const loadSearchModule = (): Promise<SearchModule> => loadCompanion('confab-search.js', 'ConfabSearch')

export const loadSearchEngine: () => Promise<SearchEngine> = loadSearchModule
