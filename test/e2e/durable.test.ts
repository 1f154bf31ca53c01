import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { conversationOf, handOver, serverMessages, sleep, underLoad, visitorIdOf, watchConnections } from './chaos-helpers.js'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

/** Commit the page's outbox writes `ms` late from now on (see `underLoad`). */

const delayOutbox = (page: Page, ms: number) => page.evaluate((delay) => void ((window as unknown as { confabOutboxDelay: number }).confabOutboxDelay = delay), ms)

/** Two tabs of one visitor with slow outbox commits; `leader` holds the connection, `follower` does not. */
async function twoTabs(first: string) {
  const context = await env.browser.newContext()
  await underLoad(context, { cpu: 1, outboxDelayMs: 0 })
  const connections = watchConnections(context)
  const one = await openCustomer(env.browser, env.server.url, { context })
  await send(one, first)
  const conversationId = await conversationOf(env.server, await visitorIdOf(one))
  const two = await openCustomer(env.browser, env.server.url, { context })
  await messages(two).filter({ hasText: first }).waitFor()
  await expect.poll(() => connections.holders().length, { timeout: 5000 }).toBe(1)
  const [leader] = connections.holders()
  return { context, conversationId, leader: leader!, follower: leader === one ? two : one }
}

/** How many times the server holds `text` in the conversation, once it holds it (or after 15 s). */
async function storedCount(conversationId: string, text: string): Promise<number> {
  for (const deadline = Date.now() + 15_000; ; await sleep(200)) {
    const count = (await serverMessages(env.server, conversationId)).filter((m) => m.text === text).length
    if (count > 0 || Date.now() > deadline) return count
  }
}

describe('a message handed to the widget survives its tab at once, in real Chromium', () => {
  it('is sent by the other tab when the leading tab closes before its outbox write commits', async () => {
    const { context, conversationId, leader } = await twoTabs('Two tabs, the leader closes')
    await delayOutbox(leader, 1500)
    await handOver(leader, 'Handed to the leader as it closes')
    await leader.close()
    expect(await storedCount(conversationId, 'Handed to the leader as it closes')).toBe(1)
    await context.close()
  })

  it('is sent by the leader when a tab closes before its outbox write commits', async () => {
    const { context, conversationId, leader, follower } = await twoTabs('Two tabs, the other closes')
    await delayOutbox(follower, 1500)
    await handOver(follower, 'Handed to a tab as it closes')
    await follower.close()
    expect(await storedCount(conversationId, 'Handed to a tab as it closes')).toBe(1)
    await expect.poll(() => messages(leader).filter({ hasText: 'Handed to a tab as it closes' }).count(), { timeout: 5000 }).toBe(1)
    await context.close()
  })

  it('is sent by the other tab when the leading tab crashes before its outbox write commits', async () => {
    const { context, conversationId, leader } = await twoTabs('Two tabs, the leader crashes')
    await delayOutbox(leader, 1500)
    await handOver(leader, 'Handed to the leader as it crashes')
    const cdp = await context.newCDPSession(leader)
    const crashed = new Promise((resolve) => leader.once('crash', resolve))
    // The renderer dies before it can answer, so the command itself never settles.
    void cdp.send('Page.crash').catch(() => undefined)
    await crashed
    expect(await storedCount(conversationId, 'Handed to the leader as it crashes')).toBe(1)
    await context.close()
  })

  it('is sent by the next page when the only tab reloads before its outbox write commits', async () => {
    const context = await env.browser.newContext()
    await underLoad(context, { cpu: 1, outboxDelayMs: 0 })
    const page = await openCustomer(env.browser, env.server.url, { context })
    await send(page, 'One tab, it reloads')
    const conversationId = await conversationOf(env.server, await visitorIdOf(page))
    await delayOutbox(page, 1500)
    await handOver(page, 'Handed over as the page reloads')
    await page.reload()
    await page.getByTestId('launcher').click()
    expect(await storedCount(conversationId, 'Handed over as the page reloads')).toBe(1)
    await expect.poll(() => messages(page).filter({ hasText: 'Handed over as the page reloads' }).and(page.locator('[data-status="sent"]')).count(), { timeout: 5000 }).toBe(1)
    await context.close()
  })
})
