import { CJK, defaultSegmenter, scan, type WordSegmenter } from './tokenize.js'

/**
 * One condition of a query: its terms must all occur in a message, term `i` at position
 * `at[i]` counted from the first. A single word is a group of one; a quoted phrase, or a word that
 * folds into several tokens ("l'adresse", "配送は"), is a group whose tokens must be consecutive.
 */
export interface QueryGroup {
  terms: string[]
  at: number[]
  /** The last term also matches longer words that start with it (the word being typed). */
  prefix: boolean
}

// A closed quote is a phrase; a lone quote (a phrase still being typed) is ignored, so its words
// match one by one meanwhile.
const PART = /"([^"]*)"|[^\s"]+/g

/**
 * Parse what the person typed: every group must match (AND); the last word matches as a prefix
 * unless a space follows it; `"quoted words"` must appear in that order, next to each other.
 * `segmenter` must be the one the index uses (default: `Intl.Segmenter` where present).
 *
 * @example
 * parseQuery('"order shipped" deliv')
 * // [{ terms: ['order', 'shipped'], at: [0, 1], prefix: false },
 * //  { terms: ['deliv'], at: [0], prefix: true }]
 */
export function parseQuery(query: string, options: { segmenter?: WordSegmenter | undefined } = {}): QueryGroup[] {
  const segmenter = 'segmenter' in options ? options.segmenter : defaultSegmenter()
  const groups: QueryGroup[] = []
  for (const part of query.matchAll(PART)) {
    const terms: string[] = []
    const at: number[] = []
    let first = -1
    scan(part[1] ?? part[0], segmenter, (term, pos) => {
      if (first < 0) first = pos
      terms.push(term)
      at.push(pos - first)
    }, true)
    const last = terms.at(-1)
    if (last === undefined) continue
    // Characters of a CJK run are already found anywhere in a word: nothing to complete.
    const typing = part[1] === undefined && part.index! + part[0].length === query.length && !CJK.test(last)
    groups.push({ terms, at, prefix: typing })
  }
  return groups
}
