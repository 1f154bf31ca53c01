import { readEmojibase, shapeEmojiData } from '../../scripts/emoji-data.js'

/**
 * What `dist/confab-emoji.json` holds, made as the build makes it: the tests' stand-in for that
 * file, which the npm build's emoji loader imports from beside itself (see test/vitest.config.ts).
 */
export default shapeEmojiData(readEmojibase())
