/**
 * The script-tag entry (`dist/confab.js`): the loader every page view runs. It takes over the
 * `Confab(...)` stub the snippet defined, replays the calls queued before it loaded, boots from
 * `data-*` attributes when present, draws the launcher, and loads the rest of the widget
 * (`confab-core.js`, beside it) when the browser is idle or as soon as something needs it.
 */
import type { Core } from './embed/core.js'
import { takeOver } from './embed/shared.js'
import { createLoader } from './embed/loader.js'
import { addToHead, besideScript, loadScript } from './util/script.js'

// `currentScript` is only set while this script runs for the first time, so read it now.
const script = document.currentScript
const tag = script instanceof HTMLScriptElement ? script : undefined
// The core, and then the pane and search, load from beside this file with its CSP nonce.
const base = tag?.src ?? ''
const nonce = tag?.nonce ?? ''

takeOver(
  window as Parameters<typeof takeOver>[0],
  createLoader({
    loadCore: () =>
      loadScript<Core>(besideScript('confab-core.js', base), nonce, 'ConfabCore').then((core) => (drawn) => core.start({ base, nonce, drawn })),
    // The pane's code, fetched beside the core's for a visitor about to open it: the core then finds
    // it here instead of asking the network after it has started (see `ui/pane/load-script.ts`).
    preload: () => addToHead('link', { rel: 'preload', as: 'script', href: besideScript('confab-pane.js', base), nonce })
  }),
  script
)
