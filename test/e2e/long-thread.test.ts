import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser.js'
import { servePage } from './page-server.js'

// Long threads in real Chromium, through the built widget (run `npm run build` first): only the
// messages near the view are in the DOM, whatever the thread's length, and the thread reads, pages,
// jumps, scrolls from the keyboard and takes bursts as a thread that holds every message would.


let server: Awaited<ReturnType<typeof servePage>>
let url: string
let browser: Browser
const pageErrors: Error[] = []

beforeAll(async () => {
  server = await servePage('thread-page.js', 'Long thread')
  url = server.url
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  server?.close()
  expect(pageErrors).toEqual([])
})

/** The pane open on a thread of `size` answers (see `thread-page.js`), its newest message drawn. */
async function open(size: number, loaded: 'all' | 'latest'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(url)
  await page.evaluate(([n, options]) => (window as unknown as { thread(n: number, o: unknown): Promise<void> }).thread(n, options), [size, { loaded }] as const)
  await page.getByTestId('launcher').click()
  await page.locator('[data-testid="message"]').filter({ hasText: `Message #${size - 1}` }).waitFor()
  return page
}

/** The numbers of the messages drawn, in order (the visitor's `Hello` has none). */
const drawn = (page: Page) =>
  page.locator('[data-testid="message"] .bubble').evaluateAll((bubbles) => bubbles.map((b) => /#(\d+)/.exec(b.textContent ?? '')?.[1]).filter(Boolean).map(Number))

/** The log as it is once painted: its scroll, and the messages in view with where the first starts. */
const log = (page: Page) =>
  page.locator('[role="log"]').evaluate(async (el) => {
    await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))
    const box = el.getBoundingClientRect()
    const shown = [...el.querySelectorAll<HTMLElement>('[data-testid="message"]')].filter((m) => {
      const { top, bottom } = m.getBoundingClientRect()
      return bottom > box.top + 1 && top < box.bottom - 1
    })
    return {
      top: el.scrollTop,
      height: el.clientHeight,
      fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight,
      inView: shown.map((m) => m.querySelector('.bubble')!.textContent!.split('\n')[0]!),
      /** Where each message in view starts, below the log's top edge. */
      offsets: Object.fromEntries(shown.map((m) => [m.querySelector('.bubble')!.textContent!.split('\n')[0]!, m.getBoundingClientRect().top - box.top]))
    }
  })

/** Wait until the log has stopped moving (keyboard scrolling may be animated). */
async function settled(page: Page) {
  let last = await log(page)
  for (;;) {
    const now = await log(page)
    if (now.top === last.top) return now
    last = now
  }
}

describe('a thread of 10,000 messages in real Chromium', () => {
  let page: Page
  beforeAll(async () => {
    page = await open(10_000, 'all')
  })
  afterAll(() => page?.close())

  it('holds about a hundred message elements, and shows the newest at the bottom', async () => {
    expect(await page.locator('[data-testid="message"]').count()).toBeLessThanOrEqual(100)
    expect(await page.locator('[role="log"] *').count()).toBeLessThan(1_500)
    const { fromBottom, inView } = await log(page)
    expect(fromBottom).toBeLessThan(2)
    expect(inView.at(-1)).toBe('Message #9999')
  })

  it('jumps to a search hit 9,994 messages up: draws it, marks it and centres it', async () => {
    await page.getByTestId('search-open').click()
    await page.getByTestId('search-input').fill('zucchini')
    await page.getByTestId('search-result').first().click()
    const hit = page.locator('[data-testid="message"][data-highlight]')
    await hit.waitFor()
    expect(await hit.textContent()).toContain('Message #5: the zucchini bread recipe')
    const { top, height } = await page.locator('[role="log"]').evaluate((el) => el.getBoundingClientRect())
    const box = (await hit.boundingBox())!
    expect(Math.abs(box.y + box.height / 2 - (top + height / 2))).toBeLessThan(2)
    expect(await page.locator('[data-testid="message"]').count()).toBeLessThanOrEqual(100)
  })
})

describe('scrolling up a thread whose older pages load as they are reached', () => {
  it('keeps the message the visitor reads where it was as each page comes in above it', async () => {
    const page = await open(300, 'latest')
    const stored = () => page.evaluate(() => (window as unknown as { stored(): number[] }).stored().length)
    for (let pages = 0; pages < 3; pages++) {
      const before = await stored()
      // Up to the top: what the visitor reads there while the older page is on its way.
      await page.locator('[role="log"]').evaluate((el) => el.scrollTo({ top: 0, behavior: 'instant' }))
      const reading = await log(page)
      expect(await stored()).toBe(before)
      await expect.poll(stored).toBeGreaterThan(before)
      const after = await log(page)
      expect(after.top).toBeGreaterThan(0)
      // The older page is above: the messages read are where they were (the newest of the page may peek in).
      for (const text of reading.inView) expect(Math.abs(after.offsets[text]! - reading.offsets[text]!)).toBeLessThan(1)
    }
    await page.close()
  })
})

describe('the keyboard in a thread of 2,000 messages', () => {
  it('scrolls it with Page Up, Page Down, Home and End once the log has the focus', async () => {
    const page = await open(2_000, 'all')
    await page.locator('[role="log"]').focus()
    const bottom = await settled(page)
    await page.keyboard.press('PageUp')
    const up = await settled(page)
    expect(bottom.top - up.top).toBeGreaterThan(bottom.height / 2)
    await page.keyboard.press('PageDown')
    expect((await settled(page)).top).toBeGreaterThan(up.top)
    await page.keyboard.press('Home')
    await expect.poll(async () => (await settled(page)).inView[0]).toBe('Hello')
    expect((await log(page)).top).toBe(0)
    await page.keyboard.press('End')
    await expect.poll(async () => (await settled(page)).inView.at(-1)).toBe('Message #1999')
    expect((await log(page)).fromBottom).toBeLessThan(2)
    expect(await page.locator('[data-testid="message"]').count()).toBeLessThanOrEqual(100)
    await page.close()
  })
})

describe('a burst of 1,000 messages in one second into an open thread', () => {
  it('shows every one of them, in order', async () => {
    const page = await open(100, 'all')
    await page.evaluate(() => (window as unknown as { burst(from: number, count: number, rate: number): Promise<void> }).burst(100, 1_000, 1_000))
    await page.locator('[data-testid="message"]').filter({ hasText: 'Message #1099' }).waitFor()
    const stored = await page.evaluate(() => (window as unknown as { stored(): number[] }).stored())
    expect(stored).toEqual(Array.from({ length: 1_100 }, (_, i) => i))
    // Up through the burst a view at a time: every message drawn on the way, each view in order.
    const seen = new Set<number>()
    for (let i = 0; i < 500 && !seen.has(100); i++) {
      const numbers = await drawn(page)
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
      numbers.forEach((n) => seen.add(n))
      await page.locator('[role="log"]').evaluate((el) => el.scrollBy({ top: -el.clientHeight, behavior: 'instant' }))
      await log(page)
    }
    expect([...seen].filter((n) => n >= 100).sort((a, b) => a - b)).toEqual(Array.from({ length: 1_000 }, (_, i) => 100 + i))
    await page.close()
  })
})
