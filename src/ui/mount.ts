/** Where the widget lives on the page: a host element with an open shadow root. */
export interface Mounted {
  host: HTMLElement
  root: ShadowRoot
  /** The element to render into: the fallback `<style>` stays out of the renderer's way. */
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
  const Sheet = doc.defaultView?.CSSStyleSheet
  if (Sheet?.prototype.replaceSync && 'adoptedStyleSheets' in root) {
    const sheet = new Sheet()
    sheet.replaceSync(css)
    root.adoptedStyleSheets = [sheet]
  } else {
    // Browsers before constructable stylesheets (Safari < 16.4): a <style> inside the shadow root is
    // just as scoped, only parsed once per widget instead of shareable.
    const style = doc.createElement('style')
    style.textContent = css
    root.append(style)
  }
  const app = doc.createElement('div')
  root.append(app)
  target.append(host)
  return { host, root, app }
}

/**
 * How a theme shows on the host element: custom properties, and `data-position="left"` for the left
 * corner. The loader and the widget read it the same way, so the launcher does not move on takeover.
 *
 * @example
 * const { vars, attributes } = hostLook({ brandColor: '#0a7', position: 'left' })
 * mount(document.body, css, vars, attributes)
 */
export function hostLook(theme: { brandColor?: string; position?: 'right' | 'left'; zIndex?: number }): {
  vars: Record<string, string | undefined>
  attributes: Record<string, string>
} {
  const { brandColor, position, zIndex } = theme
  return {
    vars: { '--confab-brand': brandColor, '--confab-z': zIndex === undefined ? undefined : String(zIndex) },
    attributes: position === 'left' ? { 'data-position': 'left' } : {}
  }
}
