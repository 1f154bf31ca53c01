import { existsSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messages, openCustomer, pageErrors, send, useBrowserAndServer } from './pages.js'

// The journal flushes every message to disk: on a RAM disk, seeding a thousand takes a second, not
// half a minute on a busy machine.
const env = useBrowserAndServer({ dataRoot: existsSync('/dev/shm') ? '/dev/shm' : undefined })

/** Below 480 px the pane fills the screen; above, it floats over the page's corner. */
const LAYOUTS = [
  { layout: 'full screen', viewport: { width: 400, height: 700 } },
  { layout: 'floating pane', viewport: { width: 1280, height: 800 } }
]

/** A few lines per answer, so that even 5 messages overflow the pane in either layout. */
const answer = (n: number, word = '') => `msg ${n}: ${word}\n${'One more line of the answer.\n'.repeat(4)}`

/** How the open thread sits in its scroll box, once the browser has laid out and painted it. */
const where = (page: Page) =>
  page.locator('[role="log"]').evaluate(async (log) => {
    await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))
    const box = log.getBoundingClientRect()
    const all = [...log.querySelectorAll('[data-testid="message"]')]
    const shown = all.filter((m) => m.getBoundingClientRect().bottom > box.top + 1 && m.getBoundingClientRect().top < box.bottom - 1)
    const name = (m?: Element) => /msg \d+:/.exec(m?.textContent ?? '')?.[0] ?? m?.textContent ?? ''
    return {
      /** The thread is longer than its box: otherwise "at the bottom" proves nothing. */
      scrolls: log.scrollHeight > log.clientHeight + 100,
      atBottom: log.scrollHeight - log.scrollTop - log.clientHeight < 2,
      newestShown: shown.length > 0 && shown.at(-1) === all.at(-1),
      newest: name(all.at(-1)),
      /** The messages in view. */
      inView: shown.map(name),
      /** The first message in view and how far below the box's top edge it starts. */
      top: name(shown[0]),
      offset: Math.round((shown[0]?.getBoundingClientRect().top ?? 0) - box.top)
    }
  })

/** The thread shows its newest message, `msg {newest}`, at the bottom of its box. */
async function expectNewestAtBottom(page: Page, newest: number) {
  await messages(page).filter({ hasText: `msg ${newest}:` }).waitFor({ state: 'attached' })
  expect(await where(page)).toMatchObject({ scrolls: true, atBottom: true, newestShown: true, newest: `msg ${newest}:` })
}

/**
 * Scroll the thread to the middle of what it holds, as a reader going back does (from the newest
 * message, that is up), and say where it came to rest.
 */
async function scrollToMiddle(page: Page) {
  await page.locator('[role="log"]').evaluate((log) => log.scrollTo({ top: (log.scrollHeight - log.clientHeight) / 2, behavior: 'instant' }))
  const { top, offset } = await where(page)
  return { top, offset }
}

/**
 * The same message first in view, starting where it did: to the pixel, as the view's middle may fall
 * between two (the offset is measured in fractions and rounded, which turns -26.5 either way).
 */
function expectPlace(now: { top: string; offset: number }, place: { top: string; offset: number }) {
  expect(now.top).toBe(place.top)
  expect(Math.abs(now.offset - place.offset)).toBeLessThanOrEqual(1)
}

const openThread = (page: Page, id: string) => page.locator(`[data-conversation-id="${id}"]`).click()

async function reopenPane(page: Page) {
  await page.getByTestId('close').click()
  await page.getByTestId('launcher').click()
  await page.getByTestId('pane').waitFor()
}

/** Open the other thread from the list, then this one again. */
async function switchThreadsAndBack(page: Page, threads: { long: string; short: string }) {
  await page.getByTestId('back').click()
  await openThread(page, threads.short)
  await messages(page).filter({ hasText: 'Another question' }).waitFor()
  await page.getByTestId('back').click()
  await openThread(page, threads.long)
}

describe.each([5, 40, 1000])('a thread of %i messages in real Chromium', (size) => {
  let context: BrowserContext
  const threads = { long: '', short: '' }
  // The number of the newest message, which grows as the tests post more.
  let newest = size

  beforeAll(async () => {
    // Two threads on one device: the long one opened last, so it is the one the pane opens on.
    context = await env.browser.newContext()
    // Fail in seconds rather than at the test's timeout: every step here is quick.
    context.setDefaultTimeout(10_000)
    const page = await openCustomer(env.browser, env.server.url, { context })
    await send(page, 'Another question')
    await page.getByTestId('back').click()
    await page.getByTestId('new-conversation').click()
    await send(page, 'msg 1: Where is my order?')
    await page.getByTestId('back').click()
    const id = (text: string) => page.getByTestId('conversation').filter({ hasText: text }).getAttribute('data-conversation-id')
    threads.long = (await id('Where is my order?'))!
    threads.short = (await id('Another question'))!
    await openThread(page, threads.long)
    await messages(page).filter({ hasText: 'Where is my order?' }).waitFor()
    await page.close()
    // Posting again with the same clientId stores the message once: a connection the server closed
    // as it was reused (ECONNRESET under load) is simply retried.
    const post = (text: string, clientId = crypto.randomUUID()) => {
      const once = () => env.server.agent('POST', `conversations/${threads.long}/messages`, { clientId, text })
      return once().catch(once)
    }
    // In bulk (twenty at a time, in any order), then the two the tests look for, in order.
    const bulk = async (from: number, to: number) => {
      for (let start = from; start < to; start += 20) {
        await Promise.all(Array.from({ length: Math.min(20, to - start) }, (_, i) => post(answer(start + i))))
      }
    }
    const hit = Math.max(2, size - 10)
    await bulk(2, hit)
    await post(answer(hit, 'zucchini'))
    await bulk(hit + 1, size)
    await post(answer(size))
  })
  afterAll(() => context?.close())

  describe.each(LAYOUTS)('$layout', ({ viewport }) => {
    let page: Page

    beforeAll(async () => {
      page = await context.newPage()
      page.on('pageerror', (error) => pageErrors.push(error))
      await page.setViewportSize(viewport)
      await page.goto(env.server.url)
    })
    afterAll(() => page?.close())

    it('opens the thread at its newest message', async () => {
      await page.getByTestId('launcher').click()
      await expectNewestAtBottom(page, newest)
    })

    it('opens it at its newest message again when the pane is reopened', async () => {
      await reopenPane(page)
      await expectNewestAtBottom(page, newest)
    })

    it('opens it at its newest message after switching threads', async () => {
      await switchThreadsAndBack(page, threads)
      await expectNewestAtBottom(page, newest)
    })

    it('opens it at its newest message after a reload painted from the device', async () => {
      await page.reload()
      await page.getByTestId('launcher').click()
      await expectNewestAtBottom(page, newest)
    })

    it('opens it at its newest message after a search jump is closed', async () => {
      await page.getByTestId('search-open').click()
      await page.getByTestId('search-input').fill('zucchini')
      await page.getByTestId('search-result').first().click()
      await page.locator('[data-highlight]').waitFor()
      await reopenPane(page)
      await expectNewestAtBottom(page, newest)
    })

    it('keeps the place the customer scrolled to when the pane is reopened', async () => {
      const place = await scrollToMiddle(page)
      expect(place.top).not.toBe(`msg ${newest}:`)
      await reopenPane(page)
      await messages(page).filter({ hasText: place.top }).waitFor()
      expectPlace(await where(page), place)
    })

    it('keeps the place the customer scrolled to when switching threads and back', async () => {
      const place = await scrollToMiddle(page)
      await switchThreadsAndBack(page, threads)
      await messages(page).filter({ hasText: place.top }).waitFor()
      expectPlace(await where(page), place)
    })

    it('stays in place when a message arrives while the customer reads older ones, and offers the new messages', async () => {
      const place = await scrollToMiddle(page)
      newest++
      await env.server.agent('POST', `conversations/${threads.long}/messages`, { clientId: crypto.randomUUID(), text: answer(newest) })
      // Only the messages near the view are drawn: the new one may not be, the control offers it.
      await page.getByTestId('new-messages').waitFor()
      const now = await where(page)
      expectPlace(now, place)
      expect(now.inView).not.toContain(`msg ${newest}:`)
    })

    it('takes the customer to the newest message from the keyboard with the new messages control', async () => {
      await page.getByTestId('new-messages').press('Enter')
      await expectNewestAtBottom(page, newest)
      expect(await page.getByTestId('new-messages').count()).toBe(0)
    })
  })
})
