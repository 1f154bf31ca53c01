import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { heard, listenLikeAScreenReader, liveRegions } from './live.js'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'
import { agentSays, conversationOf, openSite } from './site.js'

const env = useBrowserAndServer()

describe('accessibility in real Chromium (axe-core)', () => {
  it('finds no violations in the launcher, the thread and the search view', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await send(page, 'Is the pane accessible?')
    expect(await axeViolations(page)).toEqual([])
    await page.getByTestId('search-open').click()
    await page.getByTestId('search-input').fill('pane')
    await page.getByTestId('search-result').first().waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await page.getByTestId('back').click()
    await page.getByTestId('conversation').first().waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('finds no violations with the new messages button shown over older messages', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await send(page, 'Tell me about your beans')
    const { conversations } = await env.server.agent<{ conversations: { id: string; lastMessage?: { text: string } }[] }>('GET', 'conversations')
    const id = conversations.find((c) => c.lastMessage?.text === 'Tell me about your beans')!.id
    const reply = (text: string) => env.server.agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), text })
    for (let i = 1; i <= 6; i++) await reply(`Bean ${i}:\n${'Notes of fruit and chocolate.\n'.repeat(4)}`)
    await page.getByTestId('message').filter({ hasText: 'Bean 6:' }).waitFor()
    // Up to the first message, as a reader does; the list takes note on the next frame.
    await page.locator('[role="log"]').evaluate(async (log) => {
      log.scrollBy({ top: -log.scrollHeight, behavior: 'instant' })
      await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))
    })
    await reply('One more thing about the Yirgacheffe')
    await page.getByTestId('new-messages').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  // The pickers, the image viewer and rich messages have theirs where they are tested:
  // emoji.test.ts, gifs.test.ts, media.test.ts, rich.test.ts and rich-bot.test.ts.
  it('finds no violations in chat mode: closed, open and empty, with rich messages, the End chat question, a failed message with Retry, and offline', async () => {
    const page = await openSite(env.browser, env.server, { mode: 'chat', closed: true })
    expect(await axeViolations(page)).toEqual([])
    await page.getByTestId('launcher').click()
    await page.getByTestId('empty').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await send(page, 'A chat question')
    await agentSays(env.server, await conversationOf(env.server), {
      text: '**Three** plans, see [the details](https://example.com/plans):\n- Basic\n- Pro',
      parts: [
        { type: 'cards', layout: 'carousel', items: [{ title: 'Basic', description: 'For one' }, { title: 'Pro', description: 'For teams' }] },
        { type: 'form', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] }
      ],
      actions: [{ type: 'link', id: 'docs', label: 'Compare', url: 'https://example.com/compare' }],
      replies: [{ type: 'reply', id: 'basic', label: 'Basic' }]
    })
    await page.getByTestId('quick-replies').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.getByTestId('end-chat').click()
    await page.getByTestId('end-chat-confirm').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    // The backend refuses the next message for good: it shows as failed, with Retry.
    await page.route('**/v1/conversations/*/messages', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 400, body: '{}' }) : route.fallback()))
    await page.getByTestId('composer').fill('This one fails')
    await page.getByTestId('composer').press('Enter')
    await page.getByTestId('retry').waitFor()
    expect(await axeViolations(page)).toEqual([])
    // Offline for longer than the status's grace: it says so.
    await page.context().setOffline(true)
    await expect.poll(() => page.getByTestId('status').innerText(), { timeout: 15_000 }).not.toBe('')
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })
})

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
