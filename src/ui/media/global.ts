/**
 * `dist/confab-media.js`: media for the script tag, loaded by the pane on first use (an image
 * opened, files attached or waiting to be sent). Built with preact taken from `confab.js` (see
 * `ui/companions.ts`), so the page holds one copy.
 */
import type { MediaModule } from './load.js'
import * as media from './media.js'

;(globalThis as typeof globalThis & { ConfabMedia?: MediaModule }).ConfabMedia = media
