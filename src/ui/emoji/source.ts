import { fetchEmojiData } from './fetch.js'
import { loadEmojiData, loadEmojiModule, type EmojiModule } from './load.js'
import type { EmojiIndex } from './search.js'
import type { EmojiData } from './types.js'

/** The picker's code with its data, indexed: what the composer's emoji button and completion use. */
export interface EmojiKit {
  module: EmojiModule
  index: EmojiIndex
}

/**
 * Loads the emoji picker's code and data together on first use, then answers from memory; a load
 * that failed is forgotten, so asking again retries.
 */
export type EmojiSource = () => Promise<EmojiKit>

/** Options of {@link createEmojiSource}. */
export interface EmojiSourceOptions {
  /** Where the data is fetched from instead (the widget's `emojiDataUrl` option). */
  dataUrl?: string
  /** The page, whose fonts decide which emoji show (see `supportedVersion`). Without it, all do. */
  document?: Document
  /** Loads the picker's code. Default: its chunk (npm), or `confab-emoji-picker.js` (script tag). */
  loadModule?: () => Promise<EmojiModule>
  /** Loads the data. Default: `confab-emoji.json` through the bundler (npm) or from beside `confab.js`. */
  loadData?: () => Promise<EmojiData>
}

/**
 * The widget's emoji source: the picker's code and `confab-emoji.json` from beside the widget (the
 * script tag) or through the app's bundler (npm), or the data from `dataUrl` when given.
 *
 * @example
 * const emoji = createEmojiSource({ document })
 * const { index } = await emoji()
 * index.byShortcode('tada')?.emoji // '🎉'
 */
export function createEmojiSource(options: EmojiSourceOptions = {}): EmojiSource {
  const { dataUrl, document: doc, loadModule = loadEmojiModule } = options
  const loadData = options.loadData ?? (dataUrl ? () => fetchEmojiData(dataUrl) : loadEmojiData)
  let kit: Promise<EmojiKit> | undefined
  return () =>
    (kit ??= Promise.all([loadModule(), loadData()]).then(
      ([module, data]) => ({ module, index: module.createEmojiIndex(data, doc ? module.supportedVersion(data, doc) : Infinity) }),
      (error: unknown) => {
        kit = undefined
        throw error
      }
    ))
}
