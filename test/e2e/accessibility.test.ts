import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { openCustomer, send, useBrowserAndServer } from './pages.js'

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

  it('finds no violations in chat mode, with the End chat confirmation open', async () => {
    const page = await openCustomer(env.browser, env.server.url, { query: '?mode=chat' })
    await send(page, 'A chat question')
    await page.getByTestId('end-chat').click()
    await page.getByTestId('end-chat-confirm').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })
})
