/**
 * `dist/confab-pane.js`: the pane for the script tag (header, messages, composer, conversation list
 * and their stylesheet), what screen readers hear of new messages and the new-message chime, loaded by `confab.js` when the browser is idle after boot, or at once when
 * the visitor reaches for the launcher. Built with preact and nanostores taken from `confab.js`
 * (see `ui/companions.ts`), so the page holds one copy of each. Its stylesheet is parsed as it
 * loads, in a task of its own: drawing the pane then only adopts it.
 */
import { sheetFor } from '../sheet.js'
import type { PaneModule } from './load.js'
import { Announcer, createChime, Pane } from './pane.js'
import { css } from './styles.js'

sheetFor(document, css)
;(globalThis as typeof globalThis & { ConfabPane?: PaneModule }).ConfabPane = { Announcer, Pane, createChime }
