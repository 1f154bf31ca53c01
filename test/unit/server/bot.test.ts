import { describe, expect, it, vi } from 'vitest'
import { signature } from '../../../examples/server/hook.js'
import { needed } from '../../../examples/bot/flows.js'
import { agentSend, sleep, visitor, type Message, type TestServer, type TestVisitor } from './helpers.js'
import { BOT_SECRET, serverWithDemoBot } from './hook-helpers.js'

const history = async (server: TestServer, v: TestVisitor): Promise<Message[]> =>
  (await server.call('GET', `/v1/conversations/${v.conversation.id}/messages?limit=100`, { token: v.token })).body.messages

/** The bot's messages, once there are `count` of them. */
async function botSaid(server: TestServer, v: TestVisitor, count: number): Promise<Message[]> {
  let said: Message[] = []
  await vi.waitFor(
    async () => {
      said = (await history(server, v)).filter((m) => m.author.role === 'bot')
      expect(said.length).toBeGreaterThanOrEqual(count)
    },
    { timeout: 3000, interval: 20 }
  )
  return said
}

/** Send as the visitor: the text, and the rest of the content. */
const write = (server: TestServer, v: TestVisitor, content: object) =>
  server.call('POST', `/v1/conversations/${v.conversation.id}/messages`, {
    token: v.token,
    body: { clientId: crypto.randomUUID(), ...content }
  })

/** A visitor who said hello, and the bot's greeting that answered. */
async function greeted(server: TestServer): Promise<{ v: TestVisitor; greeting: Message }> {
  const v = await visitor(server)
  await v.send('Hello')
  const [greeting] = await botSaid(server, v, 1)
  return { v, greeting: greeting! }
}

/** Use a quick reply of `message`, as the widget does: a visible message that names it. */
function choose(server: TestServer, v: TestVisitor, message: Message, id: string) {
  const reply = message.replies!.find((r) => r.id === id)!
  return write(server, v, { text: reply.label, replyTo: { messageId: message.id, actionId: id } })
}

describe('demo bot behind the bot hook', () => {
  it("greets the visitor's first words with quick replies, one of them a postback to a person", async () => {
    const { server } = await serverWithDemoBot()
    const { v, greeting } = await greeted(server)
    expect((await history(server, v)).map((m) => m.text)).toEqual(['Hello', greeting.text])
    expect(greeting.author).toEqual({ role: 'bot', name: 'Confab bot' })
    expect(greeting.replies).toEqual([
      { type: 'reply', id: 'track', label: 'Track an order' },
      { type: 'reply', id: 'plans', label: 'See plans' },
      { type: 'postback', id: 'handoff', label: 'Talk to a person', payload: 'HANDOFF' }
    ])
  })

  it('says nothing as a conversation starts, before the visitor wrote', async () => {
    const { server } = await serverWithDemoBot()
    const v = await visitor(server)
    await sleep(150)
    expect(await history(server, v)).toEqual([])
  })

  it('answers first words that ask for something it knows without a greeting', async () => {
    const { server } = await serverWithDemoBot()
    const v = await visitor(server)
    await v.send('Where is my order?')
    const [answer] = await botSaid(server, v, 1)
    expect(answer!.metadata).toEqual({ flow: 'order-form' })
  })

  it('shows the plans as a carousel of cards with a link and a buy action with amount and currency', async () => {
    const { server } = await serverWithDemoBot()
    const { v, greeting } = await greeted(server)
    await choose(server, v, greeting, 'plans')
    const plans = (await botSaid(server, v, 2))[1]!
    expect(plans.text).toMatch(/Basic \(€9 a month\), Pro \(€25 a month\), Team \(€79 a month\)/)
    const cards = plans.parts![0]!
    expect(cards).toMatchObject({ type: 'cards', layout: 'carousel' })
    expect(cards.type === 'cards' && cards.items[1]).toMatchObject({
      title: 'Pro',
      imageUrl: `${server.url}/assets/plan-pro.svg`,
      actions: [
        { type: 'link', id: 'pro-details', url: 'https://example.com/plans/pro' },
        { type: 'host', id: 'pro-buy', name: 'buy', data: { plan: 'pro', amount: 2500, currency: 'EUR' } }
      ]
    })
    const picture = await fetch(`${server.url}/assets/plan-pro.svg`)
    expect([picture.status, picture.headers.get('content-type')]).toEqual([200, 'image/svg+xml; charset=utf-8'])
  })

  it('looks an order up with a form and answers with the order number given', async () => {
    const { server } = await serverWithDemoBot()
    const { v, greeting } = await greeted(server)
    await choose(server, v, greeting, 'track')
    const form = (await botSaid(server, v, 2))[1]!
    expect(form.parts![0]).toMatchObject({
      type: 'form',
      fields: [
        { name: 'order', type: 'text', required: true },
        { name: 'email', type: 'email', required: true }
      ]
    })
    const fields = [
      { name: 'order', label: 'Order number', value: 'A-1042' },
      { name: 'email', label: 'Email', value: 'ann@example.com' }
    ]
    await write(server, v, { text: 'Order number: A-1042\nEmail: ann@example.com', parts: [{ type: 'form-response', fields }], replyTo: { messageId: form.id } })
    const status = (await botSaid(server, v, 3))[2]!
    expect(status.text).toMatch(/^Order \*\*A-1042\*\* (has shipped|is being packed|was delivered)[^.]*\. Updates go to ann@example\.com\.$/)
  })

  it('shows an order number with markdown marks as typed', async () => {
    const { server } = await serverWithDemoBot()
    const { v } = await greeted(server)
    const fields = [{ name: 'order', label: 'Order number', value: '*A_[1]*' }]
    await write(server, v, { text: 'Order number: *A_[1]*', parts: [{ type: 'form-response', fields }] })
    expect((await botSaid(server, v, 2))[1]!.text).toMatch(/^Order \*\*\\\*A\\_\\\[1\\\]\\\*\*\* /)
  })

  it('asks a question that blocks the composer after the "Talk to a person" postback, then hands over', async () => {
    const { server } = await serverWithDemoBot()
    const { v, greeting } = await greeted(server)
    const path = `/v1/conversations/${v.conversation.id}/postbacks`
    await server.call('POST', path, { token: v.token, body: { clientId: 'p1', payload: 'HANDOFF', messageId: greeting.id, actionId: 'handoff' } })
    const question = (await botSaid(server, v, 2))[1]!
    expect(question.blockComposer).toBe(true)
    expect(question.replies!.map((r) => r.id)).toEqual(['handoff-order', 'handoff-other'])
    await choose(server, v, question, 'handoff-other')
    expect((await botSaid(server, v, 3))[2]!.text).toMatch(/An agent will answer here soon/)
  })

  it('answers a postback once when the visitor sends it again', async () => {
    const { server } = await serverWithDemoBot()
    const { v } = await greeted(server)
    const path = `/v1/conversations/${v.conversation.id}/postbacks`
    for (let i = 0; i < 3; i++) await server.call('POST', path, { token: v.token, body: { clientId: 'p1', payload: 'HANDOFF' } })
    await botSaid(server, v, 2)
    await sleep(150)
    expect((await history(server, v)).filter((m) => m.author.role === 'bot')).toHaveLength(2)
  })

  it('answers a delivery the hook sends twice once', async () => {
    const { server, bot } = await serverWithDemoBot()
    const { v } = await greeted(server)
    const conversation = (await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })).body
    const raw = JSON.stringify({ id: 'd_again', type: 'postback', createdAt: 1, conversation, postback: { payload: 'HANDOFF' } })
    const deliver = () =>
      fetch(bot.url, { method: 'POST', headers: { 'x-confab-signature-256': signature(BOT_SECRET, raw) }, body: raw })
    expect((await deliver()).status).toBe(204)
    expect((await deliver()).status).toBe(204)
    expect((await history(server, v)).filter((m) => m.author.role === 'bot')).toHaveLength(2)
  })

  it('refuses a delivery whose signature does not match with 401, and does nothing', async () => {
    const { server, bot } = await serverWithDemoBot()
    const { v } = await greeted(server)
    const raw = JSON.stringify({ id: 'd_forged', type: 'conversation.closed', conversation: { id: v.conversation.id } })
    const answer = await fetch(bot.url, { method: 'POST', headers: { 'x-confab-signature-256': signature('guess', raw) }, body: raw })
    expect(answer.status).toBe(401)
    await sleep(100)
    expect((await history(server, v)).filter((m) => m.author.role === 'bot')).toHaveLength(1)
  })

  it('asks for a rating when the conversation is closed, and takes the rating', async () => {
    const { server } = await serverWithDemoBot()
    const { v } = await greeted(server)
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    const request = (await botSaid(server, v, 2))[1]!
    expect(request.parts).toEqual([{ type: 'rating', question: 'How would you rate this conversation?', comment: true }])
    const rated = await write(server, v, { text: '★★★★★', parts: [{ type: 'rating-response', score: 5 }], replyTo: { messageId: request.id } })
    expect(rated.status).toBe(201)
  })

  it('says once that an agent will answer when nobody answered a message it does not understand', async () => {
    const { server } = await serverWithDemoBot({ delayMs: 50 })
    const { v } = await greeted(server)
    await v.send('my parrot ate the invoice')
    const note = (await botSaid(server, v, 2))[1]!
    expect(note.text).toMatch(/^Thanks for your message! An agent will answer here soon\. You can close this page/)
    await v.send('hello?')
    await sleep(200)
    expect((await history(server, v)).filter((m) => m.author.role === 'bot')).toHaveLength(2)
  })

  it('stays quiet when an agent answers first', async () => {
    const { server } = await serverWithDemoBot({ delayMs: 100 })
    const { v } = await greeted(server)
    await v.send('my parrot ate the invoice')
    await agentSend(server, v.conversation.id, 'Hi, I am here')
    await sleep(250)
    expect((await history(server, v)).map((m) => m.author.role)).toEqual(['visitor', 'bot', 'visitor', 'agent'])
  })

  it('never says it when the delay is 0', async () => {
    const { server } = await serverWithDemoBot({ delayMs: 0 })
    const { v } = await greeted(server)
    await v.send('my parrot ate the invoice')
    await sleep(150)
    expect((await history(server, v)).map((m) => m.author.role)).toEqual(['visitor', 'bot', 'visitor'])
  })
})

describe('whether the visitor waits for anyone', () => {
  const at = (role: 'agent' | 'bot' | 'visitor', createdAt: number, flow?: string) =>
    ({ author: { role }, createdAt, ...(flow ? { metadata: { flow } } : {}) }) as Message
  const minutes = 60_000

  it.each<[string, Message[], boolean]>([
    ['nobody wrote', [at('visitor', 0)], true],
    ['the bot only greeted', [at('bot', 0, 'greeting'), at('visitor', 1)], true],
    ['the bot answered the newest message', [at('visitor', 0), at('bot', 1, 'greeting')], false],
    ['the bot already said an agent will answer', [at('bot', 0, 'waiting'), at('visitor', 1)], false],
    ['an agent wrote a minute ago', [at('agent', 59 * minutes), at('visitor', 59 * minutes + 1)], false],
    ['an agent wrote half an hour ago', [at('agent', 30 * minutes), at('visitor', 59 * minutes)], true],
    ['an agent wrote after the note', [at('bot', 0, 'waiting'), at('agent', 1), at('visitor', 2)], true]
  ])('%s: %s', (_, messages, expected) => {
    expect(needed(messages, 60 * minutes)).toBe(expected)
  })
})
