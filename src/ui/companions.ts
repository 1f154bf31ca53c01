import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { Fragment, jsx, jsxs } from 'preact/jsx-runtime'
import { useStore } from './use-store.js'

/**
 * What `confab.js` hands its companions `confab-pane.js`, `confab-search.js` and `confab-media.js` as `ConfabShared`
 * (see `SHARED` in rollup.config.mjs), so their components render with this bundle's preact (one
 * copy, so hooks work). Only what they use: a namespace would keep all of preact in this bundle.
 */
export const companionShared = {
  hooks: { useEffect, useLayoutEffect, useRef, useState },
  jsx: { Fragment, jsx, jsxs },
  store: { useStore }
}
