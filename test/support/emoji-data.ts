import { readEmojibase, shapeEmojiData } from '../../scripts/emoji-data.js'

/**
 * What `dist/confab-emoji.json` holds, made as the build makes it: what tests put in the widget's
 * emoji data module (`src/ui/emoji/data.ts`), which the build fills and src/ leaves empty.
 */
export default shapeEmojiData(readEmojibase())
