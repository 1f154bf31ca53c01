import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openEvents } from '../unit/server/helpers.js'
import { openCustomer, pageErrors, send, useBrowserAndServer } from './pages.js'
import { AGENT_KEY } from './server.js'

const env = useBrowserAndServer()

/** A customer who wrote `text`, and the console with their conversation open. */
async function talking(text: string): Promise<{ customer: Page; agent: Page }> {
  const customer = await openCustomer(env.browser, env.server.url)
  await send(customer, text)
  const agent = await (await env.browser.newContext()).newPage()
  agent.on('pageerror', (error) => pageErrors.push(error))
  await agent.goto(`${env.server.url}/agent?key=${AGENT_KEY}`)
  await agent.getByTestId('conversation-item').filter({ hasText: text }).first().click()
  await agent.getByTestId('agent-message').filter({ hasText: text }).waitFor()
  return { customer, agent }
}

/** What the agents were told of the visitor's typing, in order; `heard()` reads what came meanwhile. */
async function visitorTyping() {
  const agents = await openEvents(env.server.url, '/v1/agent/events', { token: AGENT_KEY })
  const told: boolean[] = []
  return {
    told,
    async heard() {
      for (const { event, data } of await agents.idle(0)) if (event === 'typing' && data.author.role === 'visitor') told.push(data.typing)
      return told
    },
    close: () => agents.close()
  }
}

/** What the console told the server about typing, in order (the bodies of its `…/typing` requests). */
function typingSent(page: Page): boolean[] {
  const told: boolean[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/typing')) told.push(request.postDataJSON().typing)
  })
  return told
}

/** Milliseconds until `indicator` hides, measured from now. */
async function hiddenAfter(indicator: Locator): Promise<number> {
  const from = Date.now()
  await indicator.waitFor({ state: 'hidden', timeout: 15_000 })
  return Date.now() - from
}

describe('typing between a customer and an agent in real Chromium', () => {
  it('shows the agent that the customer types, for as long as they type, until they send', async () => {
    const { customer, agent } = await talking('Hello, a question')
    const agents = await visitorTyping()
    const indicator = agent.getByTestId('agent-typing')
    // Nine seconds of typing: longer than the console shows one "typing" without it being said again.
    await customer.getByTestId('composer').pressSequentially('Where is my', { delay: 800 })
    expect(await indicator.isVisible()).toBe(true)
    expect(await indicator.textContent()).toMatch(/ is typing…$/)
    await customer.getByTestId('composer').press('Enter')
    await agent.getByTestId('agent-message').filter({ hasText: 'Where is my' }).waitFor()
    await indicator.waitFor({ state: 'hidden' })
    await expect.poll(async () => (await agents.heard()).at(-1)).toBe(false)
    // Said again every 3 s while the keys kept coming, not with each key.
    expect(agents.told.filter(Boolean).length).toBeGreaterThanOrEqual(3)
    expect(agents.told.filter(Boolean).length).toBeLessThanOrEqual(4)
    agents.close()
    await customer.context().close()
    await agent.context().close()
  })

  it('hides in the console 7 s after the customer last typed, when they left mid-sentence', async () => {
    const { customer, agent } = await talking('One more thing')
    const indicator = agent.getByTestId('agent-typing')
    await customer.getByTestId('composer').pressSequentially('Actually', { delay: 20 })
    await indicator.waitFor()
    // Gone without a word: no "stopped" is ever said.
    await customer.context().close()
    const after = await hiddenAfter(indicator)
    expect(after).toBeGreaterThan(4000)
    expect(after).toBeLessThan(9000)
    await agent.context().close()
  })

  it('shows the customer that the agent types, for as long as they type, and hides it 7 s after a lost "stopped"', async () => {
    const { customer, agent } = await talking('Can you check my order?')
    const told = typingSent(agent)
    const indicator = customer.getByTestId('typing')
    await agent.getByTestId('agent-reply').pressSequentially('Let me look', { delay: 800 })
    expect(await indicator.isVisible()).toBe(true)
    expect(await indicator.textContent()).toBe('Agent is typing…')
    // The agent's "stopped" never reaches the server (a dropped request).
    await agent.route('**/typing', (route) => (route.request().postDataJSON().typing ? route.continue() : route.abort()))
    await agent.getByTestId('agent-reply').blur()
    await expect.poll(() => told.at(-1)).toBe(false)
    const after = await hiddenAfter(indicator)
    expect(after).toBeGreaterThan(3000)
    expect(after).toBeLessThan(9000)
    expect(told.filter(Boolean).length).toBeGreaterThanOrEqual(3)
    await customer.context().close()
    await agent.context().close()
  })

  it('hides in the widget when the agent sends', async () => {
    const { customer, agent } = await talking('Thanks')
    const indicator = customer.getByTestId('typing')
    await agent.getByTestId('agent-reply').pressSequentially('You are welcome', { delay: 20 })
    await indicator.waitFor()
    await agent.getByTestId('agent-reply').press('Enter')
    await customer.getByTestId('message').filter({ hasText: 'You are welcome' }).waitFor()
    expect(await indicator.isVisible()).toBe(false)
    await customer.context().close()
    await agent.context().close()
  })
})
