/**
 * What the composer's `:shortcode:` completion reads from the field: pure functions of its text
 * and caret, loaded with the pane (the emoji themselves come with the picker's data).
 */

/** A `:shortcode` being typed, or one just closed: where it is in the text and what it says. */
export interface ShortcodeQuery {
  /** Where the opening colon is. */
  start: number
  /** Where it ends (the caret). */
  end: number
  /** What follows the opening colon, without colons. */
  query: string
}

/**
 * A colon that follows no letter, digit or colon (so not `Note:`, `10:30` or `https:`), then at
 * least 2 characters, so that an emoticon (`:)`, `:-)`) asks for nothing.
 */
const OPEN = /(?<![\p{L}\p{N}_:])(:([\w+-]{2,40}))$/u
const CLOSED = /(?<![\p{L}\p{N}_:])(:([\w+-]{1,40}):)$/u
const WORD = /[\w+-]/

const match = (pattern: RegExp, text: string, caret: number): ShortcodeQuery | null => {
  const found = pattern.exec(text.slice(0, caret))
  return found ? { start: caret - found[1]!.length, end: caret, query: found[2]! } : null
}

/**
 * The shortcode being typed before the caret: a colon at the start of the text, after a space, an
 * emoji or punctuation, then 2 or more letters, digits, `_`, `+` or `-`, up to the caret, which
 * ends the word. `null` otherwise (a time such as `10:30`, a colon in prose, a caret inside a word).
 *
 * @example
 * findShortcodeQuery('Thanks :smi', 11) // { start: 7, end: 11, query: 'smi' }
 * findShortcodeQuery('at 10:30', 8) // null
 */
export function findShortcodeQuery(text: string, caret: number): ShortcodeQuery | null {
  if (WORD.test(text.charAt(caret))) return null
  return match(OPEN, text, caret)
}

/**
 * A `:shortcode:` that the colon just typed before the caret closes. Whether it names an emoji is
 * for the data to say.
 *
 * @example
 * findClosedShortcode('Great :tada:', 12) // { start: 6, end: 12, query: 'tada' }
 */
export function findClosedShortcode(text: string, caret: number): ShortcodeQuery | null {
  return match(CLOSED, text, caret)
}

/**
 * The text with `emoji` in place of what `range` covers (a shortcode, or the selection), and where
 * the caret goes: after the emoji.
 *
 * @example
 * replaceRange('Thanks :smi', { start: 7, end: 11 }, '😄') // { text: 'Thanks 😄', caret: 9 }
 */
export function replaceRange(text: string, range: Pick<ShortcodeQuery, 'start' | 'end'>, emoji: string): { text: string; caret: number } {
  return { text: text.slice(0, range.start) + emoji + text.slice(range.end), caret: range.start + emoji.length }
}
