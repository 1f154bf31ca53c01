import { describe, expect, it } from 'vitest'
import { fold, tokenize, type WordSegmenter } from '../../../src/search/index.js'

const terms = (text: string, ...segmenter: [WordSegmenter?]) =>
  tokenize(text, segmenter.length ? { segmenter: segmenter[0] } : {}).map((t) => t.term)

describe('tokenize', () => {
  it('folds accents and case', () => {
    expect(terms('Café CRÈME Müller')).toEqual(['cafe', 'creme', 'muller'])
  })

  it('folds letters that have no decomposition the way people type them', () => {
    expect(fold('Straße')).toBe('strasse')
    expect(fold('cœur')).toBe('coeur')
  })

  it('folds full-width letters and ligatures to plain ones', () => {
    expect(terms('ＡＢＣ ﬁle')).toEqual(['abc', 'file'])
  })

  it('drops emoji and punctuation, even glued to a word', () => {
    expect(terms('🎉great!! 👋🏽 (really?) ❤️')).toEqual(['great', 'really'])
  })

  it('keeps offsets in the original text when folding changes the length', () => {
    const text = 'e\u0301te\u0301 😀 ﬁn'
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(['e\u0301te\u0301', 'ﬁn'])
    expect(tokenize(text).map((t) => t.term)).toEqual(['ete', 'fin'])
  })

  it('splits words at apostrophes so elided French articles do not hide the word', () => {
    expect(terms("l'adresse d’expédition")).toEqual(['l', 'adresse', 'd', 'expedition'])
  })

  it('indexes Japanese as characters and character bigrams', () => {
    expect(terms('配送は')).toEqual(['配', '配送', '送', '送は', 'は'])
  })

  it('keeps kana voicing marks apart: ハ, バ and パ are different letters', () => {
    expect(terms('パ')).toEqual(['パ'])
    expect(fold('ﾊﾟ')).toBe('パ')
  })

  it('finds the same words without Intl.Segmenter', () => {
    const text = 'Order #A123 shipped, ご注文の配送は明日です 🎉 Café'
    expect(terms(text, undefined)).toEqual(terms(text))
  })

  it('asks the segmenter to cut Thai, which has no spaces', () => {
    const segmenter: WordSegmenter = {
      segment: (text) => [
        { segment: text.slice(0, 6), index: 0, isWordLike: true },
        { segment: text.slice(6), index: 6, isWordLike: true }
      ]
    }
    expect(terms('สวัสดีครับ', segmenter)).toEqual(['สวัสดี', 'ครับ'])
  })

  it('keeps a Thai run as one word without a segmenter', () => {
    expect(terms('ส่งของ', undefined)).toEqual(['ส่งของ'])
  })
})
