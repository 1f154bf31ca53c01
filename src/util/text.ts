/**
 * Anything but white space and Unicode's default-ignorable code points: zero-width spaces and
 * joiners, bidi marks and isolates, soft hyphen, word joiner, byte order mark, variation selectors,
 * tags. (`\p{Cf}` would be too wide: Arabic number signs are format characters that show.)
 */
const VISIBLE = /[^\s\p{Default_Ignorable_Code_Point}]/u

/**
 * True when `text` shows nothing: empty, white space, or invisible formatting characters only. An emoji
 * joined with U+200D or followed by a variation selector is visible, so it is not blank.
 *
 * @example
 * isBlank('\u200b\u200d') // true
 * isBlank('👩\u200d💻')   // false
 */
export const isBlank = (text: string): boolean => !VISIBLE.test(text)
