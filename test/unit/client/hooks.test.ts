import { describe, expect, it, vi } from 'vitest'
import type { Client, ClientOptions } from '../../../src/client/index.js'
import { isConfabError } from '../../../src/errors/index.js'
import type { Message } from '../../../src/transports/types.js'
import { setup } from './helpers.js'
import { createBrowser } from './tabs-helpers.js'

/** Wait for what the memory backend delivers, generously: the machine may be loaded. */
const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 5000 })

/** A customer in a conversation with `options`, and the errors their client reported. */
async function customer(options: Partial<ClientOptions> = {}) {
  const made = setup(options)
  const errors: { code: string; message: string }[] = []
  made.client.on('error', ({ code, message }) => errors.push({ code, message }))
  await made.client.connect()
  const conversation = await made.client.startConversation()
  return { ...made, errors, conversation }
}

const never = () => new Promise<never>(() => undefined)
/** Timers that wait as long as they are asked to (the helpers' fire at once): for hooks that take their time. */
const realTimers = { setTimeout: (run: () => void, ms: number) => setTimeout(run, ms), clearTimeout: (handle: unknown) => clearTimeout(handle as never) }
/** What the thread shows of a conversation, and what the stores hold of it. */
const shownTexts = (client: Client, id: string) => (client.$shown.get()[id] ?? []).map((m) => m.text)
const storedTexts = (client: Client, id: string) => (client.$messages.get()[id] ?? []).map((m) => m.text)

describe('beforeSend', () => {
  it('changes a message before it shows, and the changed one is what the backend gets', async () => {
    const { client, backend, conversation } = await customer({
      beforeSend: (draft) => ({ ...draft, text: draft.text.replace(/\d{4}( ?\d{4}){3}/, '[card number removed]') })
    })
    const sending = client.send('My card is 4111 1111 1111 1111')
    expect(storedTexts(client, conversation.id)).toEqual(['My card is [card number removed]'])
    await sending
    expect(backend.messages(conversation.id).map((m) => m.text)).toEqual(['My card is [card number removed]'])
  })

  it('shows and keeps the message in the same task when the hook answers at once', async () => {
    const { client, conversation } = await customer({ beforeSend: (draft) => draft })
    const sending = client.send('Straight away')
    expect(client.$messages.get()[conversation.id]?.map((m) => [m.text, m.status])).toEqual([['Straight away', 'queued']])
    await sending
  })

  it('cancels a message the hook answers false or null for: nothing shows, nothing goes, send() rejects', async () => {
    for (const answer of [false, null] as const) {
      const { client, backend, conversation } = await customer({ beforeSend: () => answer })
      const refusal = await client.send('Not this').catch((error: unknown) => error)
      expect(isConfabError(refusal) && refusal.code).toBe('cancelled')
      expect(storedTexts(client, conversation.id)).toEqual([])
      expect(backend.messages(conversation.id)).toEqual([])
    }
  })

  it('waits for a hook that answers with a promise, then sends what it answered', async () => {
    const { client, backend, conversation } = await customer({ beforeSend: async (draft) => ({ ...draft, text: `${draft.text} (checked)` }) })
    await client.send('Later')
    expect(backend.messages(conversation.id).map((m) => m.text)).toEqual(['Later (checked)'])
  })

  it('sends the message unchanged and reports a hook that throws, hangs or answers with garbage', async () => {
    const broken: [string, ClientOptions['beforeSend'], string][] = [
      ['throws', () => { throw new Error('oops') }, 'internal'],
      ['rejects', () => Promise.reject(new Error('oops')), 'internal'],
      ['hangs', never, 'timeout'],
      ['answers a number', () => 42 as never, 'invalid-argument'],
      ['breaks the content rules', (draft) => ({ ...draft, text: '   ' }), 'invalid-argument'],
      ['adds a part a visitor may not send', (draft) => ({ ...draft, parts: [{ type: 'rating', question: 'Rate?' }] as never }), 'invalid-argument']
    ]
    for (const [what, beforeSend, code] of broken) {
      const { client, backend, errors, conversation } = await customer({ beforeSend, hookTimeout: 20 })
      const sent = await client.send('Goes anyway')
      expect([what, sent.status, backend.messages(conversation.id).map((m) => m.text)]).toEqual([what, 'sent', ['Goes anyway']])
      expect([what, errors.map((error) => error.code)]).toEqual([what, [code]])
      expect(errors[0]!.message).toMatch(/^The beforeSend hook .*Confab went on as if it changed nothing$/)
    }
  })

  it('cannot change what a message answers, nor the draft Confab holds', async () => {
    const { client, backend, conversation } = await customer({
      beforeSend: (draft) => {
        draft.replyTo = { messageId: 'someone-else' }
        draft.text = 'Edited in place'
        return { text: 'Answer, reworded', replyTo: { messageId: 'elsewhere' } }
      }
    })
    const question = backend.reply(conversation.id, { text: 'Which size?', replies: [{ type: 'reply', id: 's', label: 'Small' }] })
    await waitFor(() => expect(storedTexts(client, conversation.id)).toEqual(['Which size?']))
    await client.act(question, question.replies![0]!)
    expect(backend.messages(conversation.id).at(-1)).toMatchObject({ text: 'Answer, reworded', replyTo: { messageId: question.id, actionId: 's' } })
  })

  it('lets a message of files go with no words when the hook takes them away', async () => {
    const { client, backend, conversation } = await customer({ beforeSend: (draft) => ({ ...draft, text: '' }) })
    const sent = await client.send({ text: 'The receipt', files: [new Blob(['%PDF-1.4'], { type: 'application/pdf' })] })
    expect(sent.status).toBe('sent')
    expect(backend.messages(conversation.id)[0]?.parts?.map((part) => part.type)).toEqual(['file'])
  })

  it('is not asked about postbacks, which show nothing', async () => {
    const beforeSend = vi.fn((draft) => draft)
    const { client, backend, conversation } = await customer({ beforeSend })
    const menu = backend.reply(conversation.id, { text: 'Menu', actions: [{ type: 'postback', id: 'talk', label: 'Talk to a person', payload: 'HANDOFF' }] })
    await waitFor(() => expect(storedTexts(client, conversation.id)).toEqual(['Menu']))
    await client.act(menu, menu.actions![0]!)
    expect(beforeSend).not.toHaveBeenCalled()
  })
})

describe('beforeDisplay', () => {
  const redact = (message: Message) => ({ ...message, text: message.text.replace(/secret/g, '******') })

  it('changes what the thread shows of a message that arrives, and keeps the stored copy as it came', async () => {
    const { client, backend, conversation } = await customer({ beforeDisplay: redact })
    backend.reply(conversation.id, 'The secret word')
    await waitFor(() => expect(shownTexts(client, conversation.id)).toEqual(['The ****** word']))
    expect(storedTexts(client, conversation.id)).toEqual(['The secret word'])
  })

  it('hides a message it answers null for: not shown, not unread, not found by search', async () => {
    const { client, backend, conversation } = await customer({
      isVisible: () => false,
      beforeDisplay: (message) => (message.metadata?.internal ? null : message)
    })
    backend.reply(conversation.id, { text: 'Routing note for agents', metadata: { internal: true } })
    backend.reply(conversation.id, 'Hello visitor')
    await waitFor(() => expect(storedTexts(client, conversation.id)).toHaveLength(2))
    expect(shownTexts(client, conversation.id)).toEqual(['Hello visitor'])
    expect(client.$unreadTotal.get()).toBe(1)
    expect(await client.search('routing')).toEqual([])
  })

  it('leaves the visitor’s own messages alone', async () => {
    const beforeDisplay = vi.fn(() => null)
    const { client, conversation } = await customer({ beforeDisplay })
    await client.send('Mine')
    expect(shownTexts(client, conversation.id)).toEqual(['Mine'])
    expect(beforeDisplay).not.toHaveBeenCalled()
  })

  it('keeps a message unseen while a hook that answers with a promise decides, then shows its answer', async () => {
    let answer!: (shown: Message) => void
    const { client, backend, conversation } = await customer({
      timers: realTimers,
      beforeDisplay: (message) => new Promise((resolve) => (answer = () => resolve(redact(message))))
    })
    backend.reply(conversation.id, 'Another secret')
    await waitFor(() => expect(storedTexts(client, conversation.id)).toHaveLength(1))
    expect(shownTexts(client, conversation.id)).toEqual([])
    answer(undefined as never)
    await waitFor(() => expect(shownTexts(client, conversation.id)).toEqual(['Another ******']))
  })

  it('shows the message unchanged and reports a hook that throws, hangs or answers with garbage', async () => {
    const broken: [string, ClientOptions['beforeDisplay'], string][] = [
      ['throws', () => { throw new Error('oops') }, 'internal'],
      ['hangs', never, 'timeout'],
      ['answers a string', () => 'hidden?' as never, 'invalid-argument'],
      ['answers content the rules refuse', (message) => ({ ...message, text: '' }), 'invalid-argument']
    ]
    for (const [what, beforeDisplay, code] of broken) {
      const { client, backend, errors, conversation } = await customer({ beforeDisplay, hookTimeout: 20 })
      backend.reply(conversation.id, 'Shown anyway')
      await waitFor(() => expect([what, shownTexts(client, conversation.id)]).toEqual([what, ['Shown anyway']]))
      expect([what, errors.map((error) => error.code)]).toEqual([what, [code]])
    }
  })

  it('asks once per message, however many times it is read again', async () => {
    const beforeDisplay = vi.fn(redact)
    const { client, backend, conversation } = await customer({ beforeDisplay })
    backend.reply(conversation.id, 'A secret')
    await waitFor(() => expect(shownTexts(client, conversation.id)).toEqual(['A ******']))
    await client.openConversation(null)
    await client.openConversation(conversation.id)
    client.$shown.get()
    expect(beforeDisplay).toHaveBeenCalledTimes(1)
  })

  it('applies the same in every tab, to what another tab relayed and to history painted from the device', async () => {
    const browser = createBrowser()
    const options = { beforeDisplay: redact }
    const leader = browser.open(true, {}, options)
    await leader.client.connect()
    const conversation = await leader.client.startConversation()
    const follower = browser.open(false, {}, options)
    await follower.client.connect()
    await follower.client.openConversation(conversation.id)
    browser.backend.reply(conversation.id, 'The secret plan')
    for (const tab of [leader, follower]) await waitFor(() => expect(shownTexts(tab.client, conversation.id)).toEqual(['The ****** plan']))
    // A tab opened later paints the thread from the device before the backend answers.
    const later = browser.open(false, {}, options)
    const connect = later.transport.connect
    later.transport.connect = () => never()
    void later.client.connect()
    await waitFor(() => expect(storedTexts(later.client, conversation.id)).toEqual(['The secret plan']))
    expect(shownTexts(later.client, conversation.id)).toEqual(['The ****** plan'])
    later.transport.connect = connect
  })
})

describe('onAction', () => {
  it('hands host actions to the page and resolves act() once the page has taken it', async () => {
    const handled: string[] = []
    let taken!: () => void
    const { client, backend, conversation } = await customer({
      timers: realTimers,
      onAction: (action, message) =>
        new Promise<void>((resolve) => {
          handled.push(`${action.name} ${JSON.stringify(action.data)} from ${message.id}`)
          taken = resolve
        })
    })
    const offer = backend.reply(conversation.id, {
      text: 'Pro plan',
      actions: [{ type: 'host', id: 'buy', label: 'Buy for €25', name: 'buy', data: { amount: 2500, currency: 'EUR' } }]
    })
    await waitFor(() => expect(storedTexts(client, conversation.id)).toEqual(['Pro plan']))
    let done = false
    const acting = client.act(offer, offer.actions![0]!).then(() => (done = true))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect([handled, done]).toEqual([[`buy {"amount":2500,"currency":"EUR"} from ${offer.id}`], false])
    taken()
    await acting
    expect(backend.messages(conversation.id)).toHaveLength(1)
  })

  it('reports a handler that throws or hangs, and act() still resolves', async () => {
    for (const [onAction, code] of [[() => { throw new Error('no checkout') }, 'internal'], [never, 'timeout']] as const) {
      const { client, backend, errors, conversation } = await customer({ onAction, hookTimeout: 20 })
      const offer = backend.reply(conversation.id, { text: 'Buy?', actions: [{ type: 'host', id: 'buy', label: 'Buy', name: 'buy' }] })
      await waitFor(() => expect(storedTexts(client, conversation.id)).toHaveLength(1))
      await client.act(offer, offer.actions![0]!)
      expect(errors.map((error) => error.code)).toEqual([code])
    }
  })

  it('is not handed links, replies or postbacks', async () => {
    const onAction = vi.fn()
    const { client, backend, conversation } = await customer({ onAction })
    const message = backend.reply(conversation.id, { text: 'Guide', actions: [{ type: 'link', id: 'docs', label: 'Open', url: 'https://example.com' }] })
    await waitFor(() => expect(storedTexts(client, conversation.id)).toHaveLength(1))
    await client.act(message, message.actions![0]!)
    expect(onAction).not.toHaveBeenCalled()
  })
})
