import { describe, expect, it } from 'vitest'
import { archiveMatcher as serverMatcher } from '../../../examples/server/search.js'
import { archiveMatcher as memoryMatcher } from '../../../src/transports/memory/match.js'

/** [query, text, matches]: the search rules of the protocol, which both copies must follow. */
const CASES: [string, string, boolean][] = [
  ['creme brulee', 'Crème BRÛLÉE', true],
  ['CRÈME', 'creme', true],
  ['ｃａｆｅ', 'Café', true],
  ['istanbul', 'İSTANBUL', true],
  ['refund sta', 'Refund status', true],
  ['ref status', 'Refund status', false],
  ['refund', 'no refunds', true],
  ['refund please', 'no refunds, please', false],
  ['fund', 'no refunds', false],
  ['refund status', 'refund', false],
  ['refund,', 'refund-status', true],
  ['"new ord"', 'Your NEW ORDER', true],
  ['"new ord"', 'new, order', false],
  ['ne "order"', 'new order', false],
  ['"order" ne', 'new order', true],
  ['“new order”', 'new order', true],
  ['"new ord', 'a new order', true],
  ['東京', '明日東京に行きます', true],
  ['京に', '明日東京に行きます', true],
  ['大阪', '明日東京に行きます', false],
  ['ケース ipad', 'iPadケースです', true],
  ['ｶﾌｪ', 'カフェ', true],
  ['서울', '서울에서 만나요', true],
  ['', 'anything', false],
  ['  ?! ', 'anything ?!', false],
  ['""', 'anything', false]
]

describe('archive matching', () => {
  it.each(CASES)('%j in %j: %s', (query, text, expected) => {
    expect(serverMatcher(query)(text)).toBe(expected)
  })

  it('is the same in the memory transport as in the reference server', () => {
    for (const [query, text] of CASES) {
      expect({ query, text, match: memoryMatcher(query)(text) }).toEqual({ query, text, match: serverMatcher(query)(text) })
    }
  })
})
