import { describe, expect, it, vi } from 'vitest'
import type { Client } from '../../../src/client/index.js'
import { createError, type ConfabError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport, type MemoryBackend } from '../../../src/testing/index.js'
import type { Action, FormPart, Message, MessageContent, OutgoingPostback, PartType, Transport } from '../../../src/transports/types.js'
import { controlledStream, setup } from './helpers.js'
import { createProfile, openPage } from './profile.js'
import { leaderAndFollower } from './tabs-helpers.js'

const IMAGE = { type: 'image', url: 'https://cdn.example.com/receipt.png', alt: 'My receipt', width: 400, height: 300 } as const

/** The memory transport on `backend`, carrying only the part types `content` lists. */
const carrying = (backend: MemoryBackend, content: PartType[]): Transport => {
  const inner = createMemoryTransport({ backend })
  return { ...inner, capabilities: { ...inner.capabilities, content } }
}

/** A connected client with a conversation, and the errors it reported. */
async function started(options: Parameters<typeof setup>[0] = {}) {
  const ready = setup(options)
  const errors: ConfabError[] = []
  ready.client.on('error', (error) => void errors.push(error))
  await ready.client.connect()
  const { id } = await ready.client.startConversation()
  return { ...ready, id, errors }
}

/** Post `content` as the agent and resolve with the message once `client` shows it. */
async function agentSays(backend: MemoryBackend, client: Client, id: string, content: MessageContent): Promise<Message> {
  const { id: messageId } = backend.reply(id, content)
  await vi.waitFor(() => expect(client.$activeMessages.get().some((m) => m.id === messageId)).toBe(true))
  return client.$activeMessages.get().find((m) => m.id === messageId)!
}

/** Every postback still in the client's store, in any conversation. */
const waitingPostbacks = (client: Client) => Object.values(client.$messages.get()).flatMap((list) => list.filter((m) => m.postback))

const QUESTION: MessageContent = {
  text: 'Which plan?',
  replies: [
    { type: 'reply', id: 'basic', label: 'Basic please' },
    { type: 'postback', id: 'human', label: 'Talk to a person', payload: 'HANDOFF' }
  ],
  actions: [
    { type: 'link', id: 'guide', label: 'Compare plans', url: 'https://example.com/plans' },
    { type: 'host', id: 'buy', label: 'Buy Pro', name: 'buy', data: { amount: 2500, currency: 'EUR' } }
  ]
}

const action = (message: Message, id: string): Action => [...(message.replies ?? []), ...(message.actions ?? [])].find((a) => a.id === id)!

describe('send(content)', () => {
  it('shows the echo with its parts at once, and delivers them', async () => {
    const { client, backend, id } = await started()
    const content = { text: 'Here is my receipt', parts: [IMAGE], metadata: { order: 'A-1' } }
    const sending = client.send(content)
    await vi.waitFor(() => expect(client.$activeMessages.get()).toEqual([expect.objectContaining({ ...content, status: expect.stringMatching(/queued|sending/) })]))
    expect(await sending).toMatchObject({ ...content, status: 'sent' })
    expect(backend.messages(id)).toEqual([expect.objectContaining(content)])
  })

  it('rejects metadata over 4 KB with invalid-argument naming the limit, and shows and sends nothing', async () => {
    const { client, backend, id } = await started()
    const sending = client.send({ text: 'Hi', metadata: { blob: 'x'.repeat(5000) } })
    await expect(sending).rejects.toMatchObject({ code: 'invalid-argument', message: '"metadata" is larger than 4096 bytes as JSON' })
    expect(client.$activeMessages.get()).toEqual([])
    expect(backend.messages(id)).toEqual([])
  })

  it('rejects a visitor sending cards with invalid-argument', async () => {
    const { client } = await started()
    const cards = { type: 'cards', layout: 'list', items: [{ title: 'Mine' }] }
    await expect(client.send({ text: 'Look', parts: [cards] } as never)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '"parts[0].type" cards is sent by agents and bots, not by visitors'
    })
  })

  it('rejects text over 5,000 characters, naming the limit', async () => {
    const { client } = await started()
    await expect(client.send('a'.repeat(5001))).rejects.toMatchObject({ code: 'invalid-argument', message: '"text" is longer than 5000 characters' })
  })

  it('leaves out parts the transport does not carry and sends the text', async () => {
    const backend = createMemoryBackend()
    const { client, id } = await started({ backend, transport: carrying(backend, ['file']) })
    const sent = await client.send({ text: 'Here is my receipt', parts: [IMAGE] })
    expect(sent.parts).toBeUndefined()
    expect(backend.messages(id)).toEqual([expect.objectContaining({ text: 'Here is my receipt' })])
    expect(backend.messages(id)[0]!.parts).toBeUndefined()
  })
})

describe('act()', () => {
  it('sends a quick reply as a visible message answering it', async () => {
    const { client, backend, id } = await started()
    const question = await agentSays(backend, client, id, QUESTION)
    await client.act(question, action(question, 'basic'))
    const answer = backend.messages(id).at(-1)!
    expect(answer).toMatchObject({ text: 'Basic please', author: { role: 'visitor' }, replyTo: { messageId: question.id, actionId: 'basic' } })
    expect(client.$activeMessages.get().at(-1)).toMatchObject({ id: answer.id, status: 'sent', replyTo: answer.replyTo })
  })

  it('delivers a postback once, and it is not in the store once delivered', async () => {
    const { client, backend, id } = await started()
    const question = await agentSays(backend, client, id, QUESTION)
    await client.act(question, action(question, 'human'))
    expect(backend.postbacks(id)).toEqual([{ clientId: expect.any(String), payload: 'HANDOFF', messageId: question.id, actionId: 'human' }])
    expect(backend.messages(id)).toHaveLength(1)
    expect(waitingPostbacks(client)).toEqual([])
    expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['Which plan?'])
  })

  it('never shows a postback in the open thread while it waits to go', async () => {
    const backend = createMemoryBackend()
    const inner = createMemoryTransport({ backend })
    let deliver!: () => void
    const held: Transport = { ...inner, postback: (id, p) => new Promise<void>((resolve) => (deliver = resolve)).then(() => inner.postback!(id, p)) }
    const { client, id } = await started({ backend, transport: held })
    const question = await agentSays(backend, client, id, QUESTION)
    const acting = client.act(question, action(question, 'human'))
    await vi.waitFor(() => expect(waitingPostbacks(client)).toEqual([expect.objectContaining({ status: 'sending' })]))
    expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['Which plan?'])
    deliver()
    await acting
    expect(backend.postbacks(id)).toHaveLength(1)
  })

  it('delivers a postback whose answer was lost exactly once', async () => {
    const { client, backend, id } = await started()
    const question = await agentSays(backend, client, id, QUESTION)
    backend.failNextSends(1, undefined, { stored: true })
    await client.act(question, action(question, 'human'))
    expect(backend.postbacks(id)).toHaveLength(1)
    expect(waitingPostbacks(client)).toEqual([])
  })

  it('keeps a postback in the outbox across a reload, and the next page delivers it once', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const hanging = createMemoryTransport({ backend })
    const page1 = openPage(profile, { ...hanging, postback: () => new Promise<void>(() => undefined) })
    await page1.connect()
    const { id } = await page1.startConversation()
    const question = await agentSays(backend, page1, id, QUESTION)
    void page1.act(question, action(question, 'human'))
    const person = `v-${page1.$session.get()!.visitorId}`
    const entry = { postback: { payload: 'HANDOFF', messageId: question.id, actionId: 'human' }, status: 'queued' }
    await vi.waitFor(async () => expect(await profile.outbox(person)).toEqual([expect.objectContaining(entry)]))

    const delivered: OutgoingPostback[] = []
    const second = createMemoryTransport({ backend })
    const page2 = openPage(profile, { ...second, postback: (conversationId, postback) => (delivered.push(postback), second.postback!(conversationId, postback)) })
    await page2.connect()
    await vi.waitFor(() => expect(backend.postbacks(id)).toHaveLength(1))
    expect(delivered.map((p) => p.clientId)).toEqual(backend.postbacks(id).map((p) => p.clientId))
    await vi.waitFor(async () => expect(await profile.outbox(person)).toEqual([]))
    expect(waitingPostbacks(page2)).toEqual([])
    expect(page2.$activeMessages.get().map((m) => m.text)).toEqual(['Which plan?'])
  })

  it("rejects a postback with 'unsupported' when the transport has no postback(), and keeps nothing", async () => {
    const backend = createMemoryBackend()
    const { postback: _postback, ...plain } = createMemoryTransport({ backend })
    const { client, id } = await started({ backend, transport: plain })
    const question = await agentSays(backend, client, id, QUESTION)
    await expect(client.act(question, action(question, 'human'))).rejects.toMatchObject({ code: 'unsupported' })
    expect(waitingPostbacks(client)).toEqual([])
  })

  it('rejects a postback the backend refuses, and leaves nothing behind', async () => {
    const { client, backend, id } = await started()
    const question = await agentSays(backend, client, id, QUESTION)
    backend.closeConversation(id)
    await expect(client.act(question, action(question, 'human'))).rejects.toMatchObject({ message: expect.stringMatching(/closed/) })
    expect(waitingPostbacks(client)).toEqual([])
    expect(backend.postbacks(id)).toEqual([])
  })

  it('emits an action event for a link and for a host action, and sends nothing', async () => {
    const { client, backend, id } = await started()
    const question = await agentSays(backend, client, id, QUESTION)
    const seen: string[] = []
    client.on('action', ({ action: used, message }) => void seen.push(`${used.type} ${used.id} of ${message.id}`))
    await client.act(question, action(question, 'guide'))
    await client.act(question, action(question, 'buy'))
    expect(seen).toEqual([`link guide of ${question.id}`, `host buy of ${question.id}`])
    expect(backend.messages(id)).toHaveLength(1)
    expect(backend.postbacks(id)).toEqual([])
  })
})

const FORM: FormPart = {
  type: 'form',
  fields: [
    { name: 'order', label: 'Order number', type: 'text', required: true, maxLength: 10 },
    { name: 'email', label: 'Email', type: 'email' },
    { name: 'quantity', label: 'How many', type: 'number', min: 1, max: 10 },
    { name: 'size', label: 'Size', type: 'select', options: [{ value: 's', label: 'Small' }, { value: 'l', label: 'Large' }] },
    { name: 'topics', label: 'Topics', type: 'multiselect', required: true, options: [{ value: 'billing', label: 'Billing' }, { value: 'delivery', label: 'Delivery' }] }
  ]
}

describe('submitForm()', () => {
  const valid = { order: 'A-1', topics: ['billing'] }

  it.each([
    ['a required field left empty', { ...valid, order: '  ' }, 'Order number: required'],
    ['a required multiselect with nothing chosen', { ...valid, topics: [] }, 'Topics: choose at least one'],
    ['an answer longer than the field allows', { ...valid, order: 'A-1234567890' }, 'Order number: at most 10 characters'],
    ['an email address without a domain', { ...valid, email: 'ann@' }, 'Email: not an email address'],
    ['a number below the minimum', { ...valid, quantity: '0' }, 'How many: at least 1'],
    ['a number above the maximum', { ...valid, quantity: '11' }, 'How many: at most 10'],
    ['words for a number', { ...valid, quantity: 'two' }, 'How many: not a number'],
    ['a choice the select does not offer', { ...valid, size: 'xl' }, 'Size: not one of the choices'],
    ['a choice the multiselect does not offer', { ...valid, topics: ['billing', 'refunds'] }, 'Topics: not one of the choices'],
    ['two answers to a select', { ...valid, size: ['s', 'l'] }, 'Size: one answer only']
  ])('refuses %s, naming the field, and sends nothing', async (_case, values, message) => {
    const { client, backend, id } = await started()
    const form = await agentSays(backend, client, id, { text: 'Tell us about the order', parts: [FORM] })
    await expect(client.submitForm(form, values)).rejects.toMatchObject({ code: 'invalid-argument', message })
    expect(backend.messages(id)).toHaveLength(1)
  })

  it('sends a form response with readable text, the values, and the form it answers', async () => {
    const { client, backend, id } = await started()
    const form = await agentSays(backend, client, id, { text: 'Tell us about the order', parts: [FORM] })
    const sent = await client.submitForm(form, { order: ' A-1 ', email: 'ann@example.com', quantity: '2', size: 'l', topics: ['billing', 'delivery'] })
    expect(sent.status).toBe('sent')
    expect(backend.messages(id).at(-1)).toMatchObject({
      text: 'Order number: A-1\nEmail: ann@example.com\nHow many: 2\nSize: Large\nTopics: Billing, Delivery',
      parts: [
        {
          type: 'form-response',
          fields: [
            { name: 'order', label: 'Order number', value: 'A-1' },
            { name: 'email', label: 'Email', value: 'ann@example.com' },
            { name: 'quantity', label: 'How many', value: '2' },
            { name: 'size', label: 'Size', value: 'l' },
            { name: 'topics', label: 'Topics', value: ['billing', 'delivery'] }
          ]
        }
      ],
      replyTo: { messageId: form.id }
    })
  })

  it('takes a number for a number field, as a script may pass one', async () => {
    const { client, backend, id } = await started()
    const form = await agentSays(backend, client, id, { text: 'Tell us about the order', parts: [FORM] })
    await client.submitForm(form, { ...valid, quantity: 3 } as never)
    expect(backend.messages(id).at(-1)!.parts).toEqual([expect.objectContaining({ fields: expect.arrayContaining([{ name: 'quantity', label: 'How many', value: '3' }]) })])
  })

  it('sends the answers as text only where the transport does not carry form responses', async () => {
    const backend = createMemoryBackend()
    const { client, id } = await started({ backend, transport: carrying(backend, ['form']) })
    const form = await agentSays(backend, client, id, { text: 'Tell us about the order', parts: [FORM] })
    await client.submitForm(form, valid)
    expect(backend.messages(id).at(-1)).toMatchObject({ text: 'Order number: A-1\nTopics: Billing', replyTo: { messageId: form.id } })
    expect(backend.messages(id).at(-1)!.parts).toBeUndefined()
  })

  it('sends long answers to many fields whole, with their text fallback cut to the limit', async () => {
    const { client, backend, id } = await started()
    const fields = Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, label: `Field ${i}`, type: 'text' as const }))
    const form = await agentSays(backend, client, id, { text: 'Tell us everything', parts: [{ type: 'form', fields }] })
    const values = Object.fromEntries(fields.map((f) => [f.name, 'y'.repeat(1000)]))
    expect(await client.submitForm(form, values)).toMatchObject({ status: 'sent' })
    const stored = backend.messages(id).at(-1)!
    expect(stored.text).toHaveLength(5000)
    expect(stored.text.endsWith('…')).toBe(true)
    expect(stored.parts![0]).toMatchObject({ type: 'form-response', fields: fields.map((f) => ({ name: f.name, value: 'y'.repeat(1000) })) })
  })

  it('refuses a message that has no form', async () => {
    const { client, backend, id } = await started()
    const plain = await agentSays(backend, client, id, { text: 'Just words' })
    await expect(client.submitForm(plain, {})).rejects.toMatchObject({ code: 'invalid-argument', message: `Message ${plain.id} has no form` })
  })
})

describe('rate()', () => {
  it('sends a rating response with its stars as text, answering the request', async () => {
    const { client, backend, id } = await started()
    const request = await agentSays(backend, client, id, { text: 'How did we do?', parts: [{ type: 'rating', comment: true }] })
    await client.rate(request, 4, '  Quick and kind ')
    expect(backend.messages(id).at(-1)).toMatchObject({
      text: '★★★★☆ 4 out of 5\nQuick and kind',
      parts: [{ type: 'rating-response', score: 4, comment: 'Quick and kind' }],
      replyTo: { messageId: request.id }
    })
  })

  it('refuses a score outside 1 to 5, and a message that asks for no rating', async () => {
    const { client, backend, id } = await started()
    const request = await agentSays(backend, client, id, { text: 'How did we do?', parts: [{ type: 'rating' }] })
    await expect(client.rate(request, 6)).rejects.toMatchObject({ code: 'invalid-argument', message: 'A rating is a whole number from 1 to 5' })
    await expect(client.rate(request, 2.5)).rejects.toMatchObject({ code: 'invalid-argument' })
    const plain = await agentSays(backend, client, id, { text: 'Bye' })
    await expect(client.rate(plain, 5)).rejects.toMatchObject({ code: 'invalid-argument', message: `Message ${plain.id} asks for no rating` })
    expect(backend.messages(id)).toHaveLength(2)
  })

  it('refuses a comment over 1,000 characters, naming the limit', async () => {
    const { client, backend, id } = await started()
    const request = await agentSays(backend, client, id, { text: 'How did we do?', parts: [{ type: 'rating', comment: true }] })
    await expect(client.rate(request, 5, 'z'.repeat(1001))).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '"parts[0].comment" is longer than 1000 characters'
    })
  })
})

describe('content from the backend', () => {
  it('drops a malformed part with an error event, and keeps the message, its text and its other parts', async () => {
    const { client, backend, id, errors } = await started()
    const file = { type: 'file', url: 'https://cdn.example.com/guide.pdf', name: 'guide.pdf' }
    const { id: messageId } = backend.replyUnchecked(id, { text: 'Two attachments', parts: [{ type: 'image', url: 'javascript:alert(1)' }, file] })
    await vi.waitFor(() => expect(client.$activeMessages.get().map((m) => m.id)).toEqual([messageId]))
    expect(client.$activeMessages.get()[0]).toMatchObject({ text: 'Two attachments', parts: [file] })
    expect(errors).toEqual([expect.objectContaining({ code: 'malformed-event', message: expect.stringContaining('"parts[0].url" must be a URL starting with https: or http:') })])
  })

  it('shows a part type the transport does not declare as its text, and reports it', async () => {
    const backend = createMemoryBackend()
    const { client, id, errors } = await started({ backend, transport: carrying(backend, []) })
    backend.reply(id, { text: 'Our boots: https://shop.example/boots', parts: [{ type: 'cards', layout: 'list', items: [{ title: 'Boots' }] }] })
    await vi.waitFor(() => expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['Our boots: https://shop.example/boots']))
    expect(client.$activeMessages.get()[0]!.parts).toBeUndefined()
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('is cards, which this transport does not carry')])
  })

  it('cleans what history brings as it cleans events', async () => {
    const backend = createMemoryBackend()
    const first = await started({ backend })
    backend.replyUnchecked(first.id, { text: 'Pick one', replies: [{ type: 'reply', id: 'a', label: 'A' }, { type: 'reply', id: 'b' }] })
    first.client.transport.close()
    const { resumeKey } = first.client.$session.get()!
    const second = setup({ backend })
    const errors: ConfabError[] = []
    second.client.on('error', (error) => void errors.push(error))
    second.device.keys.set(resumeKey!)
    await second.client.connect()
    await second.client.openConversation(first.id)
    expect(second.client.$activeMessages.get()).toEqual([expect.objectContaining({ text: 'Pick one', replies: [{ type: 'reply', id: 'a', label: 'A' }] })])
    expect(errors.map((e) => e.code)).toContain('malformed-event')
  })

  it('reports a message once however often it comes back', async () => {
    const stream = controlledStream()
    const { client, backend, id, errors } = await started({ backend: stream.inner.backend, transport: stream.transport })
    const message = backend.replyUnchecked(id, { text: 'Pick one', replies: [{ type: 'reply', id: 'b' }] })
    await vi.waitFor(() => expect(client.$activeMessages.get().map((m) => m.id)).toEqual([message.id]))
    stream.emit({ type: 'message', message })
    stream.emit({ type: 'conversation', conversation: backend.conversations()[0]! })
    await client.loadOlder(id)
    expect(errors.filter((e) => e.code === 'malformed-event')).toHaveLength(1)
  })

  it('keeps a message that came without text, with a placeholder, and reports it', async () => {
    const { client, backend, id, errors } = await started()
    backend.replyUnchecked(id, { parts: [IMAGE] })
    await vi.waitFor(() => expect(client.$activeMessages.get()).toEqual([expect.objectContaining({ text: '…', parts: [IMAGE] })]))
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('"text" is missing')])
  })
})

describe('rich messages on the device', () => {
  it('paints them from the cache offline, every field intact', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const online = openPage(profile, createMemoryTransport({ backend }))
    await online.connect()
    const { id } = await online.startConversation()
    await agentSays(backend, online, id, { ...QUESTION, parts: [{ type: 'rating', question: 'Happy?', comment: true }], metadata: { step: 2 } })
    await online.send({ text: 'My receipt', parts: [IMAGE] })
    const shown = online.$activeMessages.get()
    online.transport.close()

    const down = createMemoryTransport({ backend })
    const offline = openPage(profile, { ...down, connect: () => Promise.reject(createError('network', 'offline')) })
    void offline.connect().catch(() => undefined)
    await vi.waitFor(() => expect(offline.$activeMessages.get()).toEqual(shown))
  })
})

describe('postbacks between tabs', () => {
  it('delivers a follower’s postback once, through the leader, and removes it in both tabs', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    const { id: messageId } = browser.backend.reply(conversation.id, QUESTION)
    await vi.waitFor(() => expect(follower.client.$activeMessages.get().map((m) => m.id)).toEqual([messageId]))
    const question = follower.client.$activeMessages.get()[0]!
    const fromFollower = vi.spyOn(follower.transport, 'postback')
    await follower.client.act(question, action(question, 'human'))
    expect(fromFollower).not.toHaveBeenCalled()
    expect(browser.backend.postbacks(conversation.id)).toEqual([expect.objectContaining({ payload: 'HANDOFF', messageId })])
    await vi.waitFor(() => expect(waitingPostbacks(leader.client)).toEqual([]))
    expect(waitingPostbacks(follower.client)).toEqual([])
    expect(browser.backend.messages(conversation.id)).toHaveLength(1)
  })

  it('delivers a postback left in the outbox once, by the tab that takes over', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    const { id: messageId } = browser.backend.reply(conversation.id, QUESTION)
    await vi.waitFor(() => expect(follower.client.$activeMessages.get().map((m) => m.id)).toEqual([messageId]))
    const question = follower.client.$activeMessages.get()[0]!
    // The leader takes the postback, then hangs before the backend answers.
    const hung = vi.spyOn(leader.transport, 'postback').mockImplementation(() => new Promise(() => undefined))
    const acting = follower.client.act(question, action(question, 'human'))
    await vi.waitFor(() => expect(hung).toHaveBeenCalledOnce())
    leader.leadership.set(false)
    follower.leadership.set(true)
    await acting
    expect(browser.backend.postbacks(conversation.id)).toHaveLength(1)
    expect(waitingPostbacks(follower.client)).toEqual([])
  })
})
