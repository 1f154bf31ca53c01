/**
 * The Unicode emoji groups, in Unicode's order, as the picker's category tabs show them (the
 * "component" group, skin tone and hair swatches, is left out of the data).
 */
export type EmojiGroupKey =
  | 'smileys-emotion'
  | 'people-body'
  | 'animals-nature'
  | 'food-drink'
  | 'travel-places'
  | 'activities'
  | 'objects'
  | 'symbols'
  | 'flags'

/**
 * One emoji: `[emoji, name, shortcodes, keywords, version?]`. Shortcodes and keywords are
 * space-separated (shortcodes without colons, the most familiar first); `version` is the Emoji
 * version, given from 14 on only, so a browser whose fonts lack it can leave the emoji out.
 *
 * @example
 * ['😄', 'grinning face with smiling eyes', 'smile grinning_face_with_closed_eyes', 'eye grin happy laugh lol']
 */
export type EmojiRow = [emoji: string, name: string, shortcodes: string, keywords: string, version?: number]

/**
 * What `confab-emoji.json` holds: the emoji of each group, in order. Built from emojibase-data's
 * English CLDR names and tags and its GitHub and emojibase shortcodes (`scripts/emoji-data.js`).
 *
 * @example
 * { format: 1, groups: [{ key: 'smileys-emotion', emoji: [['😀', 'grinning face', 'grinning grinning_face', 'cheerful …']] }] }
 */
export interface EmojiData {
  /** The file's format, 1. */
  format: number
  groups: { key: EmojiGroupKey; emoji: EmojiRow[] }[]
}

/** One emoji as the picker and completion use it. */
export interface Emoji {
  emoji: string
  /** Its CLDR name, which is also its accessible name. */
  name: string
  shortcodes: string[]
  group: EmojiGroupKey
}
