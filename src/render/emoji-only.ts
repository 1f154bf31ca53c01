/**
 * One emoji as people send it: a flag (two regional indicators), a keycap (`1️⃣`), or a pictograph
 * drawn as emoji (by default, or asked for with U+FE0F or a skin tone), with a tag sequence
 * (England's flag) or joined by U+200D to more (families, professions). A pictograph that is text
 * by default (`©`, `™`, `↔`) does not count on its own.
 */
const PICTOGRAPH = String.raw`(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}(?=[\uFE0F\p{Emoji_Modifier}]))[\uFE0F\p{Emoji_Modifier}]?`
const JOINED = String.raw`\u200D\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?`
const EMOJI = String.raw`\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|${PICTOGRAPH}(?:[\u{E0020}-\u{E007E}]+\u{E007F})?(?:${JOINED})*`

/** 1 to 3 emoji, nothing else but whitespace. */
const ONLY = new RegExp(String.raw`^\s*(?:(?:${EMOJI})\s*){1,3}$`, 'u')

/**
 * Whether a message's text is 1 to 3 emoji and nothing else (whitespace aside): such a message
 * shows large and without a bubble, as in the messaging apps people know.
 *
 * @example
 * isEmojiOnly('👍') // true
 * isEmojiOnly('👨‍👩‍👧‍👦🇫🇷1️⃣') // true
 * isEmojiOnly('ok 👍') // false
 * isEmojiOnly('😀😀😀😀') // false
 */
export function isEmojiOnly(text: string): boolean {
  // Three of the longest sequences (a kiss with two skin tones) fit in well under 100 code units.
  return text.length <= 100 && ONLY.test(text)
}
