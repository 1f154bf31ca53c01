import type { Page } from 'playwright-core'

/** How the element with focus inside the widget shows it. */
export interface Ring {
  /** Its computed outline, or its box shadow where it has no outline. */
  style: string
  /** The ring drawn: an outline or a box shadow, not `none`. */
  drawn: boolean
  /** The ring lies wholly inside every box that clips it (scrolled boxes, the pane) and the viewport: `''`, or which side is cut, by whom. */
  clipped: string
}

/**
 * The focus ring of what has focus in the widget, as a person sees it: its computed outline (or box
 * shadow), and whether all of it shows, or a box that clips its content (`overflow` other than
 * `visible`: the thread, the pane) or the viewport cuts it off.
 */
export function ringOf(page: Page): Promise<Ring> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-confab]')!
    const el = host.shadowRoot!.activeElement as HTMLElement | null
    if (!el) return { style: '', drawn: false, clipped: 'nothing has focus' }
    const style = getComputedStyle(el)
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    const shadow = style.boxShadow !== 'none'
    // The outline is drawn outside the border box, `outline-offset` further out (inside when negative).
    const grow = outline ? parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) : 0
    const box = el.getBoundingClientRect()
    const ring = { left: box.left - grow, top: box.top - grow, right: box.right + grow, bottom: box.bottom + grow }
    const cuts: string[] = []
    const check = (who: string, clip: { left: number; top: number; right: number; bottom: number }) => {
      for (const side of ['left', 'top', 'right', 'bottom'] as const) {
        const inside = side === 'left' || side === 'top' ? ring[side] >= clip[side] - 0.5 : ring[side] <= clip[side] + 0.5
        if (!inside) cuts.push(`${side} by ${who}`)
      }
    }
    for (let node: Element | null = el.parentElement ?? (el.getRootNode() as ShadowRoot).host; node && node !== document.documentElement; ) {
      const clips = getComputedStyle(node)
      if (clips.overflowX !== 'visible' || clips.overflowY !== 'visible') {
        const at = node.getBoundingClientRect()
        const left = at.left + node.clientLeft
        const top = at.top + node.clientTop
        check(node.className || node.tagName.toLowerCase(), { left, top, right: left + node.clientWidth, bottom: top + node.clientHeight })
      }
      node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined) ?? null
    }
    check('the viewport', { left: 0, top: 0, right: document.documentElement.clientWidth, bottom: innerHeight })
    return {
      style: outline ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} offset ${style.outlineOffset}` : style.boxShadow,
      drawn: outline || shadow,
      clipped: cuts.join(', ')
    }
  })
}
