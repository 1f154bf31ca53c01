import { describe, expect, it } from 'vitest'
import { findClosedShortcode, findShortcodeQuery, replaceRange } from '../../../src/ui/emoji/shortcodes.js'

/** The query of `text` with the caret where `|` is. */
const query = (text: string) => findShortcodeQuery(text.replace('|', ''), text.indexOf('|'))

describe('the shortcode being typed', () => {
  it('starts at a colon after a space, with two characters typed', () => {
    expect(query('Thanks :smi|')).toEqual({ start: 7, end: 11, query: 'smi' })
  })

  it('starts at a colon at the start of the text or of a line', () => {
    expect(query(':+1|')).toEqual({ start: 0, end: 3, query: '+1' })
    expect(query('Hi\n:thu|')?.query).toBe('thu')
  })

  it('starts at a colon right after an emoji or a bracket', () => {
    expect(query('🎉:tad|')?.query).toBe('tad')
    expect(query('(:smi|')?.query).toBe('smi')
  })

  it('needs two characters after the colon', () => {
    expect(query('Thanks :s|')).toBeNull()
  })

  it('is no colon in the middle of a word, a time or a link', () => {
    expect(query('Note:sm|')).toBeNull()
    expect(query('at 10:30|')).toBeNull()
    expect(query('https://ex|')).toBeNull()
  })

  it('ends at a space, a closing colon or an emoticon', () => {
    expect(query('Thanks :smile |')).toBeNull()
    expect(query('Thanks :smile:|')).toBeNull()
    expect(query('ok :)|')).toBeNull()
  })

  it('is none while the caret is inside the word', () => {
    expect(query('Thanks :sm|ile')).toBeNull()
  })

  it('is read up to the caret, whatever follows a space', () => {
    expect(query(':tad| see you')).toEqual({ start: 0, end: 4, query: 'tad' })
  })
})

describe('a shortcode typed out in full', () => {
  it('is found when its closing colon is typed', () => {
    expect(findClosedShortcode('Great :tada:', 12)).toEqual({ start: 6, end: 12, query: 'tada' })
    expect(findClosedShortcode(':+1:', 4)?.query).toBe('+1')
  })

  it('is no pair of colons inside words or around a space', () => {
    expect(findClosedShortcode('a:b:', 4)).toBeNull()
    expect(findClosedShortcode('x : y:', 6)).toBeNull()
    expect(findClosedShortcode('::', 2)).toBeNull()
    expect(findClosedShortcode('::x:', 4)).toBeNull()
  })
})

describe('replacing a range with an emoji', () => {
  it('puts the emoji in place of the shortcode and the caret after it', () => {
    expect(replaceRange('Thanks :smi', { start: 7, end: 11 }, '😄')).toEqual({ text: 'Thanks 😄', caret: 9 })
  })

  it('keeps what follows', () => {
    expect(replaceRange(':tad see you', { start: 0, end: 4 }, '🎉')).toEqual({ text: '🎉 see you', caret: 2 })
  })

  it('inserts at the caret when the range is empty', () => {
    expect(replaceRange('ab', { start: 1, end: 1 }, '👍')).toEqual({ text: 'a👍b', caret: 3 })
  })
})
