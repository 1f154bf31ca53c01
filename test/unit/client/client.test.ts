import { describe, expect, it, vi } from 'vitest'
import { createClient } from '../../../src/client/index.js'
import { createError, isConfabError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { TransportEvent } from '../../../src/transports/types.js'
import { INVISIBLE_ONLY, VISIBLE_WITH_INVISIBLES } from '../text-fixtures.js'
import { controlledStream, createDevice, instantTimers, setup } from './helpers.js'

describe('createClient', () => {
  it('refuses to start without a transport', () => {
    expect(() => createClient({} as never)).toThrowError(/needs a transport/)
  })

  it('starts a visitor session and keeps its resume key on the device', async () => {
    const { client, device } = setup()
    await client.connect()
    expect(client.$session.get()?.visitorId).toMatch(/^v_/)
    expect(device.data.get('confab:test:resume')).toBe(client.$session.get()?.resumeKey)
    expect(client.$status.get()).toBe('online')
  })

  it('resumes the same visitor and conversations on a later visit', async () => {
    const backend = createMemoryBackend()
    const device = createDevice()
    const first = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: device.keys })
    await first.connect()
    await first.send('Where is my order?')
    first.transport.close()

    const second = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: device.keys })
    await second.connect()
    expect(second.$session.get()?.visitorId).toBe(first.$session.get()?.visitorId)
    expect(second.$activeMessages.get().map((m) => m.text)).toEqual(['Where is my order?'])
  })

  it('calls connect once however many times it is asked', async () => {
    const { client, transport } = setup()
    const spy = vi.spyOn(transport, 'connect')
    await Promise.all([client.connect(), client.connect(), client.connect()])
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('retries connecting while the backend is unreachable', async () => {
    const { client, transport } = setup()
    const real = transport.connect.bind(transport)
    let calls = 0
    transport.connect = async (input) => {
      if (++calls < 3) throw createError('network', 'down')
      return real(input)
    }
    const errors: string[] = []
    client.on('error', (error) => errors.push(error.code))
    await client.connect()
    expect(calls).toBe(3)
    expect(errors).toEqual(['network', 'network'])
    expect(client.$status.get()).toBe('online')
  })
})

describe('sending', () => {
  it('shows the message at once, then marks it sent with the server sequence', async () => {
    const { client } = setup({ transport: createMemoryTransport({ latency: 20 }) })
    await client.connect()
    await client.startConversation()
    const statuses: string[] = []
    client.$activeMessages.listen((list) => statuses.push(list.map((m) => m.status).join()))
    const sending = client.send('Hello')
    const sent = await sending
    expect(sent).toMatchObject({ status: 'sent', seq: 1, text: 'Hello' })
    expect(client.$activeMessages.get()).toEqual([sent])
    expect(statuses.slice(0, 3)).toEqual(['queued', 'sending', 'sent'])
  })

  it('starts a conversation of the client mode for the first message', async () => {
    const { client, backend } = setup({ mode: 'chat' })
    await client.send('Hi')
    expect(backend.conversations()).toHaveLength(1)
    expect(backend.conversations()[0]?.mode).toBe('chat')
    expect(client.$active.get()?.mode).toBe('chat')
  })

  it('rejects an empty message with a clear error', async () => {
    const { client } = setup()
    await expect(client.send('   ')).rejects.toSatisfy(
      (error: unknown) => isConfabError(error) && error.code === 'invalid-argument'
    )
  })

  it('rejects a message of invisible characters only like an empty one, and shows nothing', async () => {
    const { client } = setup()
    for (const text of INVISIBLE_ONLY) {
      await expect(client.send(text), JSON.stringify(text)).rejects.toSatisfy(
        (error: unknown) => isConfabError(error) && error.code === 'invalid-argument'
      )
    }
    expect(client.$activeMessages.get()).toEqual([])
  })

  it('sends visible text that holds joiners, variation selectors and soft hyphens as written', async () => {
    const { client } = setup()
    for (const text of VISIBLE_WITH_INVISIBLES) expect((await client.send(text)).text).toBe(text)
  })

  it('keeps one message when the stream echo and the send response both arrive', async () => {
    const { client, backend } = setup()
    await client.connect()
    await client.send('once')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(client.$activeMessages.get()).toHaveLength(1)
    expect(backend.messages(client.$activeId.get()!)).toHaveLength(1)
  })

  it('keeps one message when the echo arrives before the send response', async () => {
    const { client, transport } = setup()
    await client.connect()
    const events: TransportEvent[] = []
    const realSend = transport.send.bind(transport)
    transport.send = async (id, message) => {
      const stored = await realSend(id, message)
      // Let the stream deliver its echo first.
      await new Promise((resolve) => setTimeout(resolve, 5))
      events.push({ type: 'message', message: stored })
      return stored
    }
    // Resolves at the first confirmation (here the stream's echo); the response comes after.
    expect((await client.send('race')).status).toBe('sent')
    await vi.waitFor(() => expect(events).toHaveLength(1))
    expect(client.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([['race', 'sent']])
  })

  it('keeps the order of messages sent in a burst', async () => {
    const { client, backend } = setup({ transport: undefined })
    await client.connect()
    await client.startConversation()
    await Promise.all(['one', 'two', 'three', 'four'].map((text) => client.send(text)))
    const id = client.$activeId.get()!
    expect(backend.messages(id).map((m) => m.text)).toEqual(['one', 'two', 'three', 'four'])
    expect(client.$activeMessages.get().map((m) => m.seq)).toEqual([1, 2, 3, 4])
  })

  it('starts one conversation for a burst sent before there is any, keeping its order', async () => {
    const { client, backend } = setup({ transport: undefined })
    await Promise.all(['one', 'two', 'three'].map((text) => client.send(text)))
    expect(backend.conversations()).toHaveLength(1)
    expect(backend.messages(client.$activeId.get()!).map((m) => m.text)).toEqual(['one', 'two', 'three'])
  })

  it('retries a retryable failure with the same client id and stores the message once', async () => {
    const { client, backend, transport } = setup()
    await client.connect()
    await client.startConversation()
    const ids: string[] = []
    const realSend = transport.send.bind(transport)
    transport.send = (id, message) => {
      ids.push(message.clientId)
      return realSend(id, message)
    }
    backend.failNextSends(2)
    const sent = await client.send('persistent')
    expect(sent.status).toBe('sent')
    expect(new Set(ids).size).toBe(1)
    expect(ids).toHaveLength(3)
    expect(backend.messages(client.$activeId.get()!)).toHaveLength(1)
  })

  it('marks a refused message failed and keeps it visible until Retry sends it', async () => {
    const { client, backend } = setup()
    await client.connect()
    await client.startConversation()
    backend.failNextSends(1, createError('http', 'POST answered 400', { status: 400, retryable: false }))
    const failed: string[] = []
    client.on('failed', (m) => failed.push(m.text))
    const message = await client.send('refused once')
    expect(message.status).toBe('failed')
    expect(message.error).toMatch(/400/)
    expect(failed).toEqual(['refused once'])
    expect(client.$activeMessages.get()[0]?.status).toBe('failed')

    const retried = await client.retry(message.clientId!)
    expect(retried.status).toBe('sent')
    expect(client.$activeMessages.get()).toHaveLength(1)
  })

  it('discards a failed message', async () => {
    const { client, backend } = setup({ maxSendAttempts: 1 })
    await client.connect()
    await client.startConversation()
    backend.failNextSends(1)
    const message = await client.send('gone')
    client.discard(message.clientId!)
    expect(client.$activeMessages.get()).toEqual([])
  })

  it('rejects Retry for a message that did not fail', async () => {
    const { client } = setup()
    const sent = await client.send('fine')
    await expect(client.retry(sent.clientId!)).rejects.toThrowError(/No failed message/)
  })
})

describe('receiving', () => {
  it('shows an agent reply and emits a message event', async () => {
    const { client, backend } = setup()
    const received: string[] = []
    client.on('message', (m) => received.push(`${m.author.role}: ${m.text}`))
    await client.send('Question')
    backend.reply(client.$activeId.get()!, 'Answer')
    await vi.waitFor(() => expect(received).toEqual(['agent: Answer']))
    expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['Question', 'Answer'])
  })

  it('counts unread replies while the pane is closed and clears them on open', async () => {
    const { client, backend } = setup()
    await client.send('Question')
    backend.reply(client.$activeId.get()!, 'One')
    backend.reply(client.$activeId.get()!, 'Two')
    await vi.waitFor(() => expect(client.$unreadTotal.get()).toBe(2))
    client.open()
    expect(client.$unreadTotal.get()).toBe(0)
    backend.reply(client.$activeId.get()!, 'Three')
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(4))
    expect(client.$unreadTotal.get()).toBe(0)
  })

  it('counts replies as unread while the page is hidden, even with the pane open', async () => {
    let visible = false
    const { client, backend } = setup({ isVisible: () => visible })
    client.open()
    await client.send('Question')
    backend.reply(client.$activeId.get()!, 'Answer')
    await vi.waitFor(() => expect(client.$unreadTotal.get()).toBe(1))
    visible = true
    client.visibilityChanged()
    expect(client.$unreadTotal.get()).toBe(0)
  })

  it('shows a conversation the same visitor started on another device', async () => {
    const backend = createMemoryBackend()
    const phone = setup({ backend })
    await phone.client.send('from the phone')
    const laptopDevice = createDevice()
    laptopDevice.keys.set(phone.client.$session.get()!.resumeKey!)
    const laptop = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: laptopDevice.keys })
    await laptop.connect()
    const conversation = await phone.client.startConversation({ subject: 'New topic' })
    backend.reply(conversation.id, 'Agent answer')
    await vi.waitFor(() => expect(laptop.$conversations.get().map((c) => c.subject)).toContain('New topic'))
    expect(laptop.$conversations.get()).toHaveLength(2)
  })

  it('stops calling a listener once unsubscribed', async () => {
    const { client, backend } = setup()
    const seen: string[] = []
    const off = client.on('message', (m) => seen.push(m.text))
    await client.send('Question')
    backend.reply(client.$activeId.get()!, 'first')
    await vi.waitFor(() => expect(seen).toEqual(['first']))
    off()
    backend.reply(client.$activeId.get()!, 'second')
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(3))
    expect(seen).toEqual(['first'])
  })

  it('reports a transport error through the error event without stopping', async () => {
    const { transport, emit } = controlledStream()
    const { client } = setup({ transport })
    const errors: string[] = []
    client.on('error', (error) => errors.push(error.code))
    await client.connect()
    emit({ type: 'error', error: createError('malformed-event', 'bad data') })
    expect(errors).toEqual(['malformed-event'])
    await client.send('still works')
    expect(client.$activeMessages.get()).toHaveLength(1)
  })
})

describe('history', () => {
  async function seeded(count: number) {
    const ctx = setup()
    await ctx.client.connect()
    const conversation = await ctx.client.startConversation()
    for (let i = 1; i <= count; i++) ctx.backend.reply(conversation.id, `message ${i}`)
    ctx.client.shutdown()
    return ctx
  }

  it('loads the newest page, then older pages until the start', async () => {
    const backend = createMemoryBackend()
    const device = createDevice()
    const writer = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: device.keys })
    const conversation = await writer.startConversation()
    for (let i = 1; i <= 75; i++) backend.reply(conversation.id, `message ${i}`)

    const reader = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: device.keys })
    await reader.connect()
    const texts = () => reader.$activeMessages.get().map((m) => m.text)
    expect(texts()).toHaveLength(30)
    expect(texts()[0]).toBe('message 46')
    expect(await reader.loadOlder()).toBe(true)
    expect(texts()).toHaveLength(60)
    expect(await reader.loadOlder()).toBe(true)
    expect(texts()).toHaveLength(75)
    expect(texts()[0]).toBe('message 1')
    expect(await reader.loadOlder()).toBe(false)
    expect(reader.$activeMessages.get().map((m) => m.seq)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1))
  })

  it('says there is nothing older when no conversation is open', async () => {
    const { client } = await seeded(0)
    expect(await client.loadOlder()).toBe(false)
  })

  it('reloads the conversation when the backend cannot replay missed events', async () => {
    // A stream that delivers nothing live, so the only way to see the reply is the reset reload.
    const { inner, transport, emit } = controlledStream({ live: false })
    const { client } = setup({ transport })
    await client.send('before')
    inner.backend.reply(client.$activeId.get()!, 'missed while away')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['before'])
    emit({ type: 'reset' })
    await vi.waitFor(() =>
      expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['before', 'missed while away'])
    )
  })

  it('catches up by reading forward when the transport cannot replay its stream', async () => {
    const { inner, transport, emit } = controlledStream({ live: false, capabilities: { streamResume: false } })
    const { client } = setup({ transport })
    await client.send('before the blip')
    const id = client.$activeId.get()!
    emit({ type: 'status', status: 'reconnecting' })
    for (let i = 1; i <= 35; i++) inner.backend.reply(id, `during ${i}`)
    emit({ type: 'status', status: 'online' })
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(36))
    expect(client.$activeMessages.get().map((m) => m.seq)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1))
  })
})

describe('the pane', () => {
  it('opens, closes and toggles, with events', async () => {
    const { client } = setup()
    const seen: string[] = []
    client.on('open', () => seen.push('open'))
    client.on('close', () => seen.push('close'))
    client.open()
    client.open()
    client.toggle()
    client.toggle()
    client.close()
    expect(seen).toEqual(['open', 'close', 'open', 'close'])
  })

  it('connects lazily when the pane first opens', async () => {
    const { client } = setup()
    expect(client.$status.get()).toBe('idle')
    client.open()
    await vi.waitFor(() => expect(client.$status.get()).toBe('online'))
  })
})

describe('shutdown', () => {
  it('forgets the visitor, the resume key and every message', async () => {
    const { client, device, backend } = setup()
    await client.send('secret order number 1234')
    const before = client.$session.get()!.visitorId
    client.shutdown()
    expect(device.data.size).toBe(0)
    expect(client.$messages.get()).toEqual({})
    expect(client.$conversations.get()).toEqual([])
    expect(client.$status.get()).toBe('idle')
    await client.connect()
    expect(client.$session.get()!.visitorId).not.toBe(before)
    expect(client.$activeMessages.get()).toEqual([])
    expect(backend.conversations()).toHaveLength(1)
  })

  it('ignores replies to work started before shutdown', async () => {
    const { client } = setup({ transport: createMemoryTransport({ latency: 5 }), timers: instantTimers })
    const pending = client.connect()
    client.shutdown()
    await pending
    expect(client.$session.get()).toBeNull()
  })
})

describe('a session the transport renewed', () => {
  it('keeps the new resume key for the next visit', async () => {
    const { transport, emit } = controlledStream()
    const { client, device } = setup({ transport })
    await client.connect()
    emit({ type: 'session', session: { visitorId: 'v_new', resumeKey: 'rk-new' } })
    expect(device.data.get('confab:test:resume')).toBe('rk-new')
    expect(client.$session.get()?.visitorId).toBe('v_new')
  })
})
