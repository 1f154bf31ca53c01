import type { EmojiData } from './types.js'

/**
 * The emoji data as a module, for npm apps: the npm build puts here what it writes to
 * `dist/confab-emoji.json`, made from emojibase-data (`scripts/emoji-data.js`), so that the app's
 * bundler splits it into a chunk of its own, no JSON plugin needed. In src/ it holds no emoji
 * (tests put the built data in its place).
 */
const data: EmojiData = { format: 1, groups: [] }
export default data
