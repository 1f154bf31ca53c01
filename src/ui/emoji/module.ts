/**
 * The emoji picker's lazily loaded code (see `load.ts`): the picker, the `:shortcode:` completion
 * and the search over the data, which arrives beside it (`confab-emoji.json`).
 */
export { EmojiCompletion } from './completion.js'
export { EmojiPicker } from './picker.js'
export { createEmojiIndex } from './search.js'
export { supportedVersion } from './support.js'
