import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { messages, send, useBrowserAndServer } from './pages.js'
import { agentSays, conversationOf, focused, openSite } from './site.js'

// The pane at 200 % zoom and 320 CSS px wide, in real Chromium: nothing scrolls sideways, the
// composer and Send stay in view, popovers stay inside the pane; on a phone the pane follows the
// visual viewport, so the on-screen keyboard never covers the composer.

const env = useBrowserAndServer()

/**
 * Two ways a person gets a narrow pane. A phone 320 CSS px wide (WCAG's reflow width). And 200 %
 * browser zoom on a 1280×720 window: zoom halves the CSS pixels of the viewport (640×360 CSS px) and
 * doubles the device pixels of each, which is what a 640×360 viewport at a device scale factor of 2
 * is. CSS `zoom` on the widget would enlarge it without the viewport's media queries and units
 * seeing a smaller screen, as they do under browser zoom, so it is not what is emulated here.
 */
const SCREENS: Record<string, BrowserContextOptions> = {
  'a phone 320 CSS px wide': { viewport: { width: 320, height: 568 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  '200 % zoom (1280×720 at 2×)': { viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 }
}

/** What a person can use of the pane right now: what scrolls sideways, what is hidden or cut off. */
function layout(page: Page) {
  return page.evaluate(async () => {
    const root = document.querySelector('[data-confab]')!.shadowRoot!
    const pane = root.querySelector<HTMLElement>('.pane')!
    // Once it has slid in.
    await Promise.all(pane.getAnimations().map((animation) => animation.finished))
    const box = pane.getBoundingClientRect()
    const inside = (el: Element | null, within: DOMRect) => {
      const r = el?.getBoundingClientRect()
      return !!r && r.width > 0 && r.left >= within.left - 0.5 && r.top >= within.top - 0.5 && r.right <= within.right + 0.5 && r.bottom <= within.bottom + 0.5
    }
    /** In the pane, in the viewport, and what a tap on its middle reaches. */
    const usable = (selector: string) => {
      const el = root.querySelector(selector)
      if (!el || !inside(el, box) || !inside(el, new DOMRect(0, 0, innerWidth, innerHeight))) return false
      const r = el.getBoundingClientRect()
      const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      return !!hit && (hit === el || el.contains(hit))
    }
    const sideways = (el: HTMLElement | null) => (el && el.offsetParent !== null ? el.scrollWidth - el.clientWidth : 0)
    const popover = root.querySelector('.picker,.gifs')
    return {
      pageSideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      paneSideways: sideways(pane),
      threadSideways: sideways(root.querySelector('.log')),
      paneInView: inside(pane, new DOMRect(0, 0, innerWidth, innerHeight)),
      close: usable('[data-testid="close"]'),
      composer: usable('textarea'),
      send: usable('.send'),
      popoverInPane: popover ? inside(popover, box) : null
    }
  })
}

/** All of it usable: what `layout` says of a pane that needs no sideways scrolling and hides nothing. */
const USABLE = { pageSideways: 0, paneSideways: 0, threadSideways: 0, paneInView: true, close: true, composer: true, send: true }

/** A chat with what takes the most width: a long link, a form, a carousel of cards, quick replies. */
async function wideChat(page: Page) {
  await send(page, 'Hello from a narrow screen')
  await agentSays(env.server, await conversationOf(env.server), {
    text: 'Here: https://example.com/a/very/long/address/that/has/no/place/to/break/at/all/whatsoever and a `long_identifier_with_no_spaces_at_all`',
    parts: [
      { type: 'form', submitLabel: 'Send my details', fields: [{ name: 'email', label: 'Email address', type: 'email', required: true }] },
      {
        type: 'cards',
        layout: 'carousel',
        items: [
          { title: 'Espresso', description: 'Dark and sweet' },
          { title: 'Filter', description: 'Bright and fruity' },
          { title: 'Decaf', description: 'All the taste' }
        ]
      }
    ],
    replies: [
      { type: 'reply', id: 'a', label: 'A rather long quick reply label' },
      { type: 'reply', id: 'b', label: 'Another one' }
    ]
  })
  await messages(page, 'agent').waitFor()
}

for (const [screen, options] of Object.entries(SCREENS)) {
  describe(`the pane on ${screen}`, () => {
    it('needs no sideways scrolling and keeps the composer and Send in view, in every state', async () => {
      const context = await env.browser.newContext(options)
      const page = await openSite(env.browser, env.server, { context, mode: 'chat' })
      expect(await layout(page)).toMatchObject(USABLE)
      await wideChat(page)
      expect(await layout(page)).toMatchObject(USABLE)

      // Popovers above the composer: inside the pane, the composer still usable below them. In a
      // short pane they may cover the header: Escape closes them first.
      const { close: _, ...belowPopover } = USABLE
      await page.getByTestId('emoji-open').click()
      await page.getByTestId('emoji-grid').first().waitFor()
      expect(await layout(page)).toMatchObject({ ...belowPopover, popoverInPane: true })
      await page.keyboard.press('Escape')
      await page.getByTestId('gif-open').click()
      await page.getByTestId('gif').first().waitFor()
      expect(await layout(page)).toMatchObject({ ...belowPopover, popoverInPane: true })
      await page.keyboard.press('Escape')

      await page.getByTestId('end-chat').click()
      await page.getByTestId('end-chat-cancel').waitFor()
      expect(await layout(page)).toMatchObject(USABLE)
      await page.keyboard.press('Escape')

      // Search takes the thread's place; its field and results fit too.
      await page.getByTestId('search-open').click()
      await page.getByTestId('search-input').fill('narrow')
      await page.getByTestId('search-result').first().waitFor()
      expect(await layout(page)).toMatchObject({ pageSideways: 0, paneSideways: 0, paneInView: true, close: true })
      await context.close()
    })
  })
}

describe('the pane covering a phone’s screen', () => {
  it('is modal: Tab and Shift+Tab go round its controls, never to the page hidden behind it', async () => {
    const context = await env.browser.newContext(SCREENS['a phone 320 CSS px wide'])
    const page = await openSite(env.browser, env.server, { context, mode: 'chat' })
    await send(page, 'Hello from a phone')
    expect(await page.getByTestId('pane').getAttribute('aria-modal')).toBe('true')
    await page.getByTestId('send').focus()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('end-chat')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe('send')
    await context.close()
  })
})

describe('the pane on a phone, as the on-screen keyboard shows', () => {
  /** Make the visual viewport what the keyboard leaves, as Safari does (Chrome too, without `interactive-widget=resizes-content`). */
  const keyboard = (page: Page, height: number, offsetTop = 0) =>
    page.evaluate(
      ([height, offsetTop]) => {
        const viewport = window.visualViewport!
        Object.defineProperty(viewport, 'height', { configurable: true, get: () => height })
        Object.defineProperty(viewport, 'offsetTop', { configurable: true, get: () => offsetTop })
        viewport.dispatchEvent(new Event('resize'))
        viewport.dispatchEvent(new Event('scroll'))
      },
      [height, offsetTop]
    )
  const paneAndComposer = (page: Page) =>
    page.evaluate(async () => {
      const root = document.querySelector('[data-confab]')!.shadowRoot!
      // Once it has slid in.
      await Promise.all(root.querySelector('.pane')!.getAnimations().map((animation) => animation.finished))
      const rect = (selector: string) => {
        const { top, bottom } = root.querySelector(selector)!.getBoundingClientRect()
        return { top: Math.round(top), bottom: Math.round(bottom) }
      }
      return { pane: rect('.pane'), composer: rect('textarea'), send: rect('.send') }
    })

  it('follows the visual viewport, so the composer stays above the keyboard', async () => {
    const context = await env.browser.newContext(SCREENS['a phone 320 CSS px wide'])
    const page = await openSite(env.browser, env.server, { context })
    expect((await paneAndComposer(page)).pane).toEqual({ top: 0, bottom: 568 })
    // The keyboard takes the lower 268 px; then Safari scrolls the visual viewport 40 px down.
    await keyboard(page, 300)
    const typing = await paneAndComposer(page)
    expect(typing.pane).toEqual({ top: 0, bottom: 300 })
    expect(typing.composer.bottom).toBeLessThanOrEqual(300)
    expect(typing.send.bottom).toBeLessThanOrEqual(300)
    await keyboard(page, 300, 40)
    expect((await paneAndComposer(page)).pane).toEqual({ top: 40, bottom: 340 })
    // The keyboard goes away.
    await keyboard(page, 568)
    expect((await paneAndComposer(page)).pane).toEqual({ top: 0, bottom: 568 })
    await context.close()
  })

  it('stays as laid out while the visitor pinch-zooms into it', async () => {
    const context = await env.browser.newContext(SCREENS['a phone 320 CSS px wide'])
    const page = await openSite(env.browser, env.server, { context })
    const cdp = await context.newCDPSession(page)
    // What a pinch does: the page scale, which the visual viewport reports.
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 })
    await expect.poll(() => page.evaluate(() => window.visualViewport!.scale)).toBeGreaterThan(1.5)
    // However the browser reports it, the pane hears of it: the visual viewport is 284 px high now.
    await page.evaluate(() => window.visualViewport!.dispatchEvent(new Event('resize')))
    expect(await page.evaluate(() => Math.round(window.visualViewport!.height))).toBe(284)
    expect((await paneAndComposer(page)).pane).toEqual({ top: 0, bottom: 568 })
    await context.close()
  })
})
