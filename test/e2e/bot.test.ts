import { describe, it } from 'vitest'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'

// The demo bot behind the bot hook, as `npm start` runs it.
const env = useBrowserAndServer({ bot: {} })

describe('the demo bot in real Chromium', () => {
  it("greets a customer's new conversation in the widget", async () => {
    const customer = await openCustomer(env.browser, env.server.url)
    await send(customer, 'Hello?')
    await messages(customer, 'bot').filter({ hasText: 'I am the Confab demo bot' }).waitFor()
    await customer.context().close()
  })
})
