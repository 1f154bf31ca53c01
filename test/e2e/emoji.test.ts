import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { messages, openCustomer, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

/** The paths of the emoji files the page asks the server for, in order. */
function emojiRequests(page: Page) {
  const paths: string[] = []
  page.on('request', (request) => {
    const { pathname } = new URL(request.url())
    if (pathname.startsWith('/confab-emoji')) paths.push(pathname)
  })
  return paths
}

/** The widget's focused element's test id. */
const focused = (page: Page) => page.evaluate(() => document.querySelector('[data-confab]')!.shadowRoot!.activeElement?.getAttribute('data-testid') ?? null)

/**
 * Milliseconds from a click on what `click` selects in the widget to the first frame painted with
 * what `shown` selects, measured in the page.
 */
const timeClick = (page: Page, click: string, shown: string) =>
  page.evaluate(
    async ({ click, shown }) => {
      const root = document.querySelector('[data-confab]')!.shadowRoot!
      const start = performance.now()
      root.querySelector<HTMLElement>(click)!.click()
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
      while (!root.querySelector(shown)) await frame()
      // The frame that shows it has been painted once the next one starts.
      await frame()
      return performance.now() - start
    },
    { click, shown }
  )
const OPEN = '[data-testid="emoji-open"]'
const CELLS = '[data-testid="emoji-picker"] [role="gridcell"]'

const report = (metric: string, value: number) => process.stdout.write(`${JSON.stringify({ metric, value: Math.round(value * 10) / 10, unit: 'ms' })}\n`)

describe('the emoji picker in real Chromium', () => {
  it('loads its code and data from beside the widget on first use only, and puts the emoji picked by keyboard at the caret', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    const requested = emojiRequests(page)
    const composer = page.getByTestId('composer')
    await composer.fill('Hello world')
    await composer.evaluate((field: HTMLTextAreaElement) => field.setSelectionRange(5, 5))
    expect(requested).toEqual([])

    const data = page.waitForResponse(`${env.server.url}/confab-emoji.json`)
    await page.getByTestId('emoji-open').click()
    await page.getByTestId('emoji-picker').waitFor()
    expect((await data).headers()['content-type']).toMatch(/^application\/json/)
    expect([...requested].sort()).toEqual(['/confab-emoji-picker.js', '/confab-emoji.json'])
    expect(await focused(page)).toBe('emoji-search')

    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-confab]')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).toBe(
      'grinning face with big eyes'
    )
    await page.keyboard.press('Enter')
    await page.getByTestId('emoji-picker').waitFor({ state: 'detached' })
    expect(await composer.inputValue()).toBe('Hello😃 world')
    expect(await composer.evaluate((field: HTMLTextAreaElement) => field.selectionStart)).toBe(7)
    expect(await focused(page)).toBe('composer')
    // Put in as typing would: undo takes it back.
    await page.keyboard.press('Control+z')
    expect(await composer.inputValue()).toBe('Hello world')

    await page.getByTestId('emoji-open').click()
    await page.getByRole('grid', { name: 'Recently used' }).waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('emoji-picker').waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('emoji-open')
    expect(await page.getByTestId('pane').count()).toBe(1)
    expect(requested).toHaveLength(2)
    await page.context().close()
  })

  it('finds no accessibility violations with the picker, its search results, or the shortcode suggestions shown', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await page.getByTestId('emoji-open').click()
    await page.getByTestId('emoji-picker').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.type('heart')
    await page.getByRole('grid', { name: 'Emoji found' }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Enter')
    await page.getByTestId('emoji-open').click()
    await page.getByRole('grid', { name: 'Recently used' }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await page.getByTestId('composer').click()
    await page.keyboard.type(' :smi')
    await page.getByTestId('emoji-suggestions').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('completes a shortcode as it is typed, and a message of emoji only shows large', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await page.getByTestId('composer').click()
    await page.keyboard.type(':tad')
    await page.getByTestId('emoji-suggestions').waitFor()
    await page.keyboard.press('Enter')
    await page.keyboard.type(':+1:')
    await expect.poll(() => page.getByTestId('composer').inputValue()).toBe('🎉👍️')
    await page.keyboard.press('Enter')
    const sent = messages(page, 'visitor').filter({ hasText: '🎉' })
    await sent.and(page.locator('[data-status="sent"]')).waitFor()
    const bubble = sent.locator('.bubble')
    expect(await bubble.getAttribute('class')).toBe('bubble jumbo')
    const style = await bubble.evaluate((element) => ({ size: getComputedStyle(element).fontSize, background: getComputedStyle(element).backgroundColor }))
    expect(style).toEqual({ size: '40px', background: 'rgba(0, 0, 0, 0)' })
    await page.context().close()
  })

  it('opens quickly, drawing one category at a time: the first time with its code and data, and again from memory', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    const first = await timeClick(page, OPEN, CELLS)
    await page.keyboard.press('Escape')
    await page.getByTestId('emoji-picker').waitFor({ state: 'detached' })
    const again = await timeClick(page, OPEN, CELLS)
    // The largest category: people, about 390 emoji.
    const switched = await timeClick(page, '[role="tab"][aria-label="People & body"]', '[role="grid"][aria-label="People & body"]')
    report('emoji.open.first.ms', first)
    report('emoji.open.ms', again)
    report('emoji.category.people.ms', switched)
    // What keeps it quick: a few hundred cells, never the 1,900 emoji.
    expect(await page.locator('[role="gridcell"]').count()).toBeLessThan(500)
    await page.context().close()
  })
})
