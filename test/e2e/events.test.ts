import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { conversationOf, serverMessages, visitorIdOf } from './chaos-helpers.js'
import { messages, openCustomer, pageErrors, send, useBrowserAndServer } from './pages.js'

// The integration event stream and the page's hooks in real Chromium, on the demo page (which boots
// with `dataLayer: true` and handles the bot's "Buy" buttons with its own checkout, `onAction`),
// through the built widget (run `npm run build` first) and the reference server with the demo bot.
const env = useBrowserAndServer({ bot: {} })

/** Wait for a state, generously: the machine may be loaded. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 })

interface Pushed {
  id: string
  type: string
  source: string
  messageId?: string
  clientId?: string
  text?: string
  name?: string
  actionType?: string
}

/** The events a tab pushed to Google Tag Manager's `dataLayer`. */
const pushed = (page: Page) =>
  page.evaluate(() =>
    ((window as unknown as { dataLayer?: { event?: string; confab?: unknown }[] }).dataLayer ?? [])
      .filter((entry) => entry.event?.startsWith('confab.'))
      .map((entry) => entry.confab)
  ) as Promise<Pushed[]>

/** Every tab's events of `type`, all together. */
const across = async (tabs: Page[], type: string) => (await Promise.all(tabs.map(pushed))).flat().filter((event) => event.type === type)

/** A tab of the demo site in the same browser as `first`, its launcher drawn. */
async function anotherTab(first: Page): Promise<Page> {
  const page = await first.context().newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(env.server.url)
  await page.getByTestId('launcher').waitFor()
  return page
}

describe('the integration event stream in real Chromium', () => {
  it('tells a visitor’s message and an agent’s answer once each, with five tabs of the demo open', async () => {
    const first = await openCustomer(env.browser, env.server.url)
    const tabs = [first]
    for (let i = 0; i < 4; i++) tabs.push(await anotherTab(first))
    // The visitor writes in the last tab opened, which does not lead: the leader sends it.
    const writer = tabs[4]!
    await writer.getByTestId('launcher').click()
    await writer.getByTestId('pane').waitFor()
    await send(writer, 'Do you ship to Norway?')
    const conversationId = await conversationOf(env.server, await visitorIdOf(writer))
    const clientId = (await serverMessages(env.server, conversationId)).find((m) => m.text === 'Do you ship to Norway?')!.clientId
    const reply = await env.server.agent<{ id: string }>('POST', `conversations/${conversationId}/messages`, {
      clientId: crypto.randomUUID(),
      text: 'We do, in 3 to 5 days.'
    })
    await messages(writer).filter({ hasText: 'We do, in 3 to 5 days.' }).waitFor()
    await poll(async () => (await across(tabs, 'message:received')).filter((event) => event.messageId === reply.id).length).toBe(1)
    // Time for a second tab to tell it too, were it going to.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const received = await across(tabs, 'message:received')
    const sent = await across(tabs, 'message:sent')
    expect(received.filter((event) => event.messageId === reply.id)).toHaveLength(1)
    expect(sent.filter((event) => event.clientId === clientId).map(({ source }) => source)).toEqual(['visitor'])
    // Nothing told twice (the bot's greeting came too), and never the words.
    const ids = [...received, ...sent].map((event) => event.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(JSON.stringify([...received, ...sent])).not.toMatch(/Norway|5 days/)
    await first.context().close()
  })

  it('hands a "Buy" button to the page’s own checkout, which Confab never sees, and the page tells the chat it was paid', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await send(page, 'Hello')
    const greeting = messages(page, 'bot').filter({ hasText: 'I am the Confab demo bot' }).last()
    await greeting.getByRole('button', { name: 'See plans' }).click()
    const cards = messages(page, 'bot').filter({ hasText: 'Here are our plans' }).last().getByTestId('cards')
    const checkout = page.getByTestId('checkout')

    // Cancelled: nothing goes.
    await cards.getByRole('button', { name: 'Buy for €9' }).click()
    await checkout.waitFor()
    expect(await page.getByTestId('checkout-total').textContent()).toBe('€9.00 a month')
    await checkout.getByRole('button', { name: 'Cancel' }).click()
    await checkout.waitFor({ state: 'hidden' })

    await cards.getByRole('button', { name: 'Buy for €25' }).click()
    await checkout.waitFor()
    expect(await page.getByTestId('checkout-total').textContent()).toBe('€25.00 a month')
    await checkout.getByRole('button', { name: 'Pay' }).click()
    const paid = messages(page, 'visitor').filter({ hasText: /Paid €25\.00 for Pro \(receipt NW-\d{4}\)\./ })
    await paid.and(page.locator('[data-status="sent"]')).waitFor()

    const conversationId = await conversationOf(env.server, await visitorIdOf(page))
    expect((await serverMessages(env.server, conversationId)).filter((m) => m.text.startsWith('Paid')).map((m) => m.author.role)).toEqual(['visitor'])
    expect((await env.server.agent<{ postbacks: unknown[] }>('GET', `conversations/${conversationId}/postbacks`)).postbacks).toEqual([])
    const clicked = (await pushed(page)).filter((event) => event.type === 'action:clicked')
    expect(clicked.map(({ actionType, name, source }) => [actionType, name, source])).toEqual([
      ['reply', undefined, 'visitor'],
      ['host', 'buy', 'visitor'],
      ['host', 'buy', 'visitor']
    ])
    await page.context().close()
  })
})
