// The three engines of the search benchmark behind one shape: build(messages) → { query(kind, text) }.
// Ours reads its own query syntax; MiniSearch and FlexSearch get their documented options for the same
// intent (AND, prefix on the last word, accents folded). Neither has phrases: the phrase query runs
// as AND and keeps hits whose folded text holds the phrase, the work an app would have to add.
import { Index } from 'flexsearch'
import MiniSearch from 'minisearch'
import { createSearchIndex } from '../../src/search/index.js'

const LIMIT = 20
const fold = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
const withPhrase = (messages, phrase) => (id) => fold(messages[id].text).includes(fold(phrase))

export const ENGINES = {
  ours(messages) {
    const index = createSearchIndex()
    index.add(messages)
    const forms = { word: (q) => `${q} `, words: (q) => `${q} `, prefix: (q) => q, phrase: (q) => `"${q}"` }
    return {
      index,
      query: (kind, text) => index.search(forms[kind](text), { limit: LIMIT })
    }
  },

  minisearch(messages) {
    const index = new MiniSearch({ fields: ['text'], processTerm: fold })
    index.addAll(messages.map((message, id) => ({ id, text: message.text })))
    const last = (_term, i, terms) => i === terms.length - 1
    return {
      index,
      query: (kind, text, emulate = true) => {
        const hits = index.search(text, { combineWith: 'AND', prefix: kind === 'prefix' ? last : false })
        if (kind !== 'phrase' || !emulate) return hits.slice(0, LIMIT)
        const keep = withPhrase(messages, text)
        return hits.filter((hit) => keep(hit.id)).slice(0, LIMIT)
      }
    }
  },

  flexsearch(messages) {
    // 'forward' indexes every word start, so a prefix is found; the default encoder folds case and accents.
    const index = new Index({ tokenize: 'forward' })
    messages.forEach((message, id) => index.add(id, message.text))
    return {
      index,
      query: (kind, text, emulate = true) => {
        if (kind !== 'phrase' || !emulate) return index.search(text, { limit: LIMIT })
        return index.search(text, { limit: 1000 }).filter(withPhrase(messages, text)).slice(0, LIMIT)
      }
    }
  }
}

/**
 * What each engine finds by itself (no phrase emulation) on the cases Confab needs. 1 = right answer.
 */
export function supports(build) {
  const message = (text, i) => ({ id: `m${i}`, conversationId: 'c', author: { role: 'visitor' }, text, createdAt: i })
  const texts = ['Un Café, merci', 'Your delivery is late', 'Your order shipped today', 'I shipped the order back', 'ご注文の配送は明日です', '🎉great!!']
  const engine = build(texts.map(message))
  const ids = (kind, query) => engine.query(kind, query, false).map((hit) => (typeof hit === 'object' ? (hit.message ? texts.indexOf(hit.message.text) : hit.id) : hit))
  const exactly = (kind, query, want) => {
    const got = ids(kind, query)
    return got.length === want.length && want.every((id) => got.includes(id)) ? 1 : 0
  }
  return {
    accents: exactly('word', 'CAFE', [0]) & exactly('word', 'café', [0]),
    prefix: exactly('prefix', 'deliv', [1]),
    phrase: exactly('phrase', 'order shipped', [2]),
    cjk: exactly('word', '配送', [4]) & exactly('word', '送は明', [4]),
    emoji: exactly('word', 'great', [5])
  }
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/**
 * Time every query of every kind (after a warm-up round) and count those with at least one hit.
 * Returns [name, value, unit] figures under `prefix`.
 */
export function measureQueries(engine, queries, prefix) {
  const figures = []
  for (const [kind, list] of Object.entries(queries)) {
    for (const text of list.slice(0, 50)) engine.query(kind, text)
    const times = []
    let found = 0
    for (const text of list) {
      const started = performance.now()
      const hits = engine.query(kind, text)
      times.push(performance.now() - started)
      if (hits.length) found++
    }
    figures.push([`${prefix}.query.${kind}.p50`, percentile(times, 50), 'ms'])
    figures.push([`${prefix}.query.${kind}.p95`, percentile(times, 95), 'ms'])
    figures.push([`${prefix}.query.${kind}.found`, (100 * found) / list.length, '%'])
  }
  return figures
}
