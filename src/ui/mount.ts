import type { ThemeColors, ThemeOptions } from './theme.js'

/** Where the widget lives on the page: a host element with an open shadow root. */
export interface Mounted {
  host: HTMLElement
  root: ShadowRoot
  /** The element the widget renders into. */
  app: HTMLElement
}

/**
 * Append `<div data-confab>` to `target`, attach an open shadow root and give it `css`. The page's
 * styles cannot reach inside and ours cannot leak out. `vars` become custom properties on the host,
 * the only inline styles the widget sets; `attributes` are set on the host as they are.
 */
export function mount(
  target: HTMLElement,
  css: string,
  vars: Record<string, string | undefined>,
  attributes: Record<string, string> = {}
): Mounted {
  const doc = target.ownerDocument
  const host = doc.createElement('div')
  host.setAttribute('data-confab', '')
  for (const [name, value] of Object.entries(attributes)) host.setAttribute(name, value)
  for (const [name, value] of Object.entries(vars)) if (value) host.style.setProperty(name, value)
  const root = host.attachShadow({ mode: 'open' })
  // A constructed sheet can only be adopted by a document of the realm that made it, so take the
  // constructor from the target's window, not from ours (they differ when mounting into an iframe).
  // Every browser Confab supports has them (README, Browser support), and a page's CSP `style-src`
  // does not apply to them as it would to a <style>.
  const sheet = new doc.defaultView!.CSSStyleSheet()
  sheet.replaceSync(css)
  root.adoptedStyleSheets = [sheet]
  const app = doc.createElement('div')
  root.append(app)
  target.append(host)
  return { host, root, app }
}

/**
 * How a theme shows on the host element: custom properties (`brandColor`, `colors` as
 * `--confab-<name>`, `darkColors` as `--confab-dark-<name>`, `zIndex`), `data-position="left"` for
 * the start corner and `data-theme` for the colour scheme. The loader and the widget read it the same
 * way, so the launcher does not move or change colour on takeover.
 *
 * @example
 * const { vars, attributes } = hostLook({ brandColor: '#0a7', position: 'left', colorScheme: 'auto' })
 * mount(document.body, css, vars, attributes)
 */
export function hostLook(theme: ThemeOptions & { position?: 'right' | 'left'; zIndex?: number }): {
  vars: Record<string, string | undefined>
  attributes: Record<string, string>
} {
  const { brandColor, position, zIndex, colorScheme } = theme
  const vars: Record<string, string | undefined> = { '--confab-brand': brandColor, '--confab-z': zIndex === undefined ? undefined : String(zIndex) }
  const put = (colors: ThemeColors = {}, prefix: string) => {
    for (const name in colors) vars[prefix + name.replace(/[A-Z]/g, (upper) => `-${upper.toLowerCase()}`)] = colors[name as keyof ThemeColors]
  }
  put(theme.colors, '--confab-')
  put(theme.darkColors, '--confab-dark-')
  const attributes: Record<string, string> = colorScheme ? { 'data-theme': colorScheme } : {}
  if (position === 'left') attributes['data-position'] = 'left'
  return { vars, attributes }
}
