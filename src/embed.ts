/**
 * The script-tag entry (`dist/confab.js`). Loading it takes over the `Confab(...)` stub the snippet
 * defined, replays the calls queued before it loaded, and boots from `data-*` attributes when present.
 */
import { installGlobal } from './embed/commands.js'
import { bootWidget } from './embed/widget.js'
import { setScriptBase } from './search/load-script.js'

// `currentScript` is only set while this script runs for the first time, so read it now.
const script = document.currentScript
// The pane (`confab-pane.js`, when the browser is idle after boot) and search (`confab-search.js`,
// on the first search) are loaded from beside this file, with its CSP nonce.
if (script instanceof HTMLScriptElement && script.src) setScriptBase(script.src, script.nonce)

installGlobal(window as unknown as Parameters<typeof installGlobal>[0], { createWidget: bootWidget }, script)
