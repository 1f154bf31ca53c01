import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { messages, openCustomer, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

/** The `data-testid` of what has focus inside the widget's shadow root. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('data-testid'))

/** Whether every preview shown in the picker has loaded and decoded, with the size the index gave. */
const previewsDecoded = (page: Page) =>
  page.getByTestId('gif').locator('img').evaluateAll((images) =>
    images.map((image) => {
      const img = image as HTMLImageElement
      return img.complete && img.naturalWidth === 120 && img.naturalHeight === 80
    })
  )

describe('GIFs in real Chromium, from the reference server’s own provider', () => {
  it('finds “thanks”, sends it by keyboard, and it shows in the thread and reaches the server as an image part', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await page.getByTestId('gif-open').click()
    await page.getByTestId('gif-search').waitFor()
    expect(await focused(page)).toBe('gif-search')
    // Before anything is typed: every GIF the server ships, decoded.
    await expect.poll(() => page.getByTestId('gif').count()).toBe(10)
    await expect.poll(() => previewsDecoded(page)).toEqual(Array(10).fill(true))
    expect(await axeViolations(page)).toEqual([])

    await page.keyboard.type('thanks')
    await expect.poll(() => page.getByTestId('gif').evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.id))).toEqual(['thanks'])
    expect(await page.getByTestId('gif').locator('img').getAttribute('alt')).toBe('Thanks with a beating heart')
    await page.keyboard.press('ArrowDown')
    expect(await focused(page)).toBe('gif')
    await page.keyboard.press('Enter')

    // Shown in the thread, delivered, the keys back in the message field.
    const sent = messages(page, 'visitor').filter({ hasText: 'GIF: Thanks with a beating heart' })
    await sent.and(page.locator('[data-status="sent"]')).waitFor()
    const image = sent.locator('img')
    expect(await image.getAttribute('alt')).toBe('Thanks with a beating heart')
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBe(120)
    expect(await page.getByTestId('gifs').count()).toBe(0)
    expect(await focused(page)).toBe('composer')

    const { conversations } = await env.server.agent<{ conversations: { id: string }[] }>('GET', 'conversations')
    const { messages: stored } = await env.server.agent<{ messages: { text: string; parts?: unknown[] }[] }>(
      'GET',
      `conversations/${conversations[0]!.id}/messages`
    )
    expect(stored.at(-1)).toMatchObject({
      text: 'GIF: Thanks with a beating heart',
      parts: [{ type: 'image', url: `${env.server.url}/gifs/thanks.gif`, width: 120, height: 80, alt: 'Thanks with a beating heart', mediaType: 'image/gif' }]
    })
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('closes on Escape with focus back on the GIF button and the pane still open', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await page.getByTestId('gif-open').click()
    await page.getByTestId('gif-search').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('gifs').count()).toBe(0)
    expect(await focused(page)).toBe('gif-open')
    expect(await page.getByTestId('pane').count()).toBe(1)
    await page.context().close()
  })

  it('shows still previews to a visitor who prefers reduced motion', async () => {
    const context = await env.browser.newContext({ reducedMotion: 'reduce' })
    const page = await openCustomer(env.browser, env.server.url, { context })
    await page.getByTestId('gif-open').click()
    await expect.poll(() => page.getByTestId('gif').count()).toBe(10)
    const sources = await page.getByTestId('gif').locator('img').evaluateAll((images) => images.map((img) => new URL((img as HTMLImageElement).src).pathname))
    expect(sources.every((path) => /^\/gifs\/[a-z]+-still\.gif$/.test(path))).toBe(true)
    await expect.poll(() => previewsDecoded(page)).toEqual(Array(10).fill(true))
    await context.close()
  })
})
