import { describe, expect, it } from 'vitest'
import { snippet } from '../../../src/search/index.js'

const long = `${'Lorem ipsum dolor sit amet consectetur. '.repeat(5)}The refund was sent to your card today. ${'More words follow here. '.repeat(5)}`
const at = long.indexOf('refund')

describe('snippet', () => {
  it('keeps a short text whole', () => {
    expect(snippet('A refund', [[2, 8]])).toEqual({ text: 'A refund', ranges: [[2, 8]] })
  })

  it('cuts a window around the first hit with ellipses on both sides', () => {
    const { text, ranges } = snippet(long, [[at, at + 6]], { max: 60 })
    expect(text.length).toBeLessThanOrEqual(60)
    expect(text.startsWith('…')).toBe(true)
    expect(text.endsWith('…')).toBe(true)
    expect(text.slice(ranges[0]![0], ranges[0]![1])).toBe('refund')
  })

  it('cuts at spaces, not inside words', () => {
    const { text } = snippet(long, [[at, at + 6]], { max: 60 })
    expect(text).toMatch(/^… ?\S/)
    expect(long.includes(text.slice(1, -1))).toBe(true)
    expect(text.slice(1, -1).split(' ').every((word) => long.includes(` ${word} `) || long.includes(` ${word}`) || long.startsWith(word)))
      .toBe(true)
  })

  it('starts at the beginning when the hit is near it', () => {
    const { text } = snippet(long, [[0, 5]], { max: 40 })
    expect(text.startsWith('Lorem')).toBe(true)
    expect(text.endsWith('…')).toBe(true)
  })

  it('drops ranges outside the window and clips the ones across its edge', () => {
    const { text, ranges } = snippet(long, [[at, at + 6], [long.length - 10, long.length - 1]], { max: 60 })
    expect(ranges).toHaveLength(1)
    expect(text.slice(...ranges[0]!)).toBe('refund')
  })

  it('never cuts an emoji in half', () => {
    const text = `${'😀'.repeat(80)} refund`
    const cut = snippet(text, [[161, 167]], { max: 41 })
    expect(cut.text).not.toMatch(/^…[\udc00-\udfff]/)
    expect(cut.text.slice(...cut.ranges[0]!)).toBe('refund')
  })

  it('shows the start of the text when nothing is highlighted', () => {
    expect(snippet(long, [], { max: 30 }).text.startsWith('Lorem')).toBe(true)
  })
})
