/**
 * The emoji picker's lazily loaded code (see `load.ts`): the picker, the shortcode suggestions and
 * the search over the data, which arrives beside it (`confab-emoji.json`).
 */
export { EmojiPicker } from './picker.js'
export { createEmojiIndex } from './search.js'
export { EmojiSuggestions } from './suggestions.js'
export { supportedVersion } from './support.js'
