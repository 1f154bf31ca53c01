/** What the launcher shows; each field is left as it is when missing. */
export interface LauncherState {
  /** Whether the pane is open: the icon turns into a chevron and `aria-expanded` follows. */
  open?: boolean
  /** Hidden by the `hide` command. */
  hidden?: boolean
  /** Its accessible name. */
  label?: string
  /** Unread messages on the badge (none shows no badge). */
  unread?: number
  /** Waiting for the widget's code, after the visitor asked for the pane. */
  busy?: boolean
}

/** The round button in the corner, drawn with plain DOM calls (no preact: the loader draws it). */
export interface Launcher {
  button: HTMLButtonElement
  /** Show `state` (see {@link LauncherState}). */
  set(state: LauncherState): void
}

const SVG = 'http://www.w3.org/2000/svg'
const BUBBLE = 'M6 4h12a2 2 0 012 2v10a2 2 0 01-2 2H8l-4 4V6a2 2 0 012-2z'
const CHEVRON = 'M7 10l5 5 5-5z'

/**
 * Draw the launcher in `root` before `before` (the element the pane renders into): the button with
 * `data-testid="launcher"`, its icon, and the unread badge when there is something unread. Both the
 * script tag's loader and `createWidget` draw it this way; the widget then keeps it up to date.
 *
 * @example
 * const launcher = drawLauncher(root, app, 'Chat with us')
 * launcher.set({ unread: 2, label: 'Chat with us (2 unread)' })
 */
export function drawLauncher(root: ShadowRoot, before: Node | null, label: string): Launcher {
  const doc = root.ownerDocument
  const make = <T extends Element>(element: T, attributes: Record<string, string>, ...children: (Node | string)[]) => {
    for (const name in attributes) element.setAttribute(name, attributes[name]!)
    element.append(...children)
    return element
  }
  const path = make(doc.createElementNS(SVG, 'path'), { d: BUBBLE })
  const svg = make(doc.createElementNS(SVG, 'svg'), { width: '26', height: '26', viewBox: '0 0 24 24', fill: 'currentColor', 'aria-hidden': 'true' }, path)
  const button = make(doc.createElement('button'), { class: 'launcher', 'data-testid': 'launcher', 'aria-expanded': 'false', 'aria-label': label }, svg)
  let badge: Element | undefined
  root.insertBefore(button, before)
  return {
    button,
    set({ open, hidden, label, unread, busy }) {
      if (open !== undefined) {
        make(button, { 'aria-expanded': String(open) })
        make(path, { d: open ? CHEVRON : BUBBLE })
      }
      if (hidden !== undefined) button.hidden = hidden
      if (label !== undefined) make(button, { 'aria-label': label })
      if (busy !== undefined) make(button, { 'aria-busy': String(busy) })
      if (unread !== undefined) {
        badge?.remove()
        badge = unread ? make(doc.createElement('span'), { class: 'badge', 'data-testid': 'badge', 'aria-hidden': 'true' }, unread > 99 ? '99+' : String(unread)) : undefined
        if (badge) button.append(badge)
      }
    }
  }
}
