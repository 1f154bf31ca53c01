import { describe, expect, it } from 'vitest'
import { cleanName, shortName, typeLabel } from '../../../src/media/names.js'

describe('file names as the widget shows them', () => {
  it('lose the right-to-left override that disguises an extension', () => {
    expect(cleanName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
  })

  it('lose every bidi control, zero-width character and control character', () => {
    expect(cleanName('\u2067a\u200Bb\u200Fc\u2069\u0000d\u061C\ufeff.txt\n')).toBe('abcd.txt')
  })

  it('fall back to a word when nothing visible is left', () => {
    expect(cleanName('\u202E\u200B ')).toBe('file')
  })

  it('keep markup as the characters it is', () => {
    expect(cleanName('<img src=x onerror=alert(1)>.png')).toBe('<img src=x onerror=alert(1)>.png')
  })

  it('stay whole when short enough', () => {
    expect(shortName('report.pdf', 20)).toBe('report.pdf')
  })

  it('lose their middle, keeping the start and the extension', () => {
    expect(shortName('very-long-name-of-a-scanned-document.pdf', 20)).toBe('very-long-na…ent.pdf')
  })

  it('of 10,000 characters come down to the length asked for', () => {
    const short = shortName(`${'a'.repeat(10_000)}.jpeg`, 40)
    expect([...short]).toHaveLength(40)
    expect(short).toMatch(/^a+…aaa\.jpeg$/)
  })

  it('without an extension keep their start and their last characters', () => {
    expect(shortName('x'.repeat(30) + 'END', 12)).toBe('xxxxxxxx…END')
  })

  it('never cut an emoji in half', () => {
    const short = shortName('😀'.repeat(50) + '.png', 10)
    expect(short).toBe('😀😀😀😀😀….png')
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})

describe('a file type label', () => {
  it('is the extension in capitals', () => {
    expect(typeLabel('report.final.pdf')).toBe('PDF')
  })

  it('is the MIME subtype when the name has no extension', () => {
    expect(typeLabel('scan', 'application/pdf')).toBe('PDF')
  })

  it('is empty when neither tells', () => {
    expect(typeLabel('README')).toBe('')
  })
})
