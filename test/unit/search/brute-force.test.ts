import { describe, expect, it } from 'vitest'
import { createSearchIndex, parseQuery, tokenize } from '../../../src/search/index.js'
import type { Message } from '../../../src/transports/types.js'

// mulberry32: seeded, so a failure replays.
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

const WORDS = ['order', 'orders', 'ordered', 'ship', 'shipped', 'café', 'Cafe', 'refund', 'ref', 'déjà', 'vu', '配送', 'ご注文の配送', '明日', '🎉', 'ok!', "l'adresse"]

/** Whether `text` matches `query`, by reading every token of it: the definition the index must agree with. */
function matches(text: string, query: string): boolean {
  const tokens = tokenize(text)
  const groups = parseQuery(query)
  return groups.length > 0 && groups.every(({ terms, at, prefix }) =>
    tokens.some((first) => terms.every((term, k) =>
      tokens.some((t) => t.pos === first.pos + at[k]! && (t.term === term || (prefix && k === terms.length - 1 && t.term.startsWith(term)))))))
}

/**
 * 400 random steps on one index: add or edit (60 ids, so ids repeat), remove, export and import,
 * or search and compare with the full scan. Returns how many searches ran and how many found something.
 */
function replay(seed: number) {
  const random = prng(seed)
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!
  const sentence = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(WORDS)).join(pick([' ', ' ', '', ', ']))
  let index = createSearchIndex()
  const live = new Map<string, Message>()
  let asked = 0
  let answered = 0
  for (let step = 0; step < 400; step++) {
    const roll = random()
    const id = `m${Math.floor(random() * 60)}`
    if (roll < 0.6) {
      const message = { id, conversationId: 'c', author: { role: 'visitor' as const }, text: sentence(), createdAt: step }
      index.add([message])
      live.set(id, message)
    } else if (roll < 0.8) {
      index.remove([id])
      live.delete(id)
    } else if (roll < 0.82) {
      const restored = createSearchIndex()
      restored.import(JSON.parse(JSON.stringify(index.export())))
      index = restored
    } else {
      const typed = sentence().slice(0, 1 + Math.floor(random() * 14))
      const query = random() < 0.25 ? `"${typed}"` : `${typed}${pick(['', ' '])}`
      const want = [...live.values()].filter((m) => matches(m.text, query)).map((m) => m.id).sort()
      const got = index.search(query, { limit: 1000 }).map((hit) => hit.message.id).sort()
      expect({ seed, query, got }).toEqual({ seed, query, got: want })
      asked++
      if (got.length) answered++
    }
  }
  expect(index.size).toBe(live.size)
  return [asked, answered] as const
}

describe('agreement with a brute-force scan', () => {
  it('finds exactly the messages a full scan finds, through adds, edits, removals and reloads', () => {
    let asked = 0
    let answered = 0
    for (const seed of [1, 2, 3, 42, 99]) {
      const [a, b] = replay(seed)
      asked += a
      answered += b
    }
    // Enough searches found something for the agreement to mean something.
    expect(asked).toBeGreaterThan(250)
    expect(answered).toBeGreaterThan(asked / 3)
  })
})
