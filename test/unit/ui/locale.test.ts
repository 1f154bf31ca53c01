import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { emojiStrings } from '../../../src/ui/emoji/strings.js'
import { gifStrings } from '../../../src/ui/gifs/strings.js'
import { createLocale, LANGUAGES, resolveLocale, type LocaleOptions } from '../../../src/ui/locale.js'
import { loadLocale } from '../../../src/ui/locales/load.js'
import { paneStrings } from '../../../src/ui/pane/strings.js'
import { checkStrings, counted, defaultStrings, fits, searchStrings, type Plural, type Strings } from '../../../src/ui/strings.js'

/** Every English text, as the widget and its chunks hold them. */
const english: Strings = { ...defaultStrings, ...paneStrings, ...searchStrings, ...gifStrings, ...emojiStrings }
/** Every language but English, which has no file. */
const FILED = LANGUAGES.filter((language) => language !== 'en')
const texts = Object.fromEntries(await Promise.all(FILED.map(async (language) => [language, await loadLocale(language)] as const)))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('choosing the language', () => {
  it('speaks the first of the wanted languages it knows', () => {
    expect(resolveLocale(['pt-BR', 'de-AT', 'fr'])).toEqual({ language: 'de', locale: 'de-AT' })
  })

  it('speaks fr-CA as French, keeping Canada for dates and numbers', () => {
    expect(resolveLocale(['fr-CA'])).toEqual({ language: 'fr', locale: 'fr-CA' })
  })

  it('falls back to English for a language it does not speak: pt-BR, then pt, then en', () => {
    expect(resolveLocale(['pt-BR'])).toEqual({ language: 'en', locale: 'en' })
    expect(resolveLocale([])).toEqual({ language: 'en', locale: 'en' })
  })

  it('skips what is not a language tag, and reads an old tag as its new name', () => {
    expect(resolveLocale(['en_US', '', 'iw'])).toEqual({ language: 'he', locale: 'he' })
    expect(resolveLocale(['JA-jp'])).toEqual({ language: 'ja', locale: 'ja-JP' })
  })
})

describe('the language of a widget', () => {
  const make = (options: Partial<LocaleOptions> = {}) => createLocale({ languages: [], overrides: {}, ...options })

  it('follows the visitor’s languages when the site chose none', async () => {
    const locale = make({ languages: ['es-MX', 'en'] })
    await locale.load()
    expect(locale.$text.get()).toMatchObject({ language: 'es', locale: 'es-MX', dir: 'ltr', strings: { send: 'Enviar' } })
  })

  it('follows the site’s choice over the visitor’s languages', async () => {
    const locale = make({ locale: 'de', languages: ['fr'] })
    await locale.load()
    expect(locale.$text.get().strings.send).toBe('Senden')
  })

  it('shows English until the pane asks for its language, and that language once it has', async () => {
    const locale = make({ locale: 'ja' })
    expect(locale.$text.get()).toMatchObject({ language: 'en', strings: { launcher: 'Chat with us' } })
    await locale.set('fr')
    expect(locale.$text.get().language).toBe('en')
    await locale.load()
    expect(locale.$text.get()).toMatchObject({ language: 'fr', locale: 'fr', strings: { launcher: 'Discuter avec nous' } })
  })

  it('switches at once once the pane has its text, the last language asked winning', async () => {
    const locale = make()
    await locale.load()
    const slow = locale.set('de')
    await Promise.all([slow, locale.set('he')])
    expect(locale.$text.get()).toMatchObject({ language: 'he', dir: 'rtl', strings: { send: 'שליחה' } })
  })

  it('writes Arabic and Hebrew right to left, the others left to right', async () => {
    const dirs: Record<string, string> = {}
    for (const language of LANGUAGES) {
      const locale = make({ locale: language })
      await locale.load()
      dirs[language] = locale.$text.get().dir
    }
    expect(dirs).toEqual({ en: 'ltr', es: 'ltr', fr: 'ltr', de: 'ltr', ja: 'ltr', ar: 'rtl', he: 'rtl' })
  })

  it('keeps the page’s overrides over every language', async () => {
    const locale = make({ locale: 'fr', overrides: { title: 'Acme' } })
    await locale.load()
    expect(locale.$text.get().strings).toMatchObject({ title: 'Acme', send: 'Envoyer' })
    await locale.set('ar')
    expect(locale.$text.get().strings).toMatchObject({ title: 'Acme', send: 'إرسال' })
  })

  it('says once, in development builds, that a chosen language is not spoken', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    make({ locale: 'pt-BR' })
    make({ locale: 'pt-BR' }).set('pt-BR')
    expect(warn.mock.calls).toEqual([['Confab speaks no pt-BR: it shows en (it speaks en, es, fr, de, ja, ar, he)']])
  })

  it('says nothing of a region it folds into its language, nor of the visitor’s languages', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    make({ locale: 'fr-CA' })
    make({ locale: 'en-GB' })
    make({ languages: ['ko-KR'] })
    expect(warn).not.toHaveBeenCalled()
  })
})

describe('counting', () => {
  const searchCount = (language: string, n: number) => counted((texts[language] ?? english).searchCount, n, language)

  it('says one result and several in English', () => {
    expect([searchCount('en', 1), searchCount('en', 2)]).toEqual(['1 result', '2 results'])
  })

  it('counts none as one in French, not in German', () => {
    expect([searchCount('fr', 0), searchCount('fr', 1), searchCount('fr', 2)]).toEqual(['0 résultat', '1 résultat', '2 résultats'])
    expect([searchCount('de', 0), searchCount('de', 1)]).toEqual(['0 Ergebnisse', '1 Ergebnis'])
  })

  it('says each of the six Arabic forms', () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => searchCount('ar', n))).toEqual(['لا نتائج', 'نتيجة واحدة', 'نتيجتان', '3 نتائج', '11 نتيجة', '100 نتيجة'])
  })

  it('says two in Hebrew’s own form', () => {
    expect([1, 2, 3].map((n) => searchCount('he', n))).toEqual(['תוצאה אחת', 'שתי תוצאות', '3 תוצאות'])
  })

  it('writes the number as the locale writes numbers', () => {
    expect(counted('{count} Ergebnisse', 1234, 'de')).toBe('1.234 Ergebnisse')
    expect(counted('{count} results', 1234, 'en')).toBe('1,234 results')
  })

  it('takes other for a form a text leaves out', () => {
    expect(counted({ other: '{count} messages' }, 1, 'en')).toBe('1 messages')
  })

  for (const language of FILED) {
    it(`gives every count in ${language} each plural form the language has`, () => {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories
      for (const [key, text] of Object.entries(texts[language]!)) {
        if (typeof text === 'string') continue
        expect(Object.keys(text as Plural).sort(), `${language}: ${key}`).toEqual([...categories].sort())
      }
    })
  }

  it('gives every Arabic count that names a thing all six forms', () => {
    for (const key of ['unread', 'stars', 'searchCount', 'gifsCount'] as const) {
      expect(Object.keys(texts.ar![key]).sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero'])
    }
  })
})

describe('placeholders', () => {
  it('are what the English text takes', () => {
    for (const [key, text] of Object.entries(english)) expect(fits(key, text), key).toBe(true)
  })

  it('must be there in a plain text, and in a plural text’s other', () => {
    expect(fits('typing', 'Someone is typing')).toBe(false)
    expect(fits('unread', { one: 'one new', other: 'new' })).toBe(false)
    expect(fits('unread', { one: 'one new', other: '{count} new' })).toBe(true)
  })

  it('must be the text’s own, in every form', () => {
    expect(fits('typing', '{who} is typing')).toBe(false)
    expect(fits('typing', '{name} and {who} are typing')).toBe(false)
    expect(fits('unread', { one: '{n} new', other: '{count} new' })).toBe(false)
    expect(fits('title', 'Acme {count}')).toBe(false)
  })

  it('belong to text: a number or an object without other is not one', () => {
    expect(fits('title', 42)).toBe(false)
    expect(fits('unread', { one: '{count} new' })).toBe(false)
    expect(fits('title', null)).toBe(false)
  })

  it('that do not fit are reported, and their overrides left out for the text they would replace', () => {
    const problems: string[] = []
    const kept = checkStrings({ title: 'Acme', typing: '{who} écrit…', unread: '{count} nouveaux', send: '{count}' }, (problem) => problems.push(problem))
    expect(kept).toEqual({ title: 'Acme', unread: '{count} nouveaux' })
    expect(problems).toEqual([
      'Confab: strings.typing must be text with {name}; its default shows',
      'Confab: strings.send must be text with no placeholder; its default shows'
    ])
  })
})

describe('the languages’ files', () => {
  it('are one per language besides English, each a module the build turns into its own file', () => {
    const folder = fileURLToPath(new URL('../../../src/ui/locales/', import.meta.url))
    const files = readdirSync(folder).flatMap((file) => /^([a-z]{2,3})\.ts$/.exec(file)?.[1] ?? [])
    expect(files.sort()).toEqual([...FILED].sort())
  })

  for (const language of FILED) {
    it(`hold every text in ${language}, each with the placeholders of the English`, () => {
      const text = texts[language]!
      expect(Object.keys(text).sort()).toEqual(Object.keys(english).sort())
      for (const [key, value] of Object.entries(text)) expect(fits(key, value), `${language}: ${key}`).toBe(true)
    })
  }
})
