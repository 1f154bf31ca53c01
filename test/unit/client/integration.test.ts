import { describe, expect, it, vi } from 'vitest'
import type { Client, ClientOptions, IntegrationEvent } from '../../../src/client/index.js'
import { forwardToDataLayer } from '../../../src/client/integration.js'
import { setup } from './helpers.js'
import { createBrowser } from './tabs-helpers.js'

/** Wait for what the memory backend delivers, generously: the machine may be loaded. */
const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 5000 })

/** Every event of a client's stream, as `'*'` hands them out. */
function record(client: Client) {
  const events: IntegrationEvent[] = []
  client.events.on('*', (event) => events.push(event))
  return events
}

const types = (events: IntegrationEvent[]) => events.map((event) => event.type)
const ofType = <T extends IntegrationEvent['type']>(events: IntegrationEvent[], type: T) =>
  events.filter((event) => event.type === type) as unknown as IntegrationEvent<T>[]

/** A customer with a conversation, whose stream is recorded from the start. */
async function customer(options: Partial<ClientOptions> = {}) {
  const made = setup(options)
  const events = record(made.client)
  await made.client.connect()
  const conversation = await made.client.startConversation()
  return { ...made, events, conversation }
}

/** Tabs of one browser, each recording its stream, the first one leading; the last conversation the leader started. */
async function tabs(count: number, options: Partial<ClientOptions> = {}) {
  const browser = createBrowser()
  const opened = Array.from({ length: count }, (_, i) => browser.open(i === 0, {}, options))
  const streams = opened.map((tab) => record(tab.client))
  await opened[0]!.client.connect()
  const conversation = await opened[0]!.client.startConversation()
  for (const tab of opened.slice(1)) {
    await tab.client.connect()
    await tab.client.openConversation(conversation.id)
  }
  const all = () => streams.flat()
  return { browser, tabs: opened, streams, all, conversation }
}

describe('the integration event stream', () => {
  it('puts each event in an envelope: id, type, time, source, conversation and message', async () => {
    const { client, backend, events, conversation } = await customer({ now: () => 1_767_225_600_000 })
    const reply = backend.reply(conversation.id, { text: 'Hello, how can we help?', actions: [{ type: 'reply', id: 'ok', label: 'OK' }] })
    await waitFor(() => expect(types(events)).toContain('message:received'))
    expect(ofType(events, 'message:received')).toEqual([
      {
        id: `message:received:${reply.id}`,
        type: 'message:received',
        at: 1_767_225_600_000,
        source: 'backend',
        conversationId: conversation.id,
        messageId: reply.id,
        author: { role: 'agent', name: 'Agent' },
        parts: []
      }
    ])
    expect(client.$messages.get()[conversation.id]).toHaveLength(1)
  })

  it('leaves the words of messages out unless the site opts in', async () => {
    const quiet = await customer()
    await quiet.client.send('My card is 4111 1111 1111 1111')
    quiet.backend.reply(quiet.conversation.id, 'Please never share that')
    await waitFor(() => expect(types(quiet.events)).toContain('message:received'))
    expect(JSON.stringify(quiet.events)).not.toMatch(/4111|share/)

    const told = await customer({ events: { includeText: true } })
    await told.client.send('Hello')
    told.backend.reply(told.conversation.id, 'Hi there')
    await waitFor(() => expect(types(told.events)).toContain('message:received'))
    expect([...ofType(told.events, 'message:sent'), ...ofType(told.events, 'message:received')].map((event) => event.text)).toEqual(['Hello', 'Hi there'])
  })

  it('hands every event to a "*" listener, in the order they happened', async () => {
    const { client, backend, events, conversation } = await customer()
    client.open()
    await client.send('Is the Huila in stock?')
    backend.typing(conversation.id, true)
    backend.reply(conversation.id, 'It is')
    await waitFor(() => expect(types(events)).toContain('message:received'))
    client.close()
    expect(types(events).filter((type) => !type.startsWith('unread') && !type.startsWith('connection'))).toEqual([
      'conversation:started',
      'messenger:opened',
      'message:sent',
      'typing:started',
      'typing:stopped',
      'message:received',
      'messenger:closed'
    ])
  })

  it('hands a listener only the type it asked for', async () => {
    const { client, conversation } = await customer()
    const sent: string[] = []
    client.events.on('message:sent', (event) => sent.push(event.conversationId!))
    client.open()
    await client.send('one')
    expect(sent).toEqual([conversation.id])
  })

  it('reports a listener that throws as an error, and still calls the other listeners', async () => {
    const { client, events } = await customer()
    const errors: string[] = []
    client.on('error', (error) => errors.push(error.message))
    client.events.on('messenger:opened', () => {
      throw new Error('broken analytics')
    })
    const after: string[] = []
    client.events.on('messenger:opened', (event) => after.push(event.type))
    client.open()
    expect(after).toEqual(['messenger:opened'])
    expect(errors).toEqual(['A listener of the "messenger:opened" event threw'])
    expect(ofType(events, 'error').map(({ code, message }) => [code, message])).toEqual([['internal', 'A listener of the "messenger:opened" event threw']])
  })

  it('tells the unread counts once as the leading tab boots, then as they change', async () => {
    const { client, backend, events, conversation } = await customer({ isVisible: () => false })
    expect(ofType(events, 'unread:changed').map(({ total }) => total)).toEqual([0])
    backend.reply(conversation.id, 'One')
    backend.reply(conversation.id, 'Two')
    await waitFor(() => expect(ofType(events, 'unread:changed').map(({ total }) => total)).toEqual([0, 1, 2]))
    expect(ofType(events, 'unread:changed').at(-1)?.conversations).toEqual({ [conversation.id]: 2 })
    expect(client.$unreadTotal.get()).toBe(2)
  })

  it('tells a search by how many results it found, never by what was asked', async () => {
    const { client, events } = await customer()
    await client.send('Grind size for a moka pot?')
    await client.search('moka')
    expect(ofType(events, 'search:performed').map(({ results, fromDevice, fromServer }) => ({ results, fromDevice, fromServer }))).toEqual([
      { results: 1, fromDevice: 1, fromServer: 0 }
    ])
    expect(JSON.stringify(ofType(events, 'search:performed'))).not.toContain('moka')
  })

  it('tells the buttons, forms and ratings the visitor used, the answers only when the site opts in', async () => {
    const { client, backend, events, conversation } = await customer()
    const offer = backend.reply(conversation.id, {
      text: 'Plans',
      actions: [{ type: 'host', id: 'buy', label: 'Buy', name: 'buy', data: { amount: 900, currency: 'EUR' } }]
    })
    const form = backend.reply(conversation.id, { text: 'Your order?', parts: [{ type: 'form', fields: [{ name: 'order', label: 'Order', type: 'text' }] }] })
    const rating = backend.reply(conversation.id, { text: 'Rate us', parts: [{ type: 'rating', comment: true }] })
    await waitFor(() => expect(client.$messages.get()[conversation.id]).toHaveLength(3))
    await client.act(offer, offer.actions![0]!)
    await client.submitForm(form, { order: 'A-1234' })
    await client.rate(rating, 5, 'Lovely beans')
    const picked = (event: IntegrationEvent) => {
      const { id: _id, at: _at, conversationId: _c, ...rest } = event
      return rest
    }
    expect([...ofType(events, 'action:clicked'), ...ofType(events, 'form:submitted'), ...ofType(events, 'rating:submitted')].map(picked)).toEqual([
      { type: 'action:clicked', source: 'visitor', messageId: offer.id, actionId: 'buy', actionType: 'host', label: 'Buy', name: 'buy' },
      { type: 'form:submitted', source: 'visitor', messageId: form.id, fields: ['order'] },
      { type: 'rating:submitted', source: 'visitor', messageId: rating.id, score: 5 }
    ])
    expect(JSON.stringify(events)).not.toMatch(/A-1234|Lovely/)
  })

  it('tells a conversation the agent closed once, from the backend', async () => {
    const { backend, events, conversation } = await customer()
    backend.closeConversation(conversation.id)
    await waitFor(() => expect(types(events)).toContain('conversation:ended'))
    expect(ofType(events, 'conversation:ended').map(({ source, reason, conversationId }) => [source, reason, conversationId])).toEqual([
      ['backend', 'closed', conversation.id]
    ])
  })

  it('tells a file’s upload from start to finish', async () => {
    const { client, events } = await customer()
    await client.send({ text: 'The receipt', files: [new Blob(['%PDF-1.4'], { type: 'application/pdf' })] })
    const uploads = events.filter((event) => event.type.startsWith('upload:'))
    expect(types(uploads).join(' ')).toMatch(/^upload:started( upload:progress)* upload:completed$/)
    expect(ofType(events, 'upload:completed')[0]).toMatchObject({ size: 8, mediaType: 'application/pdf', source: 'visitor' })
  })

  it('pushes every event to Google Tag Manager’s dataLayer when asked to', async () => {
    const { client } = await customer()
    const layer: unknown[] = []
    const stop = forwardToDataLayer(client.events, layer)
    client.open()
    stop()
    client.close()
    expect(layer).toEqual([{ event: 'confab.messenger.opened', confab: expect.objectContaining({ type: 'messenger:opened', source: 'visitor' }) }])
  })
})

describe('the stream across tabs', () => {
  it('tells a message that arrived and one the visitor sent once, however many tabs show them', async () => {
    const site = await tabs(3)
    const [leader, , third] = site.tabs
    await third!.client.send('From the third tab')
    site.browser.backend.reply(site.conversation.id, 'Answered once')
    await waitFor(() => expect(third!.client.$messages.get()[site.conversation.id]).toHaveLength(2))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(types(site.all()).filter((type) => type.startsWith('message:'))).toEqual(['message:sent', 'message:received'])
    // From the leader, which sends for every tab and holds the connection.
    expect(types(site.streams[0]!).filter((type) => type.startsWith('message:'))).toEqual(['message:sent', 'message:received'])
    expect(leader!.client.$leader.get()).toBe(true)
  })

  it('tells what the visitor did from the tab where they did it', async () => {
    const site = await tabs(2)
    site.tabs[1]!.client.open()
    await site.tabs[1]!.client.search('anything')
    expect(site.streams.map((stream) => types(stream).filter((type) => type.startsWith('messenger') || type.startsWith('search')))).toEqual([
      [],
      ['messenger:opened', 'search:performed']
    ])
  })

  it('tells typing, unread counts and the connection from the leader only', async () => {
    const site = await tabs(2, { isVisible: () => false })
    site.browser.backend.typing(site.conversation.id, true)
    site.browser.backend.reply(site.conversation.id, 'Done typing')
    await waitFor(() => expect(site.tabs[1]!.client.$unreadTotal.get()).toBe(1))
    const told = (stream: IntegrationEvent[]) => types(stream).filter((type) => /^(typing|unread|connection)/.test(type))
    expect(told(site.streams[1]!)).toEqual([])
    expect(told(site.streams[0]!)).toEqual(expect.arrayContaining(['typing:started', 'typing:stopped', 'unread:changed']))
  })

  it('does not tell again what the old leader told, after a hand-over', async () => {
    const site = await tabs(2)
    const [old, next] = site.tabs as [(typeof site.tabs)[0], (typeof site.tabs)[0]]
    site.browser.backend.reply(site.conversation.id, 'Before the hand-over')
    await waitFor(() => expect(next.client.$messages.get()[site.conversation.id]).toHaveLength(1))
    // The old leader takes a message and hangs before the backend answers; the new one sends it again.
    const release = old.hold()
    const sending = next.client.send('Handed over')
    await waitFor(() => expect(old.sends).toHaveLength(1))
    old.leadership.set(false)
    next.leadership.set(true)
    await sending
    // The old leader's send answers at last (after the new leader said it told it): stored once, told once.
    await new Promise((resolve) => setTimeout(resolve, 20))
    release()
    await waitFor(() => expect(old.client.$messages.get()[site.conversation.id]?.every((m) => m.status === 'sent')).toBe(true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(types(site.all()).filter((type) => type.startsWith('message:'))).toEqual(['message:received', 'message:sent'])
    site.browser.backend.reply(site.conversation.id, 'After the hand-over')
    await waitFor(() => expect(ofType(site.all(), 'message:received')).toHaveLength(2))
    expect(ofType(site.streams[1]!, 'message:received')).toHaveLength(1)
  })

  it('tells a chat the visitor ended once, from the tab where they ended it', async () => {
    const browser = createBrowser()
    const leader = browser.open(true, {}, { mode: 'chat' })
    const follower = browser.open(false, {}, { mode: 'chat' })
    const streams = [record(leader.client), record(follower.client)]
    await leader.client.connect()
    const chat = await leader.client.startConversation()
    await follower.client.connect()
    await follower.client.openConversation(chat.id)
    // The backend is further away than the other tabs: its answer (and its event) comes after theirs.
    const close = follower.transport.closeConversation!
    follower.transport.closeConversation = async (id) => (await new Promise((resolve) => setTimeout(resolve, 5)), close(id))
    await follower.client.endChat()
    await waitFor(() => expect(leader.client.$ended.get()).toBe('ended'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(streams.map((stream) => ofType(stream, 'conversation:ended').map(({ source, reason }) => [source, reason]))).toEqual([[], [['visitor', 'ended']]])
  })
})
