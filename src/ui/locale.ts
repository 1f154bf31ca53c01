import { atom, type ReadableAtom } from 'nanostores'
import { warnOnce } from '../util/dev.js'
import { loadLocale } from './locales/load.js'
import { defaultStrings, type Strings } from './strings.js'
import type { WidgetProps } from './components/props.js'

// Replaced by the build (the script tag's), or by the app's bundler: warnings vanish in production.
declare const process: { env: { NODE_ENV?: string } }

/**
 * The languages the widget speaks: English, whose text comes with the widget's code, and those whose
 * text loads with the pane, one file each (`locales/`).
 */
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'ja', 'ar', 'he'] as const

/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number]

/** Written right to left. */
const RTL: readonly Language[] = ['ar', 'he']

/** Where a wanted locale lands: the language spoken, and the tag `Intl` writes dates and numbers for. */
export interface Resolved {
  /** The language of the text: `'fr'` for `fr-CA`. */
  language: Language
  /** The locale dates, times and numbers are written for: `'fr-CA'` keeps Canada's date order. */
  locale: string
}

/**
 * The language to speak for `wanted` (BCP 47 tags, best first): the first tag whose language the
 * widget speaks, `fr-CA` as `fr`; English when none is (`pt-BR`, then `pt`, then `en`). Tags that
 * are not tags (`'en_US'`, `''`) are skipped; old ones are read as their new names (`iw` is `he`).
 *
 * @example
 * resolveLocale(['pt-BR', 'fr-CA', 'en']) // { language: 'fr', locale: 'fr-CA' }
 */
export function resolveLocale(wanted: readonly string[]): Resolved {
  for (const tag of wanted) {
    let locale: string
    try {
      locale = Intl.getCanonicalLocales(tag)[0]!
    } catch {
      continue
    }
    const language = locale?.split('-')[0] as Language
    if (LANGUAGES.includes(language)) return { language, locale }
  }
  return { language: 'en', locale: 'en' }
}

/** The text the widget shows, and how: the language, the locale of dates and numbers, the direction. */
export interface Wording extends Resolved {
  dir: 'ltr' | 'rtl'
  /** The widget's text in `language`, the page's overrides over it. */
  strings: WidgetProps['strings']
}

/** The language of one widget (see {@link createLocale}). */
export interface LocaleSwitch {
  /** What the widget shows now. It changes once the text of a new language has arrived. */
  readonly $text: ReadableAtom<Wording>
  /**
   * Bring in the text of the language asked for, when it is not the one shown (loaded with the
   * pane's code, so a page that never opens the pane loads none). Resolves once it shows; rejects
   * when its file could not be loaded, and a later call tries again.
   */
  load(): Promise<void>
  /**
   * Speak `locale` (a BCP 47 tag; see {@link resolveLocale}) from now on: at once when the pane's
   * text has loaded already, else with the pane. Resolves once it shows, or is on its way with the pane.
   */
  set(locale: string): Promise<void>
}

/** What {@link createLocale} takes. */
export interface LocaleOptions {
  /** The locale the site chose (the `locale` option), if any. */
  locale?: string | undefined
  /** The visitor's languages, best first, for when the site chose none: the browser's `navigator.languages`. */
  languages: readonly string[]
  /** The page's `strings`, checked already: over every language. */
  overrides: Partial<Strings>
}

/**
 * The language of one widget: the site's `locale`, else the visitor's first language the widget
 * speaks, else English. A locale whose language it does not speak falls back as
 * {@link resolveLocale} says, and says so once in development builds.
 *
 * @example
 * const locale = createLocale({ locale: 'fr-CA', languages: navigator.languages, overrides: {} })
 * await locale.load() // the French text is shown: locale.$text.get().strings.send === 'Envoyer'
 */
export function createLocale(options: LocaleOptions): LocaleSwitch {
  const choose = (locale: string | undefined) => {
    const resolved = resolveLocale(locale === undefined ? options.languages : [locale])
    // `fr-CA` as `fr` is not worth a word: French is spoken, Canada's dates are kept.
    if (process.env.NODE_ENV !== 'production' && locale !== undefined && resolved.language === 'en' && !/^en(-|$)/i.test(locale)) {
      warnOnce(`Confab speaks no ${locale}: it shows ${resolved.language} (it speaks ${LANGUAGES.join(', ')})`)
    }
    return resolved
  }
  const wording = ({ language, locale }: Resolved, text: Partial<Strings>): Wording => ({
    language,
    locale,
    dir: RTL.includes(language) ? 'rtl' : 'ltr',
    strings: { ...defaultStrings, ...text, ...options.overrides }
  })
  let wanted = choose(options.locale)
  // Whether the pane has asked for its text: after that, a new language loads at once.
  let started = false
  // English needs no file: shown at once, in the region asked for.
  const $text = atom(wording(wanted.language === 'en' ? wanted : { language: 'en', locale: 'en' }, {}))

  const load = async () => {
    started = true
    const asked = wanted
    const shown = $text.get()
    if (shown.language === asked.language && shown.locale === asked.locale) return
    const text = asked.language === 'en' ? {} : await loadLocale(asked.language)
    // Asked for another meanwhile: that one's load shows it.
    if (asked === wanted) $text.set(wording(asked, text))
  }

  return {
    $text,
    load,
    set(locale) {
      wanted = choose(locale)
      return started ? load() : Promise.resolve()
    }
  }
}
