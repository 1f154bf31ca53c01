import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { messages, openCustomer, openConsole as openConsoleOf, pageErrors, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

/** The conversation whose newest message is `text`, as agents list it. */
async function conversationOf(text: string): Promise<{ id: string; read?: { visitor?: { messageId: string } } }> {
  const { conversations } = await env.server.agent('GET', 'conversations')
  const found = conversations.find((c: { lastMessage?: { text: string } }) => c.lastMessage?.text === text)
  if (!found) throw new Error(`no conversation ends with ${JSON.stringify(text)}`)
  return found
}

/** The agent console, with conversation `id` open. */
const openConsole = (id: string) => openConsoleOf(env.browser, env.server.url, id)

/** Make the customer's tab hidden or visible again, as switching tabs does, for the page's scripts. */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)
}

/** Long enough for a read to settle and travel (the client sends after half a second). */
const settle = (page: Page) => page.waitForTimeout(1500)

describe('read receipts between the widget and the agent console', () => {
  it("shows Seen under the visitor's message once the agent opens the conversation in the console", async () => {
    const customer = await openCustomer(env.browser, env.server.url)
    await send(customer, 'Is my order on its way?')
    const question = messages(customer).filter({ hasText: 'Is my order on its way?' })
    await settle(customer)
    expect(await question.getByTestId('seen').count()).toBe(0)

    const { id } = await conversationOf('Is my order on its way?')
    const agent = await openConsole(id)
    await question.getByTestId('seen').waitFor()
    expect(await question.getByTestId('seen').textContent()).toMatch(/^Seen \d/)
    // Only the last message read shows it; screen readers hear it once.
    expect(await customer.getByTestId('seen').count()).toBe(1)
    expect(await customer.getByTestId('seen-status').textContent()).toMatch(/^Seen \d/)
    await agent.context().close()
    await customer.context().close()
  })

  it('shows Seen in the console only once the visitor sees the answer: not with the pane closed or the tab hidden, and not until it is scrolled into view', async () => {
    const customer = await openCustomer(env.browser, env.server.url)
    await send(customer, 'Hello, I have a few questions')
    const { id } = await conversationOf('Hello, I have a few questions')
    // A thread taller than the pane: the visitor reads from the top, then closes the pane.
    for (let i = 1; i <= 20; i++) await env.server.agent('POST', `conversations/${id}/messages`, { clientId: `answer-${i}`, text: `Answer ${i}` })
    await messages(customer).filter({ hasText: 'Answer 20' }).waitFor()
    const log = customer.getByRole('log')
    await log.evaluate((el) => {
      el.scrollTop = 0
      el.dispatchEvent(new Event('scroll'))
    })
    await customer.getByTestId('launcher').click()
    await customer.getByTestId('pane').waitFor({ state: 'detached' })

    const agent = await openConsole(id)
    await agent.getByTestId('agent-reply').fill('Are you still there?')
    await agent.getByTestId('agent-send').click()
    const answer = agent.getByTestId('agent-message').filter({ hasText: 'Are you still there?' })
    await answer.waitFor()
    const seenUnderAnswer = answer.getByTestId('agent-seen')

    // The pane is closed.
    await settle(customer)
    expect(await seenUnderAnswer.count()).toBe(0)

    // The pane opens where the visitor left it, in a tab the visitor is not looking at.
    await setHidden(customer, true)
    await customer.getByTestId('launcher').click()
    await customer.getByTestId('pane').waitFor()
    await settle(customer)
    expect(await seenUnderAnswer.count()).toBe(0)

    // The visitor comes back to the tab: the answer is there, but far below what the pane shows.
    expect(await customer.getByRole('log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeGreaterThan(500)
    await setHidden(customer, false)
    await settle(customer)
    expect(await seenUnderAnswer.count()).toBe(0)
    expect((await conversationOf('Are you still there?')).read?.visitor?.messageId).not.toBe((await env.server.agent('GET', `conversations/${id}/messages`)).messages.at(-1).id)

    // Scrolled into view: now it is seen.
    await customer.getByRole('log').press('End')
    await messages(customer).filter({ hasText: 'Are you still there?' }).waitFor()
    await seenUnderAnswer.waitFor()
    expect(await agent.getByTestId('agent-seen').count()).toBe(1)
    await agent.context().close()
    await customer.context().close()
  })
})
