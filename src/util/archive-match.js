// @ts-check
// The search rules of the protocol's `GET /v1/search` (examples/server/README.md), in one place for
// the reference server and the memory transport. Plain JavaScript with JSDoc types, so the server
// runs it from a clone with Node alone (no build), and the widget's TypeScript imports it as is.

/**
 * Letters of scripts written without spaces between words (Chinese, Japanese) and Hangul, whose
 * words carry their particles: they are matched anywhere in the text. Script extensions, so the
 * Japanese long vowel mark "ー" counts as kana.
 */
const CJK = /[\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Hang}]/u
const CJK_RUNS = new RegExp(`${CJK.source}+`, 'gu')
/** A "quoted phrase" (straight or curly quotes, as phone keyboards type them; unclosed runs to the end) or a bare chunk. */
const TERMS = /["“”]([^"“”]*)["“”]?|[^\s"“”]+/g

/**
 * Text as search compares it: compatibility-decomposed, combining marks dropped, lower case.
 * @param {string} text
 * @returns {string}
 * @example fold('Crème BRÛLÉE') // 'creme brulee'
 */
const fold = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

/**
 * The words of folded text: runs of letters and digits, each CJK run a word of its own.
 * @param {string} folded
 * @returns {string[]}
 */
const words = (folded) => folded.replace(CJK_RUNS, ' $& ').split(/[^\p{L}\p{N}]+/u).filter(Boolean)

/**
 * A test of message text for an archive query. After folding, every query word must be a word of
 * the text (the last one, unless a phrase follows it, may be the start of one: people search as
 * they type), a word in a CJK script and every "quoted phrase" must occur anywhere in the text.
 * A query without words or phrases matches nothing.
 *
 * @param {string} query
 * @returns {(text: string) => boolean}
 *
 * @example
 * archiveMatcher('cafe "new ord"')('Café: your new order') // true
 */
export function archiveMatcher(query) {
  /** @type {string[]} */
  const phrases = []
  /** @type {string[]} */
  const terms = []
  let prefix = -1
  for (const [chunk, phrase] of fold(query).matchAll(TERMS)) {
    if (phrase === undefined) for (const word of words(chunk)) prefix = terms.push(word) - 1
    else {
      if (phrase !== '') phrases.push(phrase)
      prefix = -1
    }
  }
  return (text) => {
    const folded = fold(text)
    const own = words(folded)
    return (
      phrases.length + terms.length > 0 &&
      phrases.every((phrase) => folded.includes(phrase)) &&
      terms.every((term, i) =>
        CJK.test(term) ? folded.includes(term) : i === prefix ? own.some((word) => word.startsWith(term)) : own.includes(term)
      )
    )
  }
}
