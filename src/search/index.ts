import { searchableText } from '../content/plain.js'
import type { Message } from '../transports/types.js'
import { parseQuery, type QueryGroup } from './query.js'
import { defaultSegmenter, scan, tokenize, type WordSegmenter } from './tokenize.js'

export { parseQuery, type QueryGroup } from './query.js'
export { snippet, type Snippet, type SnippetOptions } from './snippet.js'
export { fold, tokenize, type Token, type TokenizeOptions, type WordSegmenter } from './tokenize.js'

/**
 * A message that matched, best first.
 *
 * @example
 * { message: { id: 'm1', text: 'Le **café** est prêt', … }, text: 'Le café est prêt', score: 1.27, ranges: [[3, 7]] }
 */
export interface SearchHit {
  message: Message
  /**
   * The words of the message the index read, as plain text: its text without markup, then card
   * titles and descriptions, button labels, file names, form answers (see `searchableText`).
   */
  text: string
  /** Relevance (BM25 over the matched words). Higher is better; compare within one search only. */
  score: number
  /** `[start, end)` UTF-16 offsets in `text` of the words to highlight: sorted, disjoint. */
  ranges: [number, number][]
}

/** Options of {@link SearchIndex.search}. */
export interface SearchOptions {
  /** Most hits to return. Default 20. */
  limit?: number
  /** Only messages of this conversation. */
  conversationId?: string
}

/** The serialisable form of an index: plain JSON, restored by {@link SearchIndex.import}. */
export interface SearchIndexData {
  /** 2 since the index reads a message's words without markup (1 read its raw text). */
  v: 2
  /** Every term, the most frequent first (so the ids in `tokens` print short). */
  terms: string[]
  docs: Message[]
  /** Per message, its tokens in order as term ids; `~id` (negative) shares the previous position. */
  tokens: number[][]
}

/** A message to remove: its id in any conversation, or its id within one. */
export type MessageRef = string | Pick<Message, 'id' | 'conversationId'>

/**
 * Full-text search over messages held on the device.
 *
 * @example
 * const index = createSearchIndex()
 * index.add(messages)
 * index.search('deliv')[0]?.ranges // [[4, 12]]: "delivery" in "The delivery is late"
 */
export interface SearchIndex {
  /** Index messages. A message already indexed (same conversation and id) is replaced: an edit. */
  add(messages: Iterable<Message>): void
  /** Forget messages: by `{ conversationId, id }`, or by id in every conversation. */
  remove(refs: Iterable<MessageRef>): void
  /** Index one message, replacing the version indexed before. */
  update(message: Message): void
  /** Forget everything. */
  clear(): void
  /** Messages matching `query` (see `parseQuery`), most relevant first, newer first among equals. */
  search(query: string, options?: SearchOptions): SearchHit[]
  /**
   * The text the index reads of a message, which hits' ranges point into: its words as plain text,
   * markup and link targets left out (see `searchableText`).
   */
  textOf(message: Message): string
  /** How many messages are indexed. */
  readonly size: number
  /** A JSON-serialisable copy, so a reload restores the index without tokenising every message again. */
  export(): SearchIndexData
  /** Replace the contents with an exported copy. `false` when the data is of another format version: rebuild then. */
  import(data: SearchIndexData): boolean
}

/** Options of {@link createSearchIndex}. */
export interface SearchIndexOptions {
  /**
   * Cuts Thai, Lao, Khmer and Burmese into words. Default: `Intl.Segmenter` where the platform has
   * it. Pass `undefined` for the fallback (such runs stay one word each).
   */
  segmenter?: WordSegmenter | undefined
}

// A posting is ordinal * P + position: one number per occurrence, sorted by message then position,
// so a phrase check is a binary search for an exact number. Positions past P - 1 share the last.
const P = 1024
// BM25's usual constants: how fast repeats saturate, how much message length matters.
const K1 = 1.2
const B = 0.75

/** First index from `lo` where `list[index] >= value`. */
function lower<T>(list: readonly T[], value: T, lo = 0): number {
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Create an empty in-memory search index: an inverted index from folded terms to postings, a sorted
 * term list for prefixes, BM25 ranking with recency breaking ties. A message is read as the words a
 * person sees (`searchableText`): card titles, form answers and link labels are found; markup and
 * link targets are not stored and never match.
 *
 * @example
 * const index = createSearchIndex()
 * index.add([{ id: 'm1', conversationId: 'c1', author: { role: 'agent' }, text: 'Your delivery ships today', createdAt: 1 }])
 * index.search('DELIV')      // [{ message: …, score: …, ranges: [[5, 13]] }]
 * index.search('"ships today"', { conversationId: 'c1', limit: 5 })
 * localStorage.search = JSON.stringify(index.export())
 */
export function createSearchIndex(options: SearchIndexOptions = {}): SearchIndex {
  const segmenter = 'segmenter' in options ? options.segmenter : defaultSegmenter()
  /** Messages by ordinal; a removed message leaves a hole. */
  let docs: (Message | undefined)[] = []
  let lens: number[] = []
  let keys = new Map<string, number>()
  /** Term → [number of messages holding it, ...postings]. */
  let postings = new Map<string, number[]>()
  let sorted: string[] = []
  let total = 0
  let live = 0
  // Scratch space of `search`, kept between queries: a score and a count of matched groups per
  // message (16 bits: a query of 65,536 words would wrap), and the messages the first group touched.
  let score = new Float64Array(0)
  let count = new Uint16Array(0)
  let touched = new Int32Array(0)

  const keyOf = (m: Pick<Message, 'id' | 'conversationId'>) => `${m.conversationId}\n${m.id}`

  const post = (list: number[], ord: number, pos: number) => {
    if (list.length === 1 || list.at(-1)! < ord * P) list[0]!++
    list.push(ord * P + (pos < P ? pos : P - 1))
  }

  const keep = (message: Message, length: number) => {
    keys.set(keyOf(message), docs.length)
    docs.push(message)
    lens.push(length)
    total += length
    live++
  }

  const put = (message: Message, words: string, fresh: string[]) => {
    let length = 0
    scan(words, segmenter, (term, pos) => {
      let list = postings.get(term)
      if (!list) postings.set(term, (list = [0])), fresh.push(term)
      post(list, docs.length, pos)
      length++
    })
    keep(message, length)
  }

  const drop = (ord: number) => {
    const message = docs[ord]!
    scan(searchableText(message), segmenter, (term) => {
      const list = postings.get(term)
      if (!list) return
      const from = lower(list, ord * P, 1)
      const to = lower(list, (ord + 1) * P, from)
      if (to === from) return
      list.splice(from, to - from)
      if (--list[0]! === 0) {
        postings.delete(term)
        const at = lower(sorted, term)
        if (sorted[at] === term) sorted.splice(at, 1)
      }
    })
    docs[ord] = undefined
    keys.delete(keyOf(message))
    total -= lens[ord]!
    live--
  }

  const clear = () => {
    docs = []
    lens = []
    keys = new Map()
    postings = new Map()
    sorted = []
    total = live = 0
  }

  const add = (messages: Iterable<Message>) => {
    const fresh: string[] = []
    for (const message of messages) {
      const words = searchableText(message)
      const ord = keys.get(keyOf(message))
      if (ord !== undefined) {
        if (searchableText(docs[ord]!) === words) {
          docs[ord] = message
          continue
        }
        drop(ord)
      }
      put(message, words, fresh)
    }
    // New terms go at the end and one sort puts them in place (TimSort merges the sorted run with
    // the tail). A term may have come and gone within the batch.
    if (fresh.length) sorted = sorted.concat([...new Set(fresh)].filter((term) => postings.has(term))).sort()
  }

  /** Offsets of the tokens a query matched in one message, merged into ranges. */
  const highlight = (text: string, groups: QueryGroup[]) => {
    const tokens = tokenize(text, { segmenter })
    // Where each position's tokens start (a CJK character and its bigram share one), so a phrase
    // looks its next word up directly, even in a long message.
    const starts: number[] = []
    tokens.forEach((token, i) => (starts[token.pos] ??= i))
    const marks: [number, number][] = []
    for (const { terms, at, prefix } of groups) {
      const hit = (term: string, k: number) =>
        term === terms[k] || (prefix && k === terms.length - 1 && term.startsWith(terms[k]!))
      for (const first of tokens) {
        if (!hit(first.term, 0)) continue
        // A phrase lights up whole, the spaces between its words included.
        let end = first.end
        let k = 1
        for (; k < terms.length; k++) {
          const pos = first.pos + at[k]!
          let i = starts[pos] ?? tokens.length
          while (i < tokens.length && tokens[i]!.pos === pos && !hit(tokens[i]!.term, k)) i++
          if (tokens[i]?.pos !== pos) break
          end = Math.max(end, tokens[i]!.end)
        }
        if (k === terms.length) marks.push([first.start, end])
      }
    }
    const ranges: [number, number][] = []
    for (const [start, end] of marks.sort((a, b) => a[0] - b[0])) {
      const last = ranges.at(-1)
      if (last && start <= last[1]) last[1] = Math.max(last[1], end)
      else ranges.push([start, end])
    }
    return ranges
  }

  const search = (query: string, { limit = 20, conversationId }: SearchOptions = {}): SearchHit[] => {
    const groups = parseQuery(query, { segmenter })
    if (!groups.length || !live || limit < 1) return []
    const avg = total / live
    const idf = (df: number) => Math.log(1 + (live - df + 0.5) / (df + 0.5))
    // Each term becomes a slot: the postings it matches, each with a weight. A whole word weighs 1;
    // a completion of the word being typed less, and less the more it adds.
    const plans = []
    for (const { terms, at, prefix } of groups) {
      let cost = Infinity
      let driver = 0
      const slots = terms.map((term, k) => {
        const slot: [number[], number][] = []
        if (prefix && k === terms.length - 1) {
          for (let i = lower(sorted, term); i < sorted.length && sorted[i]!.startsWith(term); i++) {
            slot.push([postings.get(sorted[i]!)!, sorted[i] === term ? 1 : (0.7 * term.length) / sorted[i]!.length])
          }
        } else if (postings.has(term)) slot.push([postings.get(term)!, 1])
        let size = 0
        for (const [list] of slot) size += list.length
        if (size < cost) (cost = size), (driver = k)
        return slot
      })
      if (slots.some((slot) => !slot.length)) return []
      plans.push({ slots, at, cost, driver })
    }
    // The rarest group first: later groups only add to messages that matched every earlier one.
    plans.sort((a, b) => a.cost - b.cost)
    if (score.length < docs.length) {
      score = new Float64Array(docs.length + (docs.length >> 1))
      count = new Uint16Array(score.length)
      touched = new Int32Array(score.length)
    }
    /** Messages that matched the first group: `touched[0 … seen)`. */
    let seen = 0
    const tf = (n: number, doc: number) => (n * (K1 + 1)) / (n + K1 * (1 - B + (B * lens[doc]!) / avg))
    for (let g = 0, alive = 1; g < plans.length && alive; g++) {
      const { slots, at, driver } = plans[g]!
      alive = 0
      // A phrase weighs as much as its words together.
      let weight = 0
      for (const slot of slots) weight += slot[0]![1] * idf(slot[0]![0][0]!)
      for (const [list, w] of slots[driver]!) {
        if (slots.length === 1) weight = w * idf(list[0]!)
        for (let i = 1; i < list.length; ) {
          const doc = Math.floor(list[i]! / P)
          const end = (doc + 1) * P
          let n = 0
          for (; i < list.length && list[i]! < end; i++) {
            // In a phrase, the other words are looked up where they must be: right after this one.
            const start = list[i]! - at[driver]!
            if (
              slots.length === 1 ||
              (start >= end - P &&
              slots.every((slot, k) => k === driver || slot.some(([other]) => {
                const want = start + at[k]!
                return want < end && other[lower(other, want, 1)] === want
              })))
            ) n++
          }
          if (!n) continue
          // Count each message once per group; only those that matched every group so far go on.
          if (count[doc] === g) {
            count[doc]++
            if (!g) touched[seen++] = doc
            alive++
          }
          if (count[doc] === g + 1) score[doc]! += weight * tf(n, doc)
        }
      }
    }
    // Keep the best `limit` by insertion: most candidates lose to the last kept one at once.
    const better = (a: number, b: number) => score[a]! - score[b]! || docs[a]!.createdAt - docs[b]!.createdAt
    const top: number[] = []
    let floor = -1
    for (let j = 0; j < seen; j++) {
      const doc = touched[j]!
      // Rounded, so equal relevance summed in another order still ties and recency decides.
      const value = (score[doc] = Math.round(score[doc]! * 1e6) / 1e6)
      if (value < floor || count[doc] !== plans.length || (conversationId !== undefined && docs[doc]!.conversationId !== conversationId)) continue
      if (top.length === limit && better(doc, top[limit - 1]!) <= 0) continue
      let i = Math.min(top.length, limit - 1)
      for (; i > 0 && better(doc, top[i - 1]!) > 0; i--) top[i] = top[i - 1]!
      top[i] = doc
      if (top.length === limit) floor = score[top[limit - 1]!]!
    }
    const hits = top.map((doc) => {
      const text = searchableText(docs[doc]!)
      return { message: docs[doc]!, text, score: score[doc]!, ranges: highlight(text, groups) }
    })
    for (let j = 0; j < seen; j++) score[touched[j]!] = count[touched[j]!] = 0
    return hits
  }

  return {
    add,
    remove(refs) {
      const loose = new Set<string>()
      for (const ref of refs) {
        if (typeof ref === 'string') loose.add(ref)
        else {
          const ord = keys.get(keyOf(ref))
          if (ord !== undefined) drop(ord)
        }
      }
      if (loose.size) docs.forEach((message, ord) => message && loose.has(message.id) && drop(ord))
    },
    update: (message) => add([message]),
    clear,
    search,
    textOf: searchableText,
    get size() {
      return live
    },
    export() {
      const terms = [...postings.keys()].sort((a, b) => postings.get(b)![0]! - postings.get(a)![0]!)
      const ids = new Map(terms.map((term, id) => [term, id]))
      const kept = docs.filter((message) => message !== undefined)
      // Tokenising again gives the tokens in position order, as `import` replays them.
      const tokens = kept.map((message) => {
        const row: number[] = []
        let last = -1
        scan(searchableText(message), segmenter, (term, pos) => {
          const id = ids.get(term)!
          row.push(Math.min(pos, P - 1) === last ? ~id : ((last = pos), id))
        })
        return row
      })
      return { v: 2, terms, docs: kept, tokens }
    },
    import(data) {
      if (data?.v !== 2) return false
      clear()
      const lists = data.terms.map(() => [0])
      data.docs.forEach((message, ord) => {
        const row = data.tokens[ord]!
        let pos = -1
        for (const id of row) post(lists[id < 0 ? ~id : id]!, ord, id < 0 ? pos : ++pos)
        keep(message, row.length)
      })
      data.terms.forEach((term, id) => postings.set(term, lists[id]!))
      sorted = [...data.terms].sort()
      return true
    }
  }
}
