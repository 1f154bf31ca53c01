/**
 * Texts that show nothing: zero-width space, non-joiner and joiner, word joiner, byte order mark, soft
 * hyphen, bidi marks, embeddings and isolates, a lone variation selector, tag characters, mixed with
 * white space. The client and the reference server treat each like empty text.
 */
export const INVISIBLE_ONLY = [
  '\u200b\u200c\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u200e\u200f\u061c',
  '\u202a\u202c\u2066\u2069',
  ' \u200b\n\u2060\t',
  '\ufe0f',
  '\u{e0041}\u{e007f}'
]

/** Visible texts whose invisible characters belong to them: an emoji ZWJ sequence, an emoji with its variation selector, a soft hyphen, an RTL mark. */
export const VISIBLE_WITH_INVISIBLES = ['👩\u200d💻', '❤\ufe0f', 'co\u00adoperate', '\u200fשלום', '\u200bx']
