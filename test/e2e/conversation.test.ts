import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { messages, openCustomer, pageErrors, send, useBrowserAndServer } from './pages.js'
import { AGENT_KEY } from './server.js'

const env = useBrowserAndServer()

const openCustomerPage = () => openCustomer(env.browser, env.server.url)

async function openAgent(): Promise<Page> {
  const page = await (await env.browser.newContext()).newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(`${env.server.url}/agent?key=${AGENT_KEY}`)
  return page
}

async function agentReply(agent: Page, visitorText: string, reply: string) {
  await agent.getByTestId('conversation-item').filter({ hasText: visitorText }).first().click()
  await agent.getByTestId('agent-message').filter({ hasText: visitorText }).waitFor()
  await agent.getByTestId('agent-reply').fill(reply)
  await agent.getByTestId('agent-send').click()
}

describe('a customer and an agent in real Chromium', () => {
  it('carries a message to the agent console and the reply back to the customer', async () => {
    const customer = await openCustomerPage()
    await customer.getByTestId('empty').waitFor()
    await send(customer, 'Hello, has my order shipped?')

    const agent = await openAgent()
    await agentReply(agent, 'Hello, has my order shipped?', 'Yes, it left this morning.')

    await messages(customer, 'agent').filter({ hasText: 'Yes, it left this morning.' }).waitFor()
    expect(await messages(customer).allTextContents()).toHaveLength(2)
    await customer.context().close()
    await agent.context().close()
  })

  it('loses nothing when the server restarts', async () => {
    const customer = await openCustomerPage()
    await send(customer, 'Before the restart')
    const agent = await openAgent()
    await agentReply(agent, 'Before the restart', 'Reply before the restart')
    await messages(customer, 'agent').filter({ hasText: 'Reply before the restart' }).waitFor()

    await env.server.restart()

    // The open page reconnects by itself and keeps working.
    await send(customer, 'After the restart')
    await agent.getByTestId('agent-message').filter({ hasText: 'After the restart' }).waitFor()

    // A reload reads the whole thread back from the restarted server.
    await customer.reload()
    await customer.getByTestId('launcher').click()
    await messages(customer).filter({ hasText: 'After the restart' }).waitFor()
    const texts = await messages(customer).allTextContents()
    expect(texts.filter((t) => t.includes('Before the restart'))).toHaveLength(1)
    expect(texts.filter((t) => t.includes('Reply before the restart'))).toHaveLength(1)
    expect(texts.filter((t) => t.includes('After the restart'))).toHaveLength(1)
    await customer.context().close()
    await agent.context().close()
  })
})
