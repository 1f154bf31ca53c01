import { describe, expect, it } from 'vitest'
import { PART_TYPES } from '../../../src/content/check.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { MessageContent, OutgoingMessage, OutgoingPostback, TransportEvent } from '../../../src/transports/types.js'

/** A visitor with a conversation on a fresh memory backend, and the events of its stream. */
async function visitor() {
  const transport = createMemoryTransport()
  await transport.connect({})
  const { id } = await transport.createConversation({ mode: 'messaging' })
  const events: TransportEvent[] = []
  transport.subscribe((event) => void events.push(event))
  const messages = () => events.flatMap((e) => (e.type === 'message' ? [e.message] : []))
  return { transport, backend: transport.backend, id, messages }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

const card: MessageContent = {
  text: 'Our **boots**',
  parts: [
    {
      type: 'cards',
      layout: 'list',
      items: [{ title: 'Trail boots', description: 'Waterproof', actions: [{ type: 'link', id: 'more', label: 'More', url: 'https://shop.example/boots' }] }]
    }
  ],
  replies: [{ type: 'reply', id: 'yes', label: 'Yes' }],
  blockComposer: true,
  metadata: { campaign: 'spring' }
}

describe('the memory transport with rich content', () => {
  it('declares every part type of the contract', () => {
    expect(createMemoryTransport().capabilities.content).toEqual(PART_TYPES)
  })

  it("keeps a visitor's parts, replyTo and metadata from send() to history and the stream", async () => {
    const { transport, id, messages } = await visitor()
    const content = {
      text: 'Here it is',
      parts: [{ type: 'location' as const, latitude: 48.85, longitude: 2.35, name: 'Paris' }],
      replyTo: { messageId: 'm_1', actionId: 'where' },
      metadata: { page: '/contact' }
    }
    const stored = await transport.send(id, { clientId: 'c1', ...content })
    await tick()
    expect(stored).toMatchObject(content)
    expect((await transport.history(id)).messages[0]).toMatchObject(content)
    expect(messages()[0]).toMatchObject(content)
  })

  it("keeps an agent's cards, quick replies, blockComposer and metadata on the way to the visitor", async () => {
    const { transport, backend, id, messages } = await visitor()
    backend.reply(id, card, { role: 'bot', name: 'Shop bot' })
    await tick()
    expect((await transport.history(id)).messages[0]).toMatchObject({ ...card, author: { role: 'bot', name: 'Shop bot' } })
    expect(messages()[0]).toMatchObject(card)
  })

  it('refuses a visitor message with cards as a 400 invalid-argument naming the rule, and stores nothing', async () => {
    const { transport, backend, id } = await visitor()
    const sending = transport.send(id, { clientId: 'c1', ...card } as OutgoingMessage)
    await expect(sending).rejects.toMatchObject({ code: 'invalid-argument', status: 400, retryable: false, message: expect.stringMatching(/cards is sent by agents and bots/) })
    expect(backend.messages(id)).toEqual([])
  })

  it('refuses metadata over 4 KB as a 413', async () => {
    const { transport, id } = await visitor()
    const sending = transport.send(id, { clientId: 'c1', text: 'Hi', metadata: { blob: 'x'.repeat(4100) } })
    await expect(sending).rejects.toMatchObject({ code: 'invalid-argument', status: 413, message: '"metadata" is larger than 4096 bytes as JSON' })
  })

  it("refuses an agent's message that breaks a rule, as the reference server does", () => {
    const backend = createMemoryBackend()
    const transport = createMemoryTransport({ backend })
    return transport.connect({}).then(async () => {
      const { id } = await transport.createConversation({ mode: 'messaging' })
      expect(() => backend.reply(id, { text: 'Pick', parts: [{ type: 'cards', layout: 'carousel', items: [] }] })).toThrowError(
        expect.objectContaining({ code: 'invalid-argument', status: 400, message: '"parts[0].items" must hold 1 to 10 cards' })
      )
      expect(() => backend.reply(id, ' ')).toThrowError(/"text" is blank/)
    })
  })

  it('stores what replyUnchecked() is given as it is, an unknown part included', async () => {
    const { transport, backend, id } = await visitor()
    backend.replyUnchecked(id, { text: 'From the future', parts: [{ type: 'x-unknown', hologram: true }] })
    expect((await transport.history(id)).messages[0]?.parts).toEqual([{ type: 'x-unknown', hologram: true }])
  })
})

describe('postbacks on the memory transport', () => {
  const postback: OutgoingPostback = { clientId: 'p1', payload: 'HANDOFF', messageId: 'm_1', actionId: 'human' }

  it('stores a postback once per client id, tells its listeners once, and shows no message', async () => {
    const { transport, backend, id, messages } = await visitor()
    const heard: OutgoingPostback[] = []
    backend.onPostback((conversationId, taken) => void heard.push({ ...taken, conversationId } as never))
    await transport.postback!(id, postback)
    await transport.postback!(id, postback)
    await tick()
    expect(backend.postbacks(id)).toEqual([postback])
    expect(heard).toEqual([{ ...postback, conversationId: id }])
    expect(backend.messages(id)).toEqual([])
    expect(messages()).toEqual([])
  })

  it('stores a postback whose answer it loses, once, when told the failure comes after storing', async () => {
    const { transport, backend, id } = await visitor()
    backend.failNextSends(1, undefined, { stored: true })
    await expect(transport.postback!(id, postback)).rejects.toMatchObject({ code: 'network', retryable: true })
    expect(backend.postbacks(id)).toEqual([postback])
    await transport.postback!(id, postback)
    expect(backend.postbacks(id)).toEqual([postback])
  })

  it('refuses a postback before storing it when told to, and stores it when sent again', async () => {
    const { transport, backend, id } = await visitor()
    backend.failNextSends(1)
    await expect(transport.postback!(id, postback)).rejects.toMatchObject({ code: 'network' })
    expect(backend.postbacks(id)).toEqual([])
    await transport.postback!(id, postback)
    expect(backend.postbacks(id)).toEqual([postback])
  })

  it('refuses a postback without a payload or to a closed conversation, and answers one sent again after closing', async () => {
    const { transport, backend, id } = await visitor()
    await expect(transport.postback!(id, { clientId: 'p2', payload: '' })).rejects.toMatchObject({ code: 'invalid-argument', status: 400 })
    await transport.postback!(id, postback)
    backend.closeConversation(id)
    await expect(transport.postback!(id, { clientId: 'p3', payload: 'LATE' })).rejects.toMatchObject({ status: 403, retryable: false })
    await expect(transport.postback!(id, postback)).resolves.toBeUndefined()
    expect(backend.postbacks(id)).toEqual([postback])
  })
})

describe('a closed conversation on the memory transport', () => {
  it('takes the rating that answers its rating request, and nothing else, as the reference server', async () => {
    const { transport, backend, id } = await visitor()
    backend.closeConversation(id)
    const request = backend.reply(id, { text: 'How did we do?', parts: [{ type: 'rating' }] }, { role: 'bot' })
    const plain = backend.reply(id, 'Thanks for writing')
    const rating = { text: '★★★★☆ 4 out of 5', parts: [{ type: 'rating-response' as const, score: 4 as const }] }
    await expect(transport.send(id, { clientId: 'r0', text: 'One more thing' })).rejects.toMatchObject({ status: 403 })
    await expect(transport.send(id, { clientId: 'r1', ...rating, replyTo: { messageId: plain.id } })).rejects.toMatchObject({ status: 403 })
    await expect(transport.send(id, { clientId: 'r2', ...rating })).rejects.toMatchObject({ status: 403 })
    const stored = await transport.send(id, { clientId: 'r3', ...rating, replyTo: { messageId: request.id } })
    expect(stored.parts).toEqual(rating.parts)
  })
})

describe('archive search on the memory transport', () => {
  it('finds card titles, form answers and link labels, but not markup or link targets', async () => {
    const { transport, backend, id } = await visitor()
    backend.reply(id, card)
    backend.reply(id, { text: 'Read [the **guide**](https://docs.example/setup)' })
    await transport.send(id, {
      clientId: 'f1',
      text: 'Order number: A-77',
      parts: [{ type: 'form-response', fields: [{ name: 'colour', label: 'Colour', value: 'Burgundy' }] }]
    })
    const found = async (query: string) => (await transport.searchArchive!(query)).map((hit) => hit.message.text)
    expect(await found('trail boots')).toEqual(['Our **boots**'])
    expect(await found('burgundy')).toEqual(['Order number: A-77'])
    expect(await found('guide')).toEqual(['Read [the **guide**](https://docs.example/setup)'])
    expect(await found('docs.example')).toEqual([])
    expect(await found('https')).toEqual([])
    expect(await found('"**"')).toEqual([])
  })
})
