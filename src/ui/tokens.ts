/**
 * The widget's design tokens: every colour, font, radius and shadow its stylesheets use, with their
 * values in the light and the dark scheme and, where the browser's own choice is not enough, under
 * forced colours (Windows high contrast). Each stylesheet declares the tokens it is the first to
 * need, so the light values of the launcher's few come with the script tag's loader, their other
 * values with the pane's frame in the rest of the widget (the launcher looks the same in both
 * schemes but for its focus ring, and focusing it loads the rest at once), and the pane's tokens
 * with the pane. The contrast test (`test/unit/ui/contrast.test.ts`) reads these same values.
 *
 * A token `name` is read inside the shadow root as `var(--_name)`. A page sets it with
 * `--confab-name` on `[data-confab]` (or the `colors` option), for the dark scheme alone with
 * `--confab-dark-name` (or `darkColors`); values may name other tokens (`var(--_brand)`) and mix
 * them (`color-mix(in srgb,var(--_brand) 55%,#fff)`).
 */

/** A token's values: `[light, dark, forced]`. No dark value: the same in both schemes, and not set apart for the dark one. */
export type TokenValues = readonly [light: string, dark?: string, forced?: string]

/** Tokens by name (`kebab-case`, as in the custom properties). */
export type Tokens = Readonly<Record<string, TokenValues>>

/**
 * The launcher's light values, apart from its others so that the script tag's loader, which draws
 * the launcher on every page, carries these alone (see {@link LAUNCHER_TOKENS}).
 */
export const LAUNCHER_LIGHT = {
  brand: '#2f5bea',
  'on-brand': '#fff',
  focus: 'var(--_brand)',
  shadow: '0 4px 16px #0003'
} as const

/**
 * The launcher's: drawn by the script tag's loader on every page, so only what it shows. Its focus
 * ring falls on the page, whatever that is; the brand's own colour keeps it the colour the site chose.
 */
export const LAUNCHER_TOKENS: Tokens = {
  brand: [LAUNCHER_LIGHT.brand, LAUNCHER_LIGHT.brand, 'ButtonFace'],
  'on-brand': [LAUNCHER_LIGHT['on-brand'], '#fff', 'ButtonText'],
  focus: [LAUNCHER_LIGHT.focus, 'color-mix(in srgb,var(--_brand) 55%,#fff)', 'Highlight'],
  shadow: [LAUNCHER_LIGHT.shadow, '0 4px 16px #000a']
}

/** The pane's frame (what shows as soon as it opens, before the pane's code is there) and the unread badge. */
export const FRAME_TOKENS: Tokens = {
  font: ['system-ui,sans-serif'],
  'font-size': ['14px'],
  error: ['#c62828', '#ff8a80', 'CanvasText'],
  'on-error': ['#fff', '#1c1c1e', 'Canvas'],
  surface: ['#fff', '#1c1c1e', 'Canvas'],
  text: ['#1c1c1e', '#f2f2f7', 'CanvasText'],
  muted: ['#6b6b76', '#a1a1aa', 'CanvasText'],
  radius: ['16px'],
  'shadow-pane': ['0 8px 32px #0003', '0 8px 32px #000c']
}

/** The pane's and what loads after it (search, media, the emoji and GIF pickers). */
export const PANE_TOKENS: Tokens = {
  // Around what a visitor types into and picks from: 3:1 against the surface. Dividers only part
  // what is apart anyway, so they may be faint.
  border: ['#8c8c94', '#7c7c85', 'CanvasText'],
  divider: ['#e5e5ea', '#3a3a3c'],
  accent: ['var(--_brand)', 'color-mix(in srgb,var(--_brand) 55%,#fff)', 'ButtonText'],
  'bubble-visitor': ['var(--_brand)', 'var(--_brand)', 'Canvas'],
  'on-bubble-visitor': ['var(--_on-brand)', 'var(--_on-brand)', 'CanvasText'],
  'bubble-agent': ['#f0f0f3', '#2c2c2e', 'Canvas'],
  'on-bubble-agent': ['var(--_text)', 'var(--_text)', 'CanvasText'],
  'bubble-bot': ['var(--_bubble-agent)', 'var(--_bubble-agent)'],
  'on-bubble-bot': ['var(--_on-bubble-agent)', 'var(--_on-bubble-agent)'],
  // Behind what the pointer is over, and fills that need no contrast of their own.
  subtle: ['#f0f0f3', '#2c2c2e'],
  selected: ['#eef1fd', '#2a3357'],
  success: ['#2e7d32', '#7bd88f', 'CanvasText'],
  mark: ['#ffe27a', '#6b5400', 'Highlight'],
  'on-mark': ['var(--_text)', 'var(--_text)', 'HighlightText'],
  // The message a search result leads to, and the stars given.
  highlight: ['#b07800', '#ffc53d', 'Highlight'],
  star: ['#b26a00', '#ffc53d', 'CanvasText'],
  // Photos show on black in either scheme.
  viewer: ['#111', '#111'],
  'on-viewer': ['#fff', '#fff'],
  scrim: ['#000c', '#000c'],
  'shadow-panel': ['0 4px 16px #0002', '0 4px 16px #0009']
}

/**
 * The light values of `tokens` as custom properties of the widget's host: what the launcher needs
 * on every page, before the rest of the widget is there to say more (see {@link schemeCss}).
 *
 * @example
 * lightCss({ brand: ['#2f5bea', '#2f5bea'] }) // :host{--_brand:var(--confab-brand,#2f5bea);}
 */
export function lightCss(tokens: Readonly<Record<string, string | TokenValues>>): string {
  let css = ''
  for (const name in tokens) css += `--_${name}:var(--confab-${name},${[tokens[name]!].flat()[0]});`
  return `:host{${css}}`
}

/**
 * The other values of `tokens`: dark with `data-theme="dark"` on the host, or with
 * `data-theme="auto"` while the visitor's system asks for dark (live, as they switch), and system
 * colours under forced colours whatever the theme. `--_scheme` says which (`color-scheme`).
 *
 * @example
 * schemeCss({ brand: ['#2f5bea', '#2f5bea', 'ButtonFace'] })
 * // :host([data-theme=dark]){--_scheme:dark;--_brand:var(--confab-dark-brand,var(--confab-brand,#2f5bea));} …
 */
export function schemeCss(tokens: Tokens): string {
  let dark = '--_scheme:dark;'
  let forced = ''
  for (const name in tokens) {
    const [, night, system] = tokens[name]!
    if (night) dark += `--_${name}:var(--confab-dark-${name},var(--confab-${name},${night}));`
    if (system) forced += `--_${name}:${system};`
  }
  // The forced block's second selector outweighs `[data-theme=dark]`'s.
  return `:host([data-theme=dark]){${dark}}@media (prefers-color-scheme:dark){:host([data-theme=auto]){${dark}}}@media (forced-colors:active){:host,:host([data-theme]){${forced}}}`
}

/**
 * How much contrast a pair needs (WCAG 2.2 AA): `'text'` 4.5:1 (1.4.3); `'large'` text (24px, or
 * 18.66px bold) 3:1; `'ui'` 3:1 for what identifies a control, its state or focus (1.4.11).
 */
export type ContrastKind = 'text' | 'large' | 'ui'

/**
 * A foreground token shown on a background token, where: `[foreground, background, kind, where]`.
 * `over` is what a translucent background lies on (default: the surface).
 */
export type ContrastPair = readonly [foreground: string, background: string, kind: ContrastKind, where: string, over?: string]

/**
 * Every foreground and background the stylesheets put together, for the contrast test. A rule that
 * sets both `color` and `background` from tokens must be here (the test checks); pairs by
 * inheritance (text in a bubble, a focus ring on what is around it) are listed by hand.
 */
export const CONTRAST_PAIRS: readonly ContrastPair[] = [
  ['on-brand', 'brand', 'text', 'launcher icon, header, send button, calls to action'],
  ['on-error', 'error', 'text', 'unread badge'],
  ['focus', 'surface', 'ui', 'focus ring in the pane'],
  ['on-brand', 'brand', 'ui', 'focus ring in the header'],
  ['text', 'surface', 'text', 'the pane, its fields'],
  ['muted', 'surface', 'text', 'names, times, notices, counts'],
  ['error', 'surface', 'text', 'a message that failed, a field refused'],
  ['success', 'surface', 'text', 'a form sent'],
  ['border', 'surface', 'ui', 'text fields, unselected stars'],
  ['accent', 'surface', 'text', 'buttons and quick replies, where files are dropped'],
  ['accent', 'surface', 'ui', 'their borders, the selected emoji tab'],
  ['on-bubble-visitor', 'bubble-visitor', 'text', "the visitor's messages and files while they upload"],
  ['on-bubble-visitor', 'bubble-visitor', 'ui', "focus ring in the visitor's messages"],
  ['on-bubble-agent', 'bubble-agent', 'text', "an agent's messages"],
  ['focus', 'bubble-agent', 'ui', "focus ring in an agent's messages"],
  ['on-bubble-bot', 'bubble-bot', 'text', "a bot's messages"],
  ['focus', 'bubble-bot', 'ui', "focus ring in a bot's messages"],
  ['text', 'subtle', 'text', 'a search result under the pointer, the GIF button, tags'],
  ['muted', 'subtle', 'text', 'its time'],
  ['text', 'selected', 'text', 'the selected search result, emoji, suggestion'],
  ['focus', 'selected', 'ui', 'their outline'],
  ['on-mark', 'mark', 'text', 'words found by search'],
  ['highlight', 'surface', 'ui', 'the message a search result opened'],
  ['star', 'surface', 'ui', 'stars given'],
  ['on-viewer', 'viewer', 'text', 'the image viewer'],
  ['on-viewer', 'scrim', 'text', "an animated image's GIF label, on a white image", '#fff']
]
