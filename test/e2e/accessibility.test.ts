import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { heard, listenLikeAScreenReader, liveRegions } from './live.js'
import { messages, send, useBrowserAndServer } from './pages.js'
import { agentSays, conversationOf, openSite } from './site.js'

const env = useBrowserAndServer()

/** The texts the announcer was given, in order (see `listenLikeAScreenReader`). */
const announced = async (page: Page) => (await heard(page)).filter((h) => h.region === 'announcer').map((h) => h.text)

describe('what screen readers hear of new messages, in real Chromium', () => {
  it('reads each message of an agent once, and nothing of the visitor’s own, of history painted on opening or of the thread scrolled back and forth', async () => {
    const context = await env.browser.newContext()
    let page = await openSite(env.browser, env.server, { context, closed: true })
    await listenLikeAScreenReader(page)
    await page.getByTestId('launcher').click()
    await send(page, 'Hello, is anyone there?')
    const id = await conversationOf(env.server)
    await agentSays(env.server, id, 'Hi, Anna here. How can I **help**?')
    await expect.poll(() => heard(page)).toEqual([{ region: 'announcer', politeness: 'polite', text: 'Anna: Hi, Anna here. How can I help?' }])
    for (let i = 1; i <= 30; i++) await agentSays(env.server, id, `Note ${i}: ${'Some detail about the order. '.repeat(6)}`)
    await messages(page, 'agent').filter({ hasText: 'Note 30:' }).waitFor()
    await expect.poll(() => announced(page)).toHaveLength(31)
    expect(new Set(await announced(page)).size).toBe(31)
    // Chromium's accessibility tree agrees: the thread is a log that is not live, the announcer is.
    const regions = await liveRegions(page)
    expect(regions.filter((region) => region.role === 'log')).toEqual([])
    expect(regions).toContainEqual({ role: 'generic', live: 'polite', atomic: false })
    await page.close()

    // Back on the site: the thread is painted from the device and the server, and scrolled.
    page = await openSite(env.browser, env.server, { context, closed: true })
    await listenLikeAScreenReader(page)
    await page.getByTestId('launcher').click()
    await messages(page, 'agent').filter({ hasText: 'Note 30:' }).waitFor()
    const scroll = (to: 'top' | 'bottom') =>
      page.locator('[role="log"]').evaluate(async (log, to) => {
        log.scrollTop = to === 'top' ? 0 : log.scrollHeight
        await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))
      }, to)
    await scroll('top')
    await messages(page, 'agent').filter({ hasText: 'Anna here' }).waitFor()
    await scroll('bottom')
    await messages(page, 'agent').filter({ hasText: 'Note 30:' }).waitFor()
    await agentSays(env.server, id, 'Welcome back')
    await expect.poll(() => heard(page)).toEqual([{ region: 'announcer', politeness: 'polite', text: 'Anna: Welcome back' }])
    await context.close()
  })

  it('reads a message in the tab in front only, though every tab shows it', async () => {
    const context = await env.browser.newContext()
    const front = await openSite(env.browser, env.server, { context })
    await send(front, 'Two tabs open')
    const behind = await openSite(env.browser, env.server, { context })
    await messages(behind).filter({ hasText: 'Two tabs open' }).waitFor()
    // Headless Chromium shows every tab; a browser hides the tabs behind the one in front.
    await behind.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true })
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    for (const page of [front, behind]) await listenLikeAScreenReader(page)
    await agentSays(env.server, await conversationOf(env.server), 'One answer for both tabs')
    for (const page of [front, behind]) await messages(page, 'agent').filter({ hasText: 'One answer for both tabs' }).waitFor()
    await expect.poll(() => announced(front)).toEqual(['Anna: One answer for both tabs'])
    expect(await heard(behind)).toEqual([])
    await context.close()
  })
})
