/**
 * `dist/confab-emoji-picker.js`: the emoji picker for the script tag, loaded by the widget when the
 * visitor first opens it or types a `:shortcode`, with its data, `confab-emoji.json`. Built with
 * preact and nanostores taken from `confab.js` (see `ui/companions.ts`), so the page holds one copy
 * of each.
 */
import type { EmojiModule } from './load.js'
import * as module from './module.js'

;(globalThis as typeof globalThis & { ConfabEmoji?: EmojiModule }).ConfabEmoji = { ...module }
