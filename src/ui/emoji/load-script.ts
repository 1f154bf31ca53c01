import { companionUrl, loadCompanion } from '../../util/companion.js'
import { fetchEmojiData } from './fetch.js'
import type { EmojiModule } from './load.js'
import type { EmojiData } from './types.js'

/** The script tag's loader (the build swaps it in for `load.ts`): `confab-emoji-picker.js`, beside `confab.js`. */
export const loadEmojiModule = (): Promise<EmojiModule> => loadCompanion('confab-emoji-picker.js', 'ConfabEmoji')

/** The script tag's emoji data: `confab-emoji.json`, beside `confab.js`. */
export const loadEmojiData = (): Promise<EmojiData> => fetchEmojiData(companionUrl('confab-emoji.json'))
