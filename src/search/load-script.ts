import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { Fragment, jsx, jsxs } from 'preact/jsx-runtime'
import { useStore } from '@nanostores/preact'
import { createError } from '../errors/index.js'
import type { SearchView } from '../ui/search/view.js'
import type { SearchEngine } from './engine.js'

/** What `confab-search.js` defines: the engine and its view. */
export interface SearchModule extends SearchEngine {
  SearchView: typeof SearchView
}

type Shared = typeof globalThis & { ConfabSearch?: SearchModule; ConfabShared?: unknown }

/**
 * Where `confab.js` was loaded from (`confab-search.js` sits beside it) and the CSP nonce it carried,
 * so the search script passes the same policy. Set by the script-tag entry.
 */
let base = ''
let nonce = ''
export const setScriptBase = (url: string, scriptNonce = ''): void => {
  base = url
  nonce = scriptNonce
}

let loading: Promise<SearchModule> | undefined

/**
 * The script tag's loader (the build swaps it in for `load.ts`): add `confab-search.js` once. The
 * view in it renders with this bundle's preact (one copy, so hooks work), handed over beforehand.
 */
export const loadSearchModule = (): Promise<SearchModule> =>
  (loading ??= new Promise<SearchModule>((resolve, reject) => {
    const shared = globalThis as Shared
    // Only what the view may use: a namespace would keep all of preact in this bundle.
    shared.ConfabShared = {
      hooks: { useEffect, useLayoutEffect, useRef, useState },
      jsx: { Fragment, jsx, jsxs },
      nanostoresPreact: { useStore }
    }
    const script = document.createElement('script')
    script.src = new URL('confab-search.js', base || document.baseURI).href
    script.async = true
    if (nonce) script.nonce = nonce
    // A failed load may be retried later (Retry in the pane): forget it.
    const fail = (error: Error) => {
      loading = undefined
      script.remove()
      reject(error)
    }
    script.onload = () => {
      if (shared.ConfabSearch) resolve(shared.ConfabSearch)
      else fail(createError('unsupported', `${script.src} loaded but did not define the search module`))
    }
    script.onerror = () => fail(createError('network', `Could not load ${script.src}`, { retryable: true }))
    document.head.appendChild(script)
  }))

export const loadSearchEngine: () => Promise<SearchEngine> = loadSearchModule
