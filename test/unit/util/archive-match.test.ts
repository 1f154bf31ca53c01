import { describe, expect, it } from 'vitest'
import { archiveMatcher } from '../../../src/util/archive-match.js'

/**
 * [query, text, matches]: the search rules of the protocol (`GET /v1/search`), which the reference
 * server and the memory transport both run through this one matcher.
 */
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
    expect(archiveMatcher(query)(text)).toBe(expected)
  })
})
