import type { EmojiData } from './types.js'

/** The emoji picker's lazily loaded code: the picker, the suggestions, the search over the data. */
export type EmojiModule = typeof import('./module.js')

/** Load the picker's code on first use; bundlers split it into its own chunk. */
export const loadEmojiModule = (): Promise<EmojiModule> => import('./module.js')

/**
 * Load the emoji data on first use: a module of the package (`data.ts`, filled by the build) that
 * the app's bundler splits into a chunk served from the app's origin. The `emojiDataUrl` option
 * fetches `confab-emoji.json` from elsewhere instead.
 */
export const loadEmojiData = (): Promise<EmojiData> => import('./data.js').then((data) => data.default)
