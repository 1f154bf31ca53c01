import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readEmojibase, shapeEmojiData, type Emojibase } from '../../../scripts/emoji-data.js'

/** A few of emojibase's entries, as its files hold them. */
const source: Emojibase = {
  groups: { 0: 'smileys-emotion', 1: 'people-body', 2: 'component' },
  compact: [
    { hexcode: '1F1E6', label: 'regional indicator A', unicode: '🇦' },
    { hexcode: '1F604', label: 'grinning face with smiling eyes', unicode: '😄', group: 0, order: 3, tags: ['eye', 'face', 'happy', 'Laugh'] },
    { hexcode: '1F600', label: 'grinning face', unicode: '😀', group: 0, order: 1, tags: ['grin', 'face'] },
    { hexcode: '1FAE0', label: 'melting face', unicode: '🫠', group: 0, order: 5, tags: ['melt'] },
    { hexcode: '1F44D', label: 'thumbs up', unicode: '👍️', group: 1, order: 200, tags: ['+1', 'up'] },
    { hexcode: '1F3FB', label: 'light skin tone', unicode: '🏻', group: 2, order: 300 }
  ],
  versions: { '1F604': 0.6, '1F600': 1, '1FAE0': 14, '1F44D': 0.6 },
  shortcodes: [
    { '1F604': 'smile', '1F600': 'grinning', '1F44D': ['+1', 'thumbsup'] },
    { '1F604': ['grinning_face_with_closed_eyes', 'smile'], '1F600': ['grinning', 'grinning_face', 'smile'], '1FAE0': 'melting_face', '1F44D': ['thumbsup', 'yes'] }
  ]
}

describe('the emoji data file', () => {
  it('lists the emoji of each group in Unicode order, as [emoji, name, shortcodes, keywords]', () => {
    const { format, groups } = shapeEmojiData(source)
    expect(format).toBe(1)
    expect(groups.map((group) => group.key)).toEqual(['smileys-emotion', 'people-body'])
    expect(groups[0]!.emoji.map(([emoji]) => emoji)).toEqual(['😀', '😄', '🫠'])
    expect(groups[1]!.emoji).toEqual([['👍️', 'thumbs up', '+1 thumbsup yes', '+1']])
  })

  it('leaves out skin tone swatches and the regional indicator letters', () => {
    const all = shapeEmojiData(source).groups.flatMap((group) => group.emoji.map(([emoji]) => emoji))
    expect(all).not.toContain('🏻')
    expect(all).not.toContain('🇦')
  })

  it('gives a shortcode to the first emoji that claims it, familiar sets first', () => {
    const [grinning, smile] = shapeEmojiData(source).groups[0]!.emoji
    expect(grinning![2]).toBe('grinning grinning_face')
    expect(smile![2]).toBe('smile grinning_face_with_closed_eyes')
  })

  it('keeps keywords in lower case, without the words of the name', () => {
    const [grinning, smile] = shapeEmojiData(source).groups[0]!.emoji
    expect(grinning![3]).toBe('grin')
    expect(smile![3]).toBe('eye happy laugh')
  })

  it('marks the Emoji version of emoji from 12 on only', () => {
    const [grinning, , melting] = shapeEmojiData(source).groups[0]!.emoji
    expect(grinning).toHaveLength(4)
    expect(melting![4]).toBe(14)
  })

  it('holds every emoji of emojibase 17 with a name and a shortcode, within 48 KB gzip', () => {
    const data = shapeEmojiData(readEmojibase())
    const rows = data.groups.flatMap((group) => group.emoji)
    expect(data.groups).toHaveLength(9)
    expect(rows.length).toBeGreaterThan(1_900)
    expect(rows.filter(([, name, shortcodes]) => !name || !shortcodes)).toEqual([])
    const codes = rows.flatMap(([, , shortcodes]) => shortcodes.split(' '))
    expect(new Set(codes).size).toBe(codes.length)
    expect(gzipSync(JSON.stringify(data), { level: 9 }).length).toBeLessThan(48 * 1024)
  })
})
