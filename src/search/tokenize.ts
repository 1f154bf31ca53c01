// How text becomes search terms, the same way for messages and for queries:
// - Words are runs of letters and digits. For scripts written with spaces this is exactly where
//   `Intl.Segmenter` puts word boundaries (UAX #29 never breaks inside such a run), at a tenth of the
//   cost, so the segmenter is only asked about Thai, Lao, Khmer and Burmese, which need its dictionary.
//   Apostrophes split ("l'adresse" → l, adresse) so French elisions do not hide the word.
// - Chinese and Japanese runs become their characters and character bigrams, across dictionary
//   words: any substring is found ("送は" in "配送は"), with or without a segmenter, so an index
//   exported on one device answers the same on another.
// - Emoji, punctuation and symbols separate words and are dropped.
// - Terms are folded (NFKD, accents off, lower case); offsets stay those of the original text.

/**
 * What the index needs from `Intl.Segmenter`: word segments with their offsets. Tests inject a fake,
 * or `undefined` to exercise the fallback.
 */
export interface WordSegmenter {
  segment(text: string): Iterable<{ segment: string; index: number; isWordLike?: boolean }>
}

/** One searchable unit of a text. */
export interface Token {
  /** Folded form: NFKD, accents removed, lower case ("Café" → "cafe"). */
  term: string
  /** Word number in the text; the characters of a CJK run count one each, its bigram sits with its first. */
  pos: number
  /** Where the token sits in the original text (UTF-16 offsets), for highlighting. */
  start: number
  end: number
}

/** Called once per token, in text order. */
export type TokenSink = (term: string, pos: number, start: number, end: number) => void

// A word is a run of letters, digits and the marks attached to them: emoji, punctuation and spaces
// separate words and are dropped, whichever path found them.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu
// Scripts written without spaces whose words we index as characters and character bigrams, so any
// substring of two or more characters is found whatever a dictionary thinks the words are.
const CJK_CLASS = '\\p{scx=Han}\\p{scx=Hira}\\p{scx=Kana}'
export const CJK = new RegExp(`[${CJK_CLASS}]`, 'u')
const RUNS = new RegExp(`[${CJK_CLASS}]+|[^${CJK_CLASS}]+`, 'gu')
// Scripts without spaces that only a dictionary can cut into words: the one place `Intl.Segmenter`
// finds boundaries the letter runs above do not (UAX #29 never breaks inside a run of letters and
// digits of other scripts, and is ten times slower than the regex on plain text).
const DICTIONARY = /[\p{scx=Thai}\p{scx=Lao}\p{scx=Khmr}\p{scx=Mymr}]/u
// Accents: the combining diacritics blocks, Hebrew points, Arabic vowel signs, emoji variation
// selectors. Other marks stay: Thai and Indic vowel signs belong to the word, and "ハ", "バ", "パ"
// are three different kana.
const MARKS = /[\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]/g
const ASCII = /^[\0-\x7f]*$/
// Letters NFKD does not decompose but that people type without their stroke or ligature.
const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' }

let shared: WordSegmenter | undefined | null = null
// Normalising is the slow part of indexing; accented words and CJK characters repeat a lot.
const folds = new Map<string, string>()

/**
 * The platform's word segmenter, made on first use; `undefined` where `Intl.Segmenter` is missing.
 *
 * @example
 * createSearchIndex({ segmenter: defaultSegmenter() }) // the same as the default
 */
export function defaultSegmenter(): WordSegmenter | undefined {
  if (shared === null) shared = globalThis.Intl?.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'word' }) : undefined
  return shared
}

/**
 * Fold a word for matching: compatibility decomposition (full-width letters, ligatures), accents
 * removed, lower case.
 *
 * @example
 * fold('CAFÉ') // 'cafe'
 */
export function fold(word: string): string {
  if (ASCII.test(word)) return word.toLowerCase()
  let folded = folds.get(word)
  if (folded === undefined) {
    if (folds.size > 5000) folds.clear()
    folded = word.normalize('NFKD').toLowerCase().replace(MARKS, '').replace(/[ßæœøłđı]/g, (c) => LETTERS[c]!).normalize('NFC')
    folds.set(word, folded)
  }
  return folded
}

/**
 * Walk the tokens of `text` without building them (the index calls this for every message).
 * With `query`, a CJK run longer than one character yields only its bigrams: they already say
 * which characters must follow each other.
 *
 * @example
 * scan('Café 配送', undefined, (term, pos, start, end) => seen.push(term)) // cafe, 配, 配送, 送
 */
export function scan(text: string, segmenter: WordSegmenter | undefined, sink: TokenSink, query = false): void {
  let pos = 0
  const piece = (word: string, at: number) => {
    if (ASCII.test(word) || !CJK.test(word)) {
      const term = fold(word)
      if (term) sink(term, pos++, at, at + word.length)
      return
    }
    for (const run of word.matchAll(RUNS)) {
      const start = at + run.index!
      if (!CJK.test(run[0])) {
        piece(run[0], start)
        continue
      }
      const chars = [...run[0]]
      let offset = start
      let next = fold(chars[0]!)
      for (let i = 0; i < chars.length; i++) {
        const term = next
        const width = chars[i]!.length
        if (!query || chars.length === 1) sink(term, pos, offset, offset + width)
        if (i + 1 < chars.length) {
          next = fold(chars[i + 1]!)
          sink(term + next, pos, offset, offset + width + chars[i + 1]!.length)
        }
        offset += width
        pos++
      }
    }
  }
  for (const match of text.matchAll(WORD)) {
    const word = match[0]
    const at = match.index!
    if (segmenter && DICTIONARY.test(word)) {
      for (const part of segmenter.segment(word)) if (part.isWordLike) piece(part.segment, at + part.index)
    } else piece(word, at)
  }
}

/** Options of {@link tokenize}. */
export interface TokenizeOptions {
  /** Default: `Intl.Segmenter` where present; `undefined` for the fallback. */
  segmenter?: WordSegmenter | undefined
  /** Tokens of a query: CJK runs as bigrams only. */
  query?: boolean
}

/**
 * Split a text into search tokens with their offsets in the original text.
 *
 * @example
 * tokenize('🎉 Café, 配送!').map((t) => t.term) // ['cafe', '配', '配送', '送']
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = []
  const segmenter = 'segmenter' in options ? options.segmenter : defaultSegmenter()
  scan(text, segmenter, (term, pos, start, end) => tokens.push({ term, pos, start, end }), options.query)
  return tokens
}
