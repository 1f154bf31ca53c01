import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { confabDatabases, messages, openCustomer, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

/** Reply as an agent to the newest conversation that contains `visitorText`. */
async function agentReply(visitorText: string, reply: string) {
  const { conversations } = await env.server.agent<{ conversations: { id: string; lastMessage?: { text: string } }[] }>(
    'GET',
    'conversations'
  )
  const target = conversations.find((c) => c.lastMessage?.text === visitorText)
  if (!target) throw new Error(`no conversation ends with "${visitorText}"`)
  await env.server.agent('POST', `conversations/${target.id}/messages`, { clientId: crypto.randomUUID(), text: reply })
  return target.id
}

/** Sign in on the demo page the way a site does: its backend signs a token, the page identifies. */
function signIn(page: Page, user: 'alice' | 'bob'): Promise<string> {
  return page.evaluate(async (name) => {
    const identity = await (await fetch(`/demo/identity?user=${name}`)).json()
    await (window as unknown as { Confab: (...args: unknown[]) => Promise<void> }).Confab('identify', identity)
    return identity.token as string
  }, user)
}

describe('messaging history in real Chromium', () => {
  it('shows the thread after a reload with the backend unreachable', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await send(page, 'Is order 1042 on its way?')
    await agentReply('Is order 1042 on its way?', 'Yes, it ships today.')
    await messages(page, 'agent').filter({ hasText: 'Yes, it ships today.' }).waitFor()

    await page.route('**/v1/**', (route) => route.abort('internetdisconnected'))
    await page.reload()
    await page.getByTestId('launcher').click()
    await messages(page, 'agent').filter({ hasText: 'Yes, it ships today.' }).waitFor()
    expect(await messages(page).allTextContents()).toHaveLength(2)
    // The pane says it cannot reach the backend (after the grace period for short blips).
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 5000 }).toMatch(/Reconnecting|Connecting|Offline/)
    await page.context().close()
  })

  it('keeps several threads: create two, switch, reload, both intact', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await send(page, 'First thread: billing')
    await page.getByTestId('back').click()
    await page.getByTestId('new-conversation').click()
    await send(page, 'Second thread: delivery')
    await page.getByTestId('back').click()
    await expect.poll(() => page.getByTestId('conversation').count()).toBe(2)
    await page.getByTestId('conversation').filter({ hasText: 'First thread: billing' }).click()
    await messages(page).filter({ hasText: 'First thread: billing' }).waitFor()

    await page.reload()
    await page.getByTestId('launcher').click()
    // The thread open before the reload opens again.
    await messages(page).filter({ hasText: 'First thread: billing' }).waitFor()
    await page.getByTestId('back').click()
    await page.getByTestId('conversation').filter({ hasText: 'Second thread: delivery' }).click()
    await messages(page).filter({ hasText: 'Second thread: delivery' }).waitFor()
    expect(await messages(page).allTextContents()).toHaveLength(1)
    await page.context().close()
  })

  it('follows an identified user to a second browser', async () => {
    const laptop = await openCustomer(env.browser, env.server.url)
    await signIn(laptop, 'alice')
    await send(laptop, 'Alice asks from her laptop')
    await agentReply('Alice asks from her laptop', 'Hello Alice, answered once.')
    await messages(laptop, 'agent').filter({ hasText: 'Hello Alice, answered once.' }).waitFor()

    const phone = await openCustomer(env.browser, env.server.url)
    await signIn(phone, 'alice')
    await messages(phone).filter({ hasText: 'Alice asks from her laptop' }).waitFor()
    await messages(phone, 'agent').filter({ hasText: 'Hello Alice, answered once.' }).waitFor()
    await laptop.context().close()
    await phone.context().close()
  })

  it('leaves no database, token or message text on the device after shutdown', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    const sessionTokens: string[] = []
    page.on('response', async (response) => {
      if (response.url().endsWith('/v1/sessions')) sessionTokens.push((await response.json()).token)
    })
    const identityToken = await signIn(page, 'bob')
    await send(page, 'Bob’s card ends in 4242')
    await expect.poll(() => confabDatabases(page)).toEqual(['confab-default-u-demo-bob'])

    await page.evaluate(() => (window as unknown as { Confab: (command: string) => Promise<void> }).Confab('shutdown'))
    expect(await confabDatabases(page)).toEqual([])
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }))
    const cookies = JSON.stringify(await page.context().cookies())
    expect(sessionTokens.length).toBeGreaterThan(0)
    for (const secret of [identityToken, ...sessionTokens, 'Bob’s card ends in 4242']) {
      expect(stored).not.toContain(secret)
      expect(cookies).not.toContain(secret)
    }
    expect(stored).not.toContain('confab:')
    await page.context().close()
  })
})

describe('storage trouble in real Chromium', () => {
  it('keeps working in memory and says so when IndexedDB is over quota', async () => {
    const page = await openCustomer(env.browser, env.server.url, {
      // The quota must be in place before the page opens its database. CDP reads 0 as "no
      // override", so 1 byte stands for a full disk.
      beforeLoad: async (fresh) => {
        const cdp = await fresh.context().newCDPSession(fresh)
        await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.server.url).origin, quotaSize: 1 })
      }
    })
    await send(page, 'Written while the disk is full')
    await page.getByTestId('storage-notice').waitFor()
    expect(await page.getByTestId('storage-notice').getAttribute('title')).toMatch(/full/)
    await send(page, 'Still delivered')
    await page.context().close()
  })
})

describe('chat sessions in real Chromium', () => {
  /** Two tabs of one browser on the chat demo, with the clock under the test's control. */
  async function twoTabs() {
    const context = await env.browser.newContext()
    const install = (page: Page) => page.clock.install()
    const first = await openCustomer(env.browser, env.server.url, { context, query: '?mode=chat', beforeLoad: install })
    await send(first, `A live question ${crypto.randomUUID().slice(0, 6)}`)
    const second = await openCustomer(env.browser, env.server.url, { context, query: '?mode=chat', beforeLoad: install })
    await messages(second).first().waitFor()
    return { context, first, second }
  }

  it('ends after 30 idle minutes in both tabs, and the next message starts a new session', async () => {
    const { context, first, second } = await twoTabs()
    const before = await env.server.agent<{ conversations: { id: string; visitorId: string }[] }>('GET', 'conversations')

    await first.clock.fastForward('29:00')
    expect(await first.getByTestId('ended').count()).toBe(0)
    await first.clock.fastForward('01:30')
    await first.getByTestId('ended').waitFor()
    await second.getByTestId('ended').waitFor()
    expect(await messages(first).count()).toBe(0)
    expect(await messages(second).count()).toBe(0)
    await expect.poll(() => confabDatabases(first)).toEqual([])

    await send(first, 'A new question after the break')
    const after = await env.server.agent<{ conversations: { id: string; visitorId: string; status: string }[] }>('GET', 'conversations')
    const newest = after.conversations[0]!
    expect(after.conversations).toHaveLength(before.conversations.length + 1)
    expect(before.conversations.map((c) => c.visitorId)).not.toContain(newest.visitorId)
    expect(after.conversations.find((c) => c.id === before.conversations[0]!.id)?.status).toBe('closed')
    await context.close()
  })

  it('ends in both tabs when the customer presses End chat', async () => {
    const { context, first, second } = await twoTabs()
    await first.getByTestId('end-chat').click()
    await first.getByTestId('end-chat-confirm').click()
    await first.getByTestId('ended').waitFor()
    await second.getByTestId('ended').waitFor()
    expect(await messages(second).count()).toBe(0)
    await expect.poll(() => confabDatabases(second)).toEqual([])
    await second.getByTestId('new-chat').click()
    await send(second, 'Starting over')
    // Every tab shows the same session: the new one reaches the first tab too.
    await messages(first).filter({ hasText: 'Starting over' }).waitFor()
    expect(await messages(first).count()).toBe(1)
    expect(await first.getByTestId('ended').count()).toBe(0)
    await context.close()
  })
})
