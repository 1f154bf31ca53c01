import type { Page } from 'playwright-core'

/** Something a screen reader would read out by itself: text that appeared in a live region. */
export interface Heard {
  /** The region: its `data-testid`, or its role. */
  region: string
  politeness: 'polite' | 'assertive'
  text: string
}

/**
 * Start noting, in the page, every text that appears inside a live region of the widget, as the
 * browser would report it to a screen reader: nodes added, or text changed, under the nearest
 * element that says how live it is (`aria-live`, or a role that implies it: log and status are
 * polite, alert assertive; `aria-live="off"` is silence), unless the region is out of the
 * accessibility tree (inert, or not seen). Read what was noted with {@link heard}.
 */
export async function listenLikeAScreenReader(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector('[data-confab]')!.shadowRoot!
    const noted: { region: string; politeness: string; text: string }[] = ((window as unknown as { heard: unknown[] }).heard = [])
    const IMPLIED: Record<string, string> = { log: 'polite', status: 'polite', alert: 'assertive', marquee: 'off', timer: 'off' }
    const regionOf = (node: Node | null) => {
      for (let el = node instanceof Element ? node : node?.parentElement; el; el = el.parentElement) {
        const live = el.getAttribute('aria-live') ?? IMPLIED[el.getAttribute('role') ?? '']
        if (live) return { el, live }
      }
      return undefined
    }
    const note = (node: Node, text: string | null) => {
      const found = regionOf(node)
      if (!found || found.live === 'off' || !text?.trim()) return
      // Out of the accessibility tree (the pane drawn ahead while closed, invisible and inert): unheard.
      if (found.el.closest('[inert]') || !found.el.checkVisibility({ visibilityProperty: true })) return
      noted.push({ region: found.el.getAttribute('data-testid') ?? found.el.getAttribute('role') ?? found.el.className, politeness: found.live, text: text.trim() })
    }
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'characterData') note(record.target, record.target.textContent)
        else record.addedNodes.forEach((node) => note(node, node.textContent))
      }
    }).observe(root, { childList: true, subtree: true, characterData: true })
  })
}

/** What the page noted since {@link listenLikeAScreenReader}. */
export const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: Heard[] }).heard)

/**
 * The live regions Chromium's accessibility tree holds (through the DevTools protocol): each one's
 * role, politeness and whether it is read whole (`atomic`).
 */
export async function liveRegions(page: Page): Promise<{ role: string; live: string; atomic: boolean }[]> {
  const cdp = await page.context().newCDPSession(page)
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value: string }; properties?: { name: string; value: { value: unknown } }[] }[]
  }
  await cdp.detach()
  return nodes.flatMap((node) => {
    const property = (name: string) => node.properties?.find((p) => p.name === name)?.value.value
    const live = property('live') as string | undefined
    return live && live !== 'off' ? [{ role: node.role?.value ?? '', live, atomic: property('atomic') === true }] : []
  })
}
