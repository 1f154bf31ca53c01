/**
 * The delivery core at its edges: shutdown and identify() in the middle of a send, a leader that
 * serves another person, gaps that a send's answer or a forward-less transport would hide, unread
 * counts changed in two tabs at once, and a chat waiting offline.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { createMemoryCache } from '../../../src/cache/memory.js'
import type { Cache } from '../../../src/cache/types.js'
import { createClient, type Leadership } from '../../../src/client/index.js'
import type { ChatMessage } from '../../../src/store/index.js'
import { createMemoryBackend } from '../../../src/testing/index.js'
import type { Message, Transport } from '../../../src/transports/types.js'
import { controlledStream, createDevice, createManualClock, instantTimers, recordingTransport, setup } from './helpers.js'
import { leaderAndFollower, manualLeadership, newSite } from './tabs-helpers.js'
import { writableMap } from '../../stores.js'

/** Resolves to what `promise` settled with, or to 'pending' if it did not within `ms`. */
const within = <T>(promise: Promise<T>, ms = 1000): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))])

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms))

/** A gate: `wait()` blocks while closed. */
function createGate() {
  let closed: Promise<void> | undefined
  let open: () => void = () => undefined
  return {
    close() {
      closed = new Promise((resolve) => (open = resolve))
    },
    open: () => open(),
    wait: () => closed
  }
}

describe('the delivery core at its edges', () => {
  it('does not show or send a message whose outbox write was pending when shutdown() wiped the person', async () => {
    const gate = createGate()
    let outboxWrites = 0
    const cache = async (): Promise<Cache> => {
      const inner = createMemoryCache()
      return {
        ...inner,
        get persistent() {
          return inner.persistent
        },
        async write(changes) {
          if (changes.outbox?.length) {
            outboxWrites++
            await gate.wait()
          }
          return inner.write(changes)
        }
      }
    }
    const backend = createMemoryBackend()
    const wire = recordingTransport(backend)
    const { client } = setup({ backend, transport: wire.transport, cache, network: null })
    await client.connect()
    const conversation = await client.startConversation()
    gate.close()
    const sending = client.send('private words')
    // The early write and submit's awaited write are both in flight.
    await vi.waitFor(() => expect(outboxWrites).toBe(2))
    await client.shutdown()
    gate.open()
    await within(sending)
    await tick(50)
    expect(client.$messages.get()).toEqual({})
    expect(wire.sends).toEqual([])
    expect(backend.messages(conversation.id)).toEqual([])
  })

  it('shows nothing of the previous person after shutdown() while send() waited for the connection', async () => {
    const backend = createMemoryBackend()
    const inner = recordingTransport(backend).transport
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const transport: Transport = {
      ...inner,
      async connect(options) {
        await held
        return inner.connect(options)
      }
    }
    const { client } = setup({ backend, transport, network: null })
    void client.connect().catch(() => undefined)
    const failed: ChatMessage[] = []
    client.on('failed', (m) => failed.push(m))
    const sending = client.send('private words', { conversationId: 'c_known' })
    await client.shutdown()
    release()
    await within(sending)
    expect(client.$messages.get()).toEqual({})
  })

  it('sends again a message whose attempt was in flight (and lost) when identify() merged the visitor into a user', async () => {
    const backend = createMemoryBackend()
    const wire = recordingTransport(backend)
    const { client } = setup({ backend, transport: wire.transport, network: null })
    await client.connect()
    const conversation = await client.startConversation()
    const release = wire.hold()
    const sending = client.send('sent while signing in')
    await vi.waitFor(() => expect(wire.sends).toHaveLength(1))
    await client.identify({ id: 'ada', token: 'user:ada' })
    // That attempt gets no answer (a network error); the message is still the user's to send.
    backend.failNextSends(1)
    release()
    const outcome = await within(sending, 1500)
    expect(backend.messages(conversation.id).map((m) => m.text)).toEqual(['sent while signing in'])
    expect(client.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([['sent while signing in', 'sent']])
    expect(outcome).not.toBe('pending')
  })

  it('delivers a follower’s message after the leader tab identified the visitor', async () => {
    const { leader, follower, browser } = await leaderAndFollower()
    await leader.client.identify({ id: 'ada', token: 'user:ada' })
    // The leader told the follower its person is gone.
    await vi.waitFor(() => expect(follower.client.$session.get()).toBeNull())
    const outcome = await within(follower.client.send('from the other tab'), 1500)
    const everywhere = browser.backend.conversations().flatMap((c) => browser.backend.messages(c.id).map((m) => m.text))
    expect(everywhere).toContain('from the other tab')
    expect(outcome).not.toBe('pending')
  })

  it('sends a message queued while a stale drain was still reading the outbox of a wiped person', async () => {
    const indexedDB = new IDBFactory()
    const device = createDevice()
    const backend = createMemoryBackend()
    const wire = recordingTransport(backend)
    const leadership = manualLeadership(true)
    const gate = createGate()
    const caches: Cache[] = []
    const client = createClient({
      transport: wire.transport,
      site: newSite('edges'),
      storage: device.storage,
      cache: async (name) => {
        const cache = await createIdbCache({ name, indexedDB, IDBKeyRange })
        const first = caches.length === 0
        caches.push(cache)
        const read = cache.outbox.bind(cache)
        // Only the first person's outbox reads can be held.
        cache.outbox = async () => {
          if (first) await gate.wait()
          return read()
        }
        return cache
      },
      timers: instantTimers,
      random: () => 0.5,
      isVisible: () => true,
      network: null,
      leadership
    })
    await client.connect()
    await tick()
    // The leader re-reads the outbox (a change of leader), slowly.
    gate.close()
    leadership.set(false)
    leadership.set(true)
    await client.shutdown()
    await client.connect()
    await client.startConversation()
    const sending = client.send("after the reconnect")
    await tick(50)
    gate.open()
    const outcome = await within(sending, 1500)
    expect(wire.sends.map((m) => m.text)).toEqual(['after the reconnect'])
    expect(outcome).not.toBe('pending')
  })

  it('notices a gap that the answer to one of the visitor’s sends jumps over', async () => {
    const stream = controlledStream({ live: false })
    const backend = (stream.inner as unknown as { backend: ReturnType<typeof createMemoryBackend> }).backend
    const { client } = setup({ transport: stream.transport, network: null })
    await client.connect()
    const conversation = await client.startConversation()
    stream.emit({ type: 'message', message: backend.reply(conversation.id, 'one') })
    // seq 2 is lost on the way (never delivered by the stream).
    backend.reply(conversation.id, 'two (lost)')
    await client.send('three, mine')
    stream.emit({ type: 'message', message: backend.reply(conversation.id, 'four') })
    await tick(50)
    expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['one', 'two (lost)', 'three, mine', 'four'])
  })

  it('does not hide a gap of 11–100 when the transport cannot read history forward', async () => {
    const stream = controlledStream({ live: false, capabilities: { historyNewer: false } })
    const backend = (stream.inner as unknown as { backend: ReturnType<typeof createMemoryBackend> }).backend
    const { client } = setup({ transport: stream.transport, network: null })
    await client.connect()
    const conversation = await client.startConversation()
    for (let i = 1; i <= 5; i++) stream.emit({ type: 'message', message: backend.reply(conversation.id, `m${i}`) })
    // 40 messages lost on the way, then one arrives: a gap of 40 (under the 100 reload limit).
    for (let i = 6; i <= 45; i++) backend.reply(conversation.id, `m${i}`)
    stream.emit({ type: 'message', message: backend.reply(conversation.id, 'm46') })
    await tick(50)
    const seqs = client.$activeMessages.get().map((m) => (m as Message).seq!)
    const holes = seqs.filter((seq, i) => i > 0 && seq !== seqs[i - 1]! + 1)
    expect(holes).toEqual([])
  })

  it('agrees on unread counts when two tabs change them at the same moment', async () => {
    const { leader, follower, conversation } = await leaderAndFollower()
    const other = await leader.client.startConversation()
    await vi.waitFor(() => expect(follower.client.$activeId.get()).toBe(other.id))
    // The leader counts a message in one thread while a follower clears another.
    writableMap(leader.client.$unread).setKey(conversation.id, 1)
    writableMap(follower.client.$unread).setKey(other.id, 0)
    await tick(50)
    expect(follower.client.$unread.get()).toEqual(leader.client.$unread.get())
    expect(leader.client.$unread.get()[conversation.id]).toBe(1)
  })

  it('does not end an idle chat (and delete it) while the visitor’s own message waits offline', async () => {
    const clock = createManualClock()
    const network = { onLine: true, addEventListener: () => undefined }
    const backend = createMemoryBackend({ now: clock.now })
    const { client } = setup({ backend, mode: 'chat', now: clock.now, timers: clock.timers, network })
    await client.connect()
    const conversation = await client.startConversation()
    backend.reply(conversation.id, 'How can I help?')
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(1))
    clock.advance(29 * 60_000)
    // The visitor answers, but the browser is offline: the message waits in the outbox.
    network.onLine = false
    void client.send('My order did not arrive')
    await tick()
    clock.advance(2 * 60_000)
    await tick()
    expect(client.$ended.get()).toBeNull()
    expect(client.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([
      ['How can I help?', 'sent'],
      ['My order did not arrive', 'queued']
    ])
  })
})
