import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { aimAtVisitor, conversationOf, outboxSizes, serverMessages, visitorIdOf } from './chaos-helpers.js'
import { messages, openCustomer, pageErrors, send, useBrowserAndServer } from './pages.js'

// The demo bot's rich messages in real Chromium, through the built widget (run `npm run build`
// first) and the reference server with the bot behind its hook, as `npm start` runs them.
const env = useBrowserAndServer({ bot: {} })

const GREETING = 'I am the Confab demo bot'
const PLANS = 'Here are our plans'
const ORDER_FORM = 'Let us find your order'
const HANDOFF = 'So that the right person answers'
const RATING = 'How would you rate'

/** Wait for a state, generously: the machine may be loaded. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 })

/** An `action` event as the page's `Confab('on', 'action')` listener was handed it. */
interface Handed {
  type: string
  name?: string
  data?: unknown
}

/** Record the client's `action` events on the page, as a site listening through the script tag does. */
const listenForActions = (page: Page) =>
  page.evaluate(() => {
    const site = window as unknown as { handed: unknown[]; Confab(command: string, ...args: unknown[]): unknown }
    site.handed = []
    site.Confab('on', 'action', ({ action }: { action: { type: string; name?: string; data?: unknown } }) =>
      site.handed.push({ type: action.type, name: action.name, data: action.data })
    )
  })

const handed = (page: Page) => page.evaluate(() => (window as unknown as { handed: Handed[] }).handed)

/** The newest message of the bot that says `text`. */
const botSaying = (page: Page, text: string) => messages(page, 'bot').filter({ hasText: text }).last()

const cardsOf = (page: Page) => botSaying(page, PLANS).getByTestId('cards')
const orderFormOf = (page: Page) => botSaying(page, ORDER_FORM).getByTestId('form')
const ratingOf = (page: Page) => botSaying(page, RATING).getByTestId('rating')

/** A visitor's message that `text` is in, once the server has confirmed it. */
const sent = (page: Page, text: string) => messages(page, 'visitor').filter({ hasText: text }).and(page.locator('[data-status="sent"]'))

/** The customer's conversation on the server, once the page has one. */
const conversationOfPage = async (page: Page) => conversationOf(env.server, await visitorIdOf(page))

/** The conversation's messages on the server that hold a part of `type`. */
const storedWith = async (conversationId: string, type: string) =>
  (await serverMessages(env.server, conversationId)).filter((m) => m.parts?.some((part) => part.type === type))

/** Close the conversation as an agent does: the bot asks for a rating. */
const closeConversation = (conversationId: string) => env.server.agent('POST', `conversations/${conversationId}/close`)

/** A new customer who said hello by mouse and got the bot's greeting with its quick replies. */
async function greeted(): Promise<Page> {
  const page = await openCustomer(env.browser, env.server.url)
  await listenForActions(page)
  await send(page, 'Hello')
  await botSaying(page, GREETING).getByTestId('quick-replies').waitFor()
  return page
}

/** The answers the bot's order form is filled with. */
const ORDER = { order: 'A-1042', email: 'ann@example.com' }

/** Fill the order form by mouse and send it; resolves once it shows as submitted. */
async function submitOrder(page: Page) {
  const form = orderFormOf(page)
  await form.getByLabel('Order number').fill(ORDER.order)
  await form.getByLabel('Email').fill(ORDER.email)
  await form.getByRole('button', { name: 'Find my order' }).click()
  await form.getByTestId('form-submitted').waitFor()
}

/** Choose 4 stars with a comment by mouse and send them; resolves once the rating shows as given. */
async function rateFour(page: Page, comment: string) {
  const rating = ratingOf(page)
  // The radio buttons are hidden for the eye: a person clicks the star, their label.
  await rating.locator('label').filter({ has: page.locator('input[value="4"]') }).click()
  await rating.getByLabel('Comment (optional)').fill(comment)
  await rating.getByRole('button', { name: 'Send rating' }).click()
  await rating.getByTestId('rating-given').waitFor()
}

/** The element that has focus, looked for through shadow roots. */
function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: element?.textContent?.trim() ?? '',
      name: element?.getAttribute('name') ?? '',
      testid: element?.getAttribute('data-testid') ?? '',
      value: (element as HTMLInputElement | null)?.value ?? '',
      checked: (element as HTMLInputElement | null)?.checked ?? false
    }
  })
}

type Focused = Awaited<ReturnType<typeof focused>>

/** Press Tab (Shift+Tab with `back`) until the focused element is what `wanted` looks for. */
async function tabTo(page: Page, wanted: (element: Focused) => boolean, { back = false, most = 40 } = {}): Promise<Focused> {
  for (let presses = 0; ; presses++) {
    const element = await focused(page)
    if (wanted(element)) return element
    if (presses === most) throw new Error(`${most} presses of ${back ? 'Shift+Tab' : 'Tab'} never got there; focus is on ${JSON.stringify(element)}`)
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
}

const button = (text: string) => (element: Focused) => element.tag === 'button' && element.text === text

/**
 * A new customer who opened the pane, said hello and got the greeting by keyboard alone: from the
 * top of the page, Tab to the launcher, Enter, type.
 */
async function greetedByKeyboard(): Promise<Page> {
  const page = await (await env.browser.newContext()).newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(env.server.url)
  await listenForActions(page)
  await tabTo(page, (element) => element.testid === 'launcher')
  await page.keyboard.press('Enter')
  await page.getByTestId('composer').waitFor()
  await tabTo(page, (element) => element.testid === 'composer')
  await page.keyboard.type('Hello')
  await page.keyboard.press('Enter')
  await botSaying(page, GREETING).getByTestId('quick-replies').waitFor()
  return page
}

/** Reach the greeting's quick reply `label` backwards from the message field, and press Enter on it. */
async function chooseByKeyboard(page: Page, label: string) {
  await tabTo(page, button(label), { back: true })
  await page.keyboard.press('Enter')
  await sent(page, label).waitFor()
}

/** The carousel's sideways scroll position. */
const scrolled = (page: Page) => cardsOf(page).evaluate((row) => row.scrollLeft)

describe('the demo bot by mouse in real Chromium', () => {
  it('shows the plans as cards with pictures and safe links, and hands a buy button to the page alone', async () => {
    const page = await greeted()
    expect(await axeViolations(page)).toEqual([])
    await botSaying(page, GREETING).getByRole('button', { name: 'See plans' }).click()
    await sent(page, 'See plans').waitFor()
    const cards = cardsOf(page)
    await cards.waitFor()
    expect(await cards.getByTestId('card').allTextContents()).toEqual([
      expect.stringMatching(/^Basic€9 a month/),
      expect.stringMatching(/^Pro€25 a month/),
      expect.stringMatching(/^Team€79 a month/)
    ])
    expect(await axeViolations(page)).toEqual([])

    // Every card has its picture; the first shows at once (the others load as they scroll in).
    const pictures = cards.locator('img')
    expect(await pictures.evaluateAll((images) => images.map((image) => new URL((image as HTMLImageElement).src).pathname))).toEqual([
      '/assets/plan-basic.svg',
      '/assets/plan-pro.svg',
      '/assets/plan-team.svg'
    ])
    await poll(() => pictures.first().evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)

    const details = cards.getByTestId('card').filter({ hasText: 'Pro' }).getByRole('link', { name: 'Details' })
    expect(await details.evaluate((link) => [link.getAttribute('href'), link.getAttribute('rel'), link.getAttribute('target')])).toEqual([
      'https://example.com/plans/pro',
      'noopener noreferrer',
      '_blank'
    ])

    const conversationId = await conversationOfPage(page)
    const before = { shown: await messages(page).count(), stored: (await serverMessages(env.server, conversationId)).length }
    const opened: Page[] = []
    page.context().on('page', (other) => opened.push(other))
    await cards.getByRole('button', { name: 'Buy for €25' }).click()
    await poll(() => handed(page)).toEqual([{ type: 'host', name: 'buy', data: { plan: 'pro', amount: 2500, currency: 'EUR' } }])
    // The page's own checkout opened (its `onAction`); cancelled, it sends nothing.
    await page.getByTestId('checkout').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('checkout').waitFor({ state: 'hidden' })
    // Nothing else: a message written after the click is the only one sent, shown and stored since,
    // no postback went, no page opened, the page stayed where it was.
    await send(page, 'Just looking, thanks')
    expect(await messages(page).count()).toBe(before.shown + 1)
    expect((await serverMessages(env.server, conversationId)).length).toBe(before.stored + 1)
    expect((await env.server.agent<{ postbacks: unknown[] }>('GET', `conversations/${conversationId}/postbacks`)).postbacks).toEqual([])
    expect(opened).toEqual([])
    expect(new URL(page.url()).pathname).toBe('/')
    await page.context().close()
  })

  it('refuses the order form with a missing or wrong field, then sends it, shows it read-only and answers from it', async () => {
    const page = await greeted()
    await botSaying(page, GREETING).getByRole('button', { name: 'Track an order' }).click()
    const form = orderFormOf(page)
    await form.waitFor()
    expect(await axeViolations(page)).toEqual([])
    const email = form.getByLabel('Email')

    // A required field left empty: the browser stops the form and points at the field.
    await form.getByLabel('Order number').fill(ORDER.order)
    await form.getByRole('button', { name: 'Find my order' }).click()
    await poll(() => focused(page)).toMatchObject({ name: 'email' })
    expect(await email.evaluate((input) => [(input as HTMLInputElement).validity.valueMissing, (input as HTMLInputElement).validationMessage !== ''])).toEqual([true, true])

    // An address the browser lets through and the client does not: the form says so, on the field.
    await email.fill('ann@example')
    await form.getByRole('button', { name: 'Find my order' }).click()
    await poll(() => form.getByTestId('form-error').textContent()).toBe('Email: not an email address')
    expect(await email.getAttribute('aria-invalid')).toBe('true')
    expect(await axeViolations(page)).toEqual([])
    const conversationId = await conversationOfPage(page)
    expect(await storedWith(conversationId, 'form-response')).toEqual([])

    await email.fill(ORDER.email)
    await form.getByRole('button', { name: 'Find my order' }).click()
    await form.getByTestId('form-submitted').waitFor()
    expect(await form.locator('fieldset').first().evaluate((fieldset) => (fieldset as HTMLFieldSetElement).disabled)).toBe(true)
    expect([await form.getByLabel('Order number').inputValue(), await email.inputValue()]).toEqual([ORDER.order, ORDER.email])
    await poll(() => form.getByTestId('form-error').count()).toBe(0)
    const answers = messages(page, 'visitor').getByTestId('form-response')
    expect(await answers.locator('div').evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]))).toEqual([
      ['Order number', ORDER.order],
      ['Email', ORDER.email]
    ])
    await botSaying(page, `Updates go to ${ORDER.email}`).filter({ hasText: `Order ${ORDER.order}` }).waitFor()
    expect(await axeViolations(page)).toEqual([])

    const [response, ...more] = await storedWith(conversationId, 'form-response')
    expect(more).toEqual([])
    expect(response!.parts).toEqual([
      {
        type: 'form-response',
        fields: [
          { name: 'order', label: 'Order number', value: ORDER.order },
          { name: 'email', label: 'Email', value: ORDER.email }
        ]
      }
    ])
    await page.context().close()
  })

  it('asks for a rating once the conversation is closed, and shows 4 stars with a comment as given', async () => {
    const page = await greeted()
    const conversationId = await conversationOfPage(page)
    await closeConversation(conversationId)
    await ratingOf(page).waitFor()
    expect(await axeViolations(page)).toEqual([])

    await rateFour(page, 'Quick and kind')
    expect(await ratingOf(page).getByTestId('rating-given').innerText()).toBe('4 out of 5\nQuick and kind')
    expect(await sent(page, 'Quick and kind').getByTestId('rating-response').innerText()).toBe('★★★★☆ 4 out of 5\nQuick and kind')
    expect(await axeViolations(page)).toEqual([])
    expect((await storedWith(conversationId, 'rating-response')).map((m) => m.parts)).toEqual([
      [{ type: 'rating-response', score: 4, comment: 'Quick and kind' }]
    ])
    await page.context().close()
  })
})

describe('the demo bot by keyboard alone in real Chromium', () => {
  it('uses a quick reply, scrolls the carousel with the arrow keys and uses its buttons', async () => {
    const page = await greetedByKeyboard()
    await chooseByKeyboard(page, 'See plans')
    await cardsOf(page).waitFor()
    // Backwards from the message field: the plans' quick reply, the cards' buttons, then the row.
    await tabTo(page, (element) => element.testid === 'cards', { back: true })
    await poll(() => scrolled(page)).toBe(0)
    await page.keyboard.press('ArrowRight')
    await poll(() => scrolled(page)).toBeGreaterThan(100)
    const across = await scrolled(page)
    await page.keyboard.press('ArrowLeft')
    await poll(() => scrolled(page)).toBeLessThan(across)

    await tabTo(page, (element) => element.tag === 'a' && element.text === 'Details')
    await tabTo(page, button('Buy for €79'))
    // The row scrolled the last card's button into view.
    await poll(() => scrolled(page)).toBeGreaterThan(across)
    await page.keyboard.press('Space')
    // The page's checkout takes the keys; Escape closes it and gives them back to the button.
    await page.getByTestId('checkout').waitFor()
    await page.keyboard.press('Escape')
    await tabTo(page, button('Buy for €9'), { back: true })
    await page.keyboard.press('Enter')
    await page.getByTestId('checkout').waitFor()
    await page.keyboard.press('Escape')
    await poll(() => handed(page)).toEqual([
      { type: 'host', name: 'buy', data: { plan: 'team', amount: 7900, currency: 'EUR' } },
      { type: 'host', name: 'buy', data: { plan: 'basic', amount: 900, currency: 'EUR' } }
    ])
    await page.context().close()
  })

  it('fills and sends the order form', async () => {
    const page = await greetedByKeyboard()
    await chooseByKeyboard(page, 'Track an order')
    const form = orderFormOf(page)
    await form.waitFor()
    await tabTo(page, (element) => element.name === 'order', { back: true })
    await page.keyboard.type(ORDER.order)
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ name: 'email' })
    await page.keyboard.type(ORDER.email)
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Find my order' })
    await page.keyboard.press('Enter')
    await form.getByTestId('form-submitted').waitFor()
    // The keys stay in the thread, on the confirmation that took the button's place.
    await poll(() => focused(page)).toMatchObject({ testid: 'form-submitted' })
    await botSaying(page, `Updates go to ${ORDER.email}`).waitFor()
    await page.context().close()
  })

  it('rates the conversation with the arrow keys and a comment', async () => {
    const page = await greetedByKeyboard()
    await closeConversation(await conversationOfPage(page))
    const rating = ratingOf(page)
    await rating.waitFor()
    // Into the stars from wherever the keys are; the arrow keys choose among them.
    const star = await tabTo(page, (element) => element.name === 'score', { back: true })
    const key = Number(star.value) > 4 ? 'ArrowLeft' : 'ArrowRight'
    for (let presses = 0; (await focused(page)).value !== '4' && presses < 5; presses++) await page.keyboard.press(key)
    expect(await focused(page)).toMatchObject({ name: 'score', value: '4', checked: true })
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ name: 'comment' })
    await page.keyboard.type('Found my way with the keys')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send rating' })
    await page.keyboard.press('Space')
    await rating.getByTestId('rating-given').waitFor()
    await poll(() => focused(page)).toMatchObject({ testid: 'rating-given' })
    expect(await rating.getByTestId('rating-given').innerText()).toBe('4 out of 5\nFound my way with the keys')
    await page.context().close()
  })
})

describe('postbacks and the device in real Chromium', () => {
  it('delivers "Talk to a person" to the bot exactly once through lost answers and a reload', async () => {
    const page = await greeted()
    const visitorId = await visitorIdOf(page)
    const conversationId = await conversationOf(env.server, visitorId)
    // The server stores the postback and loses its answer, three times: more tries than the page
    // makes before it reloads.
    await aimAtVisitor(env.server, visitorId, { dropNextPostbacks: 3 })
    const isPostback = (url: string) => new URL(url).pathname.endsWith('/postbacks')
    const lost = page.waitForEvent('requestfailed', { predicate: (request) => isPostback(request.url()), timeout: 30_000 })
    await botSaying(page, GREETING).getByRole('button', { name: 'Talk to a person' }).click()
    await lost
    // The page goes while the client tries again; the next one takes over from the outbox.
    let triedAfterReload = 0
    await page.reload()
    page.on('request', (request) => void (isPostback(request.url()) && triedAfterReload++))
    await page.getByTestId('launcher').click()
    await botSaying(page, HANDOFF).waitFor()
    await poll(async () => Object.values(await outboxSizes(page)).reduce((sum, size) => sum + size, 0)).toBe(0)
    // Every lost answer was used up (the postback went four times at least), some by the new page.
    expect((await aimAtVisitor(env.server, visitorId, {})).dropNextPostbacks).toBe(0)
    expect(triedAfterReload).toBeGreaterThan(0)

    const { postbacks } = await env.server.agent<{ postbacks: { payload: string }[] }>('GET', `conversations/${conversationId}/postbacks`)
    expect(postbacks.map((postback) => postback.payload)).toEqual(['HANDOFF'])
    expect((await serverMessages(env.server, conversationId)).filter((m) => m.author.role === 'bot' && m.text.includes(HANDOFF))).toHaveLength(1)
    // Never shown: no message of the visitor says it, and the greeting's quick replies are gone.
    expect(await messages(page, 'visitor').filter({ hasText: 'Talk to a person' }).count()).toBe(0)
    expect(await botSaying(page, GREETING).getByTestId('quick-replies').count()).toBe(0)
    await page.getByTestId('blocked').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('paints the cards, the submitted form and the rating from the device, offline', async () => {
    const page = await greeted()
    const context = page.context()
    await botSaying(page, GREETING).getByRole('button', { name: 'See plans' }).click()
    await cardsOf(page).waitFor()
    await send(page, 'Where is my order?')
    await orderFormOf(page).waitFor()
    await submitOrder(page)
    await botSaying(page, `Updates go to ${ORDER.email}`).waitFor()
    await closeConversation(await conversationOfPage(page))
    await ratingOf(page).waitFor()
    await rateFour(page, 'Offline and fine')
    await sent(page, 'Offline and fine').waitFor()

    // The site's own files as the browser had them (a cache would give them); the chat server is
    // out of reach: every request to it fails, as the device is offline.
    const files = new Map<string, { body: Buffer; contentType: string }>()
    for (const path of ['/', '/confab.js', '/confab-core.js', '/confab-pane.js', ...['basic', 'pro', 'team'].map((plan) => `/assets/plan-${plan}.svg`)]) {
      const answer = await fetch(`${env.server.url}${path}`)
      files.set(path, { body: Buffer.from(await answer.arrayBuffer()), contentType: answer.headers.get('content-type') ?? '' })
    }
    const reached: string[] = []
    await context.setOffline(true)
    await context.route('**/*', (route) => {
      const path = new URL(route.request().url()).pathname
      const file = files.get(path)
      if (!file) {
        reached.push(path)
        return route.abort('internetdisconnected')
      }
      return route.fulfill({ status: 200, contentType: file.contentType, body: file.body })
    })
    await page.reload()
    await page.getByTestId('launcher').click()

    const cards = cardsOf(page)
    await cards.waitFor()
    expect(await cards.getByTestId('card').locator('b').allTextContents()).toEqual(['Basic', 'Pro', 'Team'])
    expect(await cards.getByRole('button', { name: 'Buy for €25' }).count()).toBe(1)
    await poll(() => cards.locator('img').first().evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
    const form = orderFormOf(page)
    await form.getByTestId('form-submitted').waitFor()
    expect([await form.getByLabel('Order number').inputValue(), await form.getByLabel('Email').inputValue()]).toEqual([ORDER.order, ORDER.email])
    expect(await messages(page, 'visitor').getByTestId('form-response').innerText()).toContain(ORDER.order)
    expect(await ratingOf(page).getByTestId('rating-given').innerText()).toBe('4 out of 5\nOffline and fine')
    expect(await sent(page, 'Offline and fine').getByTestId('rating-response').count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    // The page had every file of the site; all it asked of the chat server failed.
    expect(reached.filter((path) => !path.startsWith('/v1/'))).toEqual([])
    await context.close()
  })
})
