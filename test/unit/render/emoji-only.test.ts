import { describe, expect, it } from 'vitest'
import { isEmojiOnly } from '../../../src/render/emoji-only.js'

describe('a message of emoji only', () => {
  it('is one to three emoji', () => {
    expect(isEmojiOnly('👍')).toBe(true)
    expect(isEmojiOnly('😀😃')).toBe(true)
    expect(isEmojiOnly('🎉🎉🎉')).toBe(true)
  })

  it('counts a family joined by zero-width joiners as one emoji', () => {
    expect(isEmojiOnly('👨‍👩‍👧‍👦')).toBe(true)
    expect(isEmojiOnly('👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦')).toBe(true)
    expect(isEmojiOnly('🧑🏽‍🚀🏳️‍🌈🏃‍♀️')).toBe(true)
  })

  it('counts a skin tone with its emoji', () => {
    expect(isEmojiOnly('👍🏽👋🏿☝🏻')).toBe(true)
  })

  it('counts flags, England’s tag sequence among them', () => {
    expect(isEmojiOnly('🇫🇷🇯🇵')).toBe(true)
    expect(isEmojiOnly('🏴󠁧󠁢󠁥󠁮󠁧󠁿')).toBe(true)
  })

  it('counts keycaps, with or without the variation selector', () => {
    expect(isEmojiOnly('1️⃣')).toBe(true)
    expect(isEmojiOnly('#️⃣*⃣')).toBe(true)
  })

  it('allows whitespace around and between them', () => {
    expect(isEmojiOnly(' 😀 \n 😀 ')).toBe(true)
  })

  it('is not four emoji or more', () => {
    expect(isEmojiOnly('😀😀😀😀')).toBe(false)
    expect(isEmojiOnly('🇫🇷🇫🇷🇫🇷🇫🇷')).toBe(false)
  })

  it('is not text with emoji', () => {
    expect(isEmojiOnly('ok 👍')).toBe(false)
    expect(isEmojiOnly('👍!')).toBe(false)
  })

  it('is not digits, symbols drawn as text, or emoticons', () => {
    expect(isEmojiOnly('1')).toBe(false)
    expect(isEmojiOnly('©™')).toBe(false)
    expect(isEmojiOnly('❤')).toBe(false)
    expect(isEmojiOnly(':)')).toBe(false)
  })

  it('is not an empty message', () => {
    expect(isEmojiOnly('')).toBe(false)
    expect(isEmojiOnly('  ')).toBe(false)
  })
})
