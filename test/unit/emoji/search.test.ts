import { describe, expect, it } from 'vitest'
import { readEmojibase, shapeEmojiData } from '../../../scripts/emoji-data.js'
import { createEmojiIndex } from '../../../src/ui/emoji/search.js'

const data = shapeEmojiData(readEmojibase())
const index = createEmojiIndex(data)
const chars = (list: { emoji: string }[]) => list.map((item) => item.emoji)

describe('searching the emoji', () => {
  it('finds an emoji by the start of a word of its name', () => {
    expect(chars(index.search('unic'))).toEqual(['🦄'])
  })

  it('puts whole words first, then names that begin with the query', () => {
    expect(chars(index.search('thumb'))[0]).toBe('🫰')
    expect(chars(index.search('thumbs')).slice(0, 2)).toEqual(['👍️', '👎️'])
  })

  it('finds an emoji by a shortcode, colons or not', () => {
    expect(chars(index.search(':tada:'))[0]).toBe('🎉')
    expect(chars(index.search('+1'))[0]).toBe('👍️')
  })

  it('finds an emoji by a keyword that is not in its name', () => {
    expect(chars(index.search('happy'))).toContain('😄')
  })

  it('needs every word of the query, in any case', () => {
    const found = index.search('Red HEART')
    expect(found[0]!.name).toBe('red heart')
    expect(found.every((emoji) => /red/.test(emoji.name + emoji.shortcodes.join(' ')) || emoji.group !== 'smileys-emotion')).toBe(true)
    expect(index.search('heart zzzzq')).toEqual([])
  })

  it('puts the emoji whose name is the query first', () => {
    expect(index.search('cat')[0]!.name).toBe('cat')
  })

  it('finds nothing for a query of no words', () => {
    expect(index.search(' : ')).toEqual([])
  })
})

describe('completing a shortcode', () => {
  it('lists shortcodes that start with what was typed, the emoji’s familiar ones and the short ones first', () => {
    const matches = index.complete('smi')
    expect(matches.map((match) => match.shortcode).slice(0, 3)).toEqual(['smile', 'smirk', 'smiley'])
    expect(matches[0]!.emoji.emoji).toBe('😄')
    expect(matches).toHaveLength(8)
  })

  it('puts the shortcode that is exactly what was typed first', () => {
    expect(index.complete('cat')[0]).toMatchObject({ shortcode: 'cat', emoji: { emoji: '🐱' } })
  })

  it('also matches a later word of a shortcode', () => {
    expect(index.complete('eyes', 50).map((match) => match.shortcode)).toContain('grinning_face_with_closed_eyes')
  })

  it('lists each emoji once', () => {
    const matches = index.complete('grin', 50)
    expect(new Set(chars(matches.map((match) => match.emoji))).size).toBe(matches.length)
  })
})

describe('looking up an emoji', () => {
  it('finds one by its shortcode, in any case', () => {
    expect(index.byShortcode('tada')?.emoji).toBe('🎉')
    expect(index.byShortcode('Smile')?.emoji).toBe('😄')
    expect(index.byShortcode('no_such_emoji')).toBeUndefined()
  })

  it('finds one by its character, with or without the emoji variation selector', () => {
    expect(index.get('👍️')?.name).toBe('thumbs up')
    expect(index.get('👍')?.name).toBe('thumbs up')
  })

  it('leaves out the emoji newer than the fonts draw', () => {
    const older = createEmojiIndex(data, 13.1)
    expect(older.byShortcode('melting_face')).toBeUndefined()
    expect(older.groups[0]!.emoji.length).toBeLessThan(index.groups[0]!.emoji.length)
    expect(older.search('melting')).toEqual([])
  })
})
