/**
 * The script-tag entry (`dist/confab.js`). Loading it takes over the `Confab(...)` stub the snippet
 * defined, replays the calls queued before it loaded, and boots from `data-*` attributes when present.
 */
import { installGlobal } from './embed/commands.js'
import { bootWidget } from './embed/widget.js'
import { companionShared } from './ui/companions.js'
import { setScriptBase } from './util/companion.js'

// `currentScript` is only set while this script runs for the first time, so read it now.
const script = document.currentScript
const tag = script instanceof HTMLScriptElement ? script : undefined
// The pane (`confab-pane.js`, when the browser is idle after boot) and search (`confab-search.js`,
// on the first search) are loaded from beside this file, with its CSP nonce.
setScriptBase(tag?.src ?? '', tag?.nonce, companionShared)

installGlobal(window as unknown as Parameters<typeof installGlobal>[0], { createWidget: bootWidget }, script)
