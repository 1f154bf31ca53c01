/**
 * `dist/confab-core.js`: the rest of the script-tag widget (the client, its transports and cache,
 * the widget with preact, the badge and the chime), loaded by `confab.js` (the loader) when the
 * browser is idle after boot, or at once when something needs it. It defines `ConfabCore`; the
 * loader starts it on the launcher it drew and hands it the calls made meanwhile.
 */
import type { Drawn } from '../ui/widget.js'
import { companionShared } from '../ui/companions.js'
import { setScriptBase } from '../util/companion.js'
import { nextTask } from '../util/tasks.js'
import { createCommandRunner } from './commands.js'
import type { Runner } from './shared.js'
import { bootWidget } from './widget.js'

/** What `confab-core.js` defines as `ConfabCore`. */
export interface Core {
  /**
   * Make the command runner behind `Confab(...)`. `base` and `nonce`: the loader's `src` and CSP
   * nonce, for the companions beside it (the pane, search); `drawn`: the launcher it drew.
   */
  start(handoff: { base: string; nonce: string; drawn?: Drawn }): Runner
}

;(globalThis as typeof globalThis & { ConfabCore?: Core }).ConfabCore = {
  start({ base, nonce, drawn }) {
    setScriptBase(base, nonce, companionShared)
    return createCommandRunner({ createWidget: (options) => bootWidget(options, drawn), later: nextTask })
  }
}
