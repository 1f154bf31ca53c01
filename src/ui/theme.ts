import { createError } from '../errors/index.js'

/**
 * Which colours the widget shows in:
 * - `'light'`: light surfaces, dark text (the default).
 * - `'dark'`: dark surfaces, light text.
 * - `'auto'`: as the visitor's system asks (`prefers-color-scheme`), switching live when it does.
 */
export type ColorScheme = 'light' | 'dark' | 'auto'

/**
 * Colours of the theme, each any CSS colour, each the custom property `--confab-<kebab-name>` of
 * the host (`onBrand` is `--confab-on-brand`). The defaults pass WCAG AA in both schemes; colours
 * you choose are yours to check (the README's table says which pairs must contrast).
 *
 * @example
 * { brand: '#0a7d4f', onBrand: '#fff', bubbleAgent: '#eef6f1' }
 */
export interface ThemeColors {
  /** The launcher, the header, the send button and calls to action; what the visitor's bubbles and `accent` follow. */
  brand?: string
  /** Text and icons on `brand`. */
  onBrand?: string
  /** Focus rings. Default: `brand` (lightened in the dark scheme). */
  focus?: string
  /** Errors, and the unread badge's background. */
  error?: string
  /** The unread badge's number. */
  onError?: string
  /** The pane's background. */
  surface?: string
  /** Text on `surface`. */
  text?: string
  /** Names, times and notices on `surface`. */
  muted?: string
  /** Around text fields, and stars not given: 3:1 against `surface`. */
  border?: string
  /** Lines that part the header, the thread and the composer. */
  divider?: string
  /** Buttons and quick replies in messages, where files are dropped. Default: `brand` (lightened in the dark scheme). */
  accent?: string
  /** The visitor's bubbles. Default: `brand`. */
  bubbleVisitor?: string
  /** Text in the visitor's bubbles. Default: `onBrand`. */
  onBubbleVisitor?: string
  /** An agent's bubbles. */
  bubbleAgent?: string
  /** Text in an agent's bubbles. Default: `text`. */
  onBubbleAgent?: string
  /** A bot's bubbles. Default: `bubbleAgent`. */
  bubbleBot?: string
  /** Text in a bot's bubbles. Default: `onBubbleAgent`. */
  onBubbleBot?: string
  /** Behind what the pointer is over. */
  subtle?: string
  /** Behind the selected search result, emoji or suggestion. */
  selected?: string
  /** A form sent. */
  success?: string
  /** Behind the words search found. */
  mark?: string
  /** The words search found. */
  onMark?: string
  /** Around the message a search result opened. */
  highlight?: string
  /** Stars given in a rating. */
  star?: string
  /** Behind an image shown large. Default black in both schemes. */
  viewer?: string
  /** Text on `viewer`, and on an animated image's label. */
  onViewer?: string
  /** Behind an animated image's label. */
  scrim?: string
}

const SCHEMES: readonly ColorScheme[] = ['light', 'dark', 'auto']

const shown = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : typeof value)

/** What a theme's options are, as {@link checkTheme} reads them. */
export interface ThemeOptions {
  colorScheme?: ColorScheme
  brandColor?: string
  colors?: ThemeColors
  darkColors?: ThemeColors
}

/**
 * Refuse a theme the widget cannot show, with a `ConfabError` (`'invalid-argument'`) that names the
 * option as the caller wrote it: `call` is how they called (`createWidget(options)`), `prefix` what
 * comes before each option's name (`theme.`), `schemeName` the name of `colorScheme`. A colour is
 * checked with `CSS.supports('color', value)` where there is one (not on a server, where only its
 * type can be).
 *
 * @example
 * checkTheme({ colors: { surface: 'blu' } }, 'createWidget(options)', 'theme.')
 * // throws: createWidget(options): theme.colors.surface must be a CSS colour, not 'blu'
 */
export function checkTheme(theme: ThemeOptions, call: string, prefix: string, schemeName = `${prefix}colorScheme`): void {
  const refuse = (what: string) => {
    throw createError('invalid-argument', `${call}: ${what}`)
  }
  const { colorScheme } = theme
  if (colorScheme !== undefined && !SCHEMES.includes(colorScheme)) refuse(`${schemeName} must be 'light', 'dark' or 'auto', not ${shown(colorScheme)}`)
  const color = (name: string, value: unknown) => {
    if (typeof value !== 'string' || !(globalThis.CSS?.supports?.('color', value) ?? true)) refuse(`${prefix}${name} must be a CSS colour, not ${shown(value)}`)
  }
  if (theme.brandColor !== undefined) color('brandColor', theme.brandColor)
  for (const group of ['colors', 'darkColors'] as const) {
    const colors = theme[group] as Record<string, unknown> | undefined
    if (colors === undefined) continue
    if (typeof colors !== 'object' || colors === null) refuse(`${prefix}${group} must be an object of colours, not ${shown(colors)}`)
    for (const name in colors) color(`${group}.${name}`, colors[name])
  }
}
