import { describe, expect, it } from 'vitest'
import { openCustomer, send, useBrowserAndServer } from './pages.js'

// The demo page boots with `titleBadge: true`.
const env = useBrowserAndServer()
const TITLE = 'Northwind Coffee Roasters'

describe('the title badge in real Chromium', () => {
  it('shows an agent’s answer in the title of every tab, and goes from every tab once the visitor reads it', async () => {
    const first = await openCustomer(env.browser, env.server.url)
    await send(first, 'Do you ship to Norway?')
    const second = await first.context().newPage()
    await second.goto(`${env.server.url}/`)
    await second.getByTestId('launcher').waitFor()
    // The visitor goes back to reading the page: the pane closes.
    await first.getByTestId('launcher').click()
    await first.getByTestId('pane').waitFor({ state: 'detached' })
    const { conversations } = await env.server.agent<{ conversations: { id: string; lastMessage?: { text: string } }[] }>('GET', 'conversations')
    const id = conversations.find((c) => c.lastMessage?.text === 'Do you ship to Norway?')!.id
    await env.server.agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), text: 'We do, in 3 to 5 days.' })
    for (const tab of [first, second]) await expect.poll(() => tab.title(), { timeout: 15_000 }).toBe(`(1) ${TITLE}`)
    await second.getByTestId('launcher').click()
    await second.getByTestId('message').filter({ hasText: 'We do, in 3 to 5 days.' }).waitFor()
    for (const tab of [first, second]) await expect.poll(() => tab.title(), { timeout: 15_000 }).toBe(TITLE)
    await first.context().close()
  })
})
