import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { messages, openCustomer, pageErrors, send, useBrowserAndServer } from './pages.js'
import { AGENT_KEY } from './server.js'

const env = useBrowserAndServer()

/** The agent console with the conversation whose last message is `text` open. */
async function consoleOn(text: string): Promise<Page> {
  const { conversations } = await env.server.agent<{ conversations: { id: string; lastMessage?: { text: string } }[] }>('GET', 'conversations')
  const id = conversations.find((c) => c.lastMessage?.text === text)!.id
  const page = await (await env.browser.newContext()).newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(`${env.server.url}/agent?key=${AGENT_KEY}`)
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`).click()
  await page.getByTestId('agent-visitor').waitFor()
  return page
}

const attribute = (agentView: Page, key: string) => agentView.locator(`[data-testid="agent-attribute"][data-key="${key}"]`)
const timeline = (agentView: Page) => agentView.getByTestId('agent-timeline-event')

/** The composer inside the widget's shadow root: its text, whether it has the keys, where the caret is. */
const composerState = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-confab]')!.shadowRoot!
    const field = root.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')
    return field && { value: field.value, focused: root.activeElement === field, caret: [field.selectionStart, field.selectionEnd] }
  })

describe('what a site tells the agents about its visitor, in real Chromium', () => {
  it("shows Confab('update') and Confab('trackEvent') from the demo page in the agent console, live and after a reload", async () => {
    const customer = await openCustomer(env.browser, env.server.url)
    await send(customer, 'Hello from the shop')
    const agentView = await consoleOn('Hello from the shop')
    // The page the visitor is on came with the session, origin and path only.
    await expect.poll(() => agentView.getByTestId('agent-page').textContent()).toContain('Northwind Coffee Roasters')
    expect(await agentView.getByTestId('agent-page').locator('a').getAttribute('href')).toBe(`${env.server.url}/`)

    await customer.evaluate(() => Confab('update', { plan: 'pro', company: 'Acme', seats: 12, trial: false }))
    await expect.poll(() => attribute(agentView, 'plan').textContent()).toBe('pro')
    expect(await attribute(agentView, 'seats').textContent()).toBe('12')
    expect(await attribute(agentView, 'trial').textContent()).toBe('false')

    await customer.evaluate(() => Confab('trackEvent', 'order:placed', { orderId: 42, total: 99.5 }))
    await timeline(agentView).filter({ hasText: 'order:placed' }).waitFor()
    expect(await timeline(agentView).first().locator('code').textContent()).toBe('{"orderId":42,"total":99.5}')

    // The demo shop's own buttons: an event and an attribute together.
    await customer.getByRole('button', { name: 'Add to cart' }).first().click()
    await timeline(agentView).filter({ hasText: 'cart:added' }).waitFor()
    await expect.poll(() => attribute(agentView, 'cartItems').textContent()).toBe('1')

    // A single-page app moves on and says so; the query and fragment never leave the page.
    await customer.evaluate(() => {
      history.pushState({}, '', '/orders/42?token=secret#details')
      document.title = 'Order 42'
      return Confab('update', { trial: null })
    })
    await expect.poll(() => agentView.getByTestId('agent-page').locator('a').getAttribute('href')).toBe(`${env.server.url}/orders/42`)
    expect(await agentView.getByTestId('agent-page').textContent()).not.toContain('secret')
    await expect.poll(() => attribute(agentView, 'trial').count()).toBe(0)

    await agentView.reload()
    await agentView.locator('[data-testid="conversation-item"]').first().click()
    await expect.poll(() => attribute(agentView, 'plan').textContent()).toBe('pro')
    expect(await timeline(agentView).allTextContents()).toEqual([expect.stringContaining('cart:added'), expect.stringContaining('order:placed')])
    await customer.context().close()
    await agentView.context().close()
  })

  it("opens the pane with Confab('showNewMessage', text): the text in the composer, not sent, the caret after it", async () => {
    const context = await env.browser.newContext()
    const customer = await context.newPage()
    customer.on('pageerror', (error) => pageErrors.push(error))
    await customer.goto(`${env.server.url}/`)
    await customer.evaluate(() => Confab('showNewMessage', 'Hi about order 42'))
    await customer.getByTestId('pane').waitFor()
    await expect.poll(() => composerState(customer)).toEqual({ value: 'Hi about order 42', focused: true, caret: [17, 17] })
    // Typing goes on after the text.
    await customer.keyboard.type(', it never came')
    expect((await composerState(customer))!.value).toBe('Hi about order 42, it never came')
    expect(await messages(customer).count()).toBe(0)

    // The demo shop's "Ask about it" does the same for a product.
    await customer.getByTestId('composer').fill('')
    await customer.getByRole('button', { name: 'Ask about it' }).first().click()
    await expect.poll(async () => (await composerState(customer))?.value).toBe('Hi, a question about the Huila, Colombia: ')
    await context.close()
  })
})
