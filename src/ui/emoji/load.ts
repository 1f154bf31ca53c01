import type { EmojiData } from './types.js'

/** The emoji picker's lazily loaded code: the picker, the suggestions, the search over the data. */
export type EmojiModule = typeof import('./module.js')

/** Load the picker's code on first use; bundlers split it into its own chunk. */
export const loadEmojiModule = (): Promise<EmojiModule> => import('./module.js')

/**
 * Load the emoji data on first use: `confab-emoji.json` of the package, which the app's bundler
 * (Vite, webpack, esbuild, Parcel; Rollup with its JSON plugin) makes a chunk of its own, served
 * from the app's origin. The `emojiDataUrl` option fetches it from elsewhere instead.
 */
export const loadEmojiData = (): Promise<EmojiData> => import('../../confab-emoji.json', { with: { type: 'json' } }).then((data) => data.default)
