import { describe, expect, it } from 'vitest'
import { parseQuery } from '../../../src/search/index.js'

describe('parseQuery', () => {
  it('makes every word a condition', () => {
    expect(parseQuery('refund card ').map((g) => g.terms)).toEqual([['refund'], ['card']])
  })

  it('treats the last word as a prefix while it is being typed', () => {
    expect(parseQuery('refund deliv').map((g) => g.prefix)).toEqual([false, true])
  })

  it('stops treating the last word as a prefix once a space follows it', () => {
    expect(parseQuery('deliv ').map((g) => g.prefix)).toEqual([false])
  })

  it('keeps a quoted phrase together with the position of each word', () => {
    expect(parseQuery('"order shipped"')).toEqual([{ terms: ['order', 'shipped'], at: [0, 1], prefix: false }])
  })

  it('reads a quote still open as separate words', () => {
    expect(parseQuery('"order shi').map((g) => g.terms)).toEqual([['order'], ['shi']])
  })

  it('turns a Japanese run into a chain of bigrams', () => {
    expect(parseQuery('注文の配送')).toEqual([{ terms: ['注文', '文の', 'の配', '配送'], at: [0, 1, 2, 3], prefix: false }])
  })

  it('ignores a query of emoji and punctuation', () => {
    expect(parseQuery('🎉 !! ?')).toEqual([])
  })
})
