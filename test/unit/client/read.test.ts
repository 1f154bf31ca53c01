import { describe, expect, it } from 'vitest'
import { READ_SETTLE } from '../../../src/client/read.js'
import { createError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { controlledStream, createManualClock, setup } from './helpers.js'
import { createBrowser } from './tabs-helpers.js'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
/** Let the memory transport's events and calls land (each takes a turn or two). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await tick()
}

/** `transport` with its markRead calls recorded; `fail` makes the next calls reject with it. */
function recordingReads(transport: Transport) {
  const calls: string[] = []
  const failures: Error[] = []
  const recorded: Transport = {
    ...transport,
    markRead(id, messageId) {
      calls.push(messageId)
      const failure = failures.shift()
      return failure ? Promise.reject(failure) : transport.markRead!(id, messageId)
    }
  }
  return { transport: recorded, calls, fail: (error: Error) => failures.push(error) }
}

/** A connected client on a memory backend with a conversation holding `count` agent messages; reads recorded; time by hand. */
async function readingClient(count = 3) {
  const clock = createManualClock()
  const backend = createMemoryBackend()
  const reads = recordingReads(createMemoryTransport({ backend }))
  const { client } = setup({ backend, transport: reads.transport, timers: clock.timers, now: clock.now })
  await client.connect()
  const { id } = await client.startConversation()
  const replies = Array.from({ length: count }, (_, i) => backend.reply(id, `answer ${i + 1}`))
  await settle()
  return { clock, backend, client, id, replies, ...reads }
}

describe('client read receipts: the customer reading', () => {
  it('sends where the customer got to once the reads settle, not every message on the way', async () => {
    const { clock, client, id, replies, calls } = await readingClient()
    for (const reply of replies) client.markRead(id, reply.id)
    await settle()
    expect(calls).toEqual([])
    clock.advance(READ_SETTLE)
    await settle()
    expect(calls).toEqual([replies[2]!.id])
  })

  it('never sends a position behind one already sent, nor the same one twice', async () => {
    const { clock, backend, client, id, replies, calls } = await readingClient()
    client.markRead(id, replies[1]!.id)
    clock.advance(READ_SETTLE)
    await settle()
    client.markRead(id, replies[0]!.id)
    client.markRead(id, replies[1]!.id)
    clock.advance(READ_SETTLE)
    await settle()
    expect(calls).toEqual([replies[1]!.id])
    expect(backend.conversations()[0]!.read?.visitor?.messageId).toBe(replies[1]!.id)
  })

  it('waits while the connection is down and then sends the newest position alone', async () => {
    const clock = createManualClock()
    const stream = controlledStream({ live: false })
    const reads = recordingReads(stream.transport)
    const { client } = setup({ transport: reads.transport, timers: clock.timers, now: clock.now })
    await client.connect()
    const { id } = await client.startConversation()
    const replies = [stream.inner.backend.reply(id, 'one'), stream.inner.backend.reply(id, 'two')]
    for (const message of replies) stream.emit({ type: 'message', message })
    stream.emit({ type: 'status', status: 'offline' })
    client.markRead(id, replies[0]!.id)
    clock.advance(READ_SETTLE)
    client.markRead(id, replies[1]!.id)
    clock.advance(READ_SETTLE)
    await settle()
    expect(reads.calls).toEqual([])
    stream.emit({ type: 'status', status: 'online' })
    clock.advance(0)
    await settle()
    expect(reads.calls).toEqual([replies[1]!.id])
  })

  it('tries again after a failure that may pass, with backoff', async () => {
    const { clock, client, id, replies, calls, fail } = await readingClient(1)
    fail(createError('network', 'Failed to fetch'))
    client.markRead(id, replies[0]!.id)
    clock.advance(READ_SETTLE)
    await settle()
    clock.advance(30_000)
    await settle()
    expect(calls).toEqual([replies[0]!.id, replies[0]!.id])
  })

  it('reports a read the backend refuses for good, and does not send it again', async () => {
    const { clock, client, id, replies, calls, fail } = await readingClient(1)
    const errors: string[] = []
    client.on('error', (error) => errors.push(error.message))
    fail(createError('http', 'POST /v1/conversations/c1/read answered 400', { status: 400, retryable: false }))
    client.markRead(id, replies[0]!.id)
    clock.advance(READ_SETTLE)
    await settle()
    clock.advance(60_000)
    await settle()
    expect(calls).toEqual([replies[0]!.id])
    expect(errors).toEqual(['POST /v1/conversations/c1/read answered 400'])
  })

  it('does not send a position of a message that is not stored yet', async () => {
    const { clock, client, id, calls } = await readingClient(0)
    const pending = client.send('on its way')
    const echo = client.$activeMessages.get().find((m) => m.status !== 'sent')!
    client.markRead(id, echo.id)
    await pending
    clock.advance(READ_SETTLE)
    await settle()
    expect(calls).toEqual([])
  })

  it('clears the unread count once the customer read the newest message from others', async () => {
    const { client, backend, id, replies } = await readingClient(2)
    client.close()
    const later = backend.reply(id, 'while closed')
    await settle()
    expect(client.$unread.get()[id]).toBe(3)
    client.markRead(id, replies[1]!.id)
    expect(client.$unread.get()[id]).toBe(3)
    client.markRead(id, later.id)
    expect(client.$unread.get()[id]).toBe(0)
  })

  it('refuses a call without ids', async () => {
    const { client } = await readingClient(0)
    expect(() => client.markRead('', 'm1')).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
  })
})

describe('client read receipts: the agents reading', () => {
  it("keeps how far the agents read each conversation, forward only, from read events", async () => {
    const { client, backend, id } = await readingClient(0)
    const [first, second] = [await client.send('one'), await client.send('two')]
    backend.markRead(id, second.id, { role: 'agent', name: 'Sam' })
    await settle()
    backend.markRead(id, first.id)
    await settle()
    expect(client.$agentRead.get()[id]).toMatchObject({ messageId: second.id, reader: { role: 'agent', name: 'Sam' } })
  })

  it('announces each read once, to the client and to the integration stream', async () => {
    const { client, backend, id } = await readingClient(0)
    const heard: string[] = []
    client.on('read', (event) => heard.push(`${event.reader.role} ${event.messageId}`))
    const stream: string[] = []
    client.events.on('message:read', (event) => stream.push(`${event.source} ${event.messageId} ${event.reader.name}`))
    const sent = await client.send('hello')
    backend.markRead(id, sent.id, { role: 'agent', name: 'Sam' })
    await settle()
    // The same news again (a history page an XMPP archive replays): nothing new to tell.
    await client.openConversation(id)
    expect(heard).toEqual([`agent ${sent.id}`])
    expect(stream).toEqual([`backend ${sent.id} Sam`])
  })

  it("takes the agents' position from the conversations it resyncs, and a stale copy does not move it back", async () => {
    const stream = controlledStream({ live: false })
    const { client } = setup({ transport: stream.transport })
    await client.connect()
    const { id } = await client.startConversation()
    const [first, second] = [await client.send('one'), await client.send('two')]
    const conversation = client.$conversations.get()[0]!
    stream.emit({ type: 'conversation', conversation: { ...conversation, read: { agent: { messageId: second.id, at: 20 } } } })
    stream.emit({ type: 'conversation', conversation: { ...conversation, read: { agent: { messageId: first.id, at: 10 } } } })
    expect(client.$agentRead.get()[id]?.messageId).toBe(second.id)
  })
})

describe('client read receipts: tabs', () => {
  it('hands the reads of a tab that does not lead to the leader, which tells the backend once', async () => {
    const browser = createBrowser()
    const leader = browser.open(true)
    await leader.client.connect()
    const { id } = await leader.client.startConversation()
    const follower = browser.open(false)
    await follower.client.connect()
    await follower.client.openConversation(id)
    const reply = browser.backend.reply(id, 'Hello')
    await settle()
    follower.client.markRead(id, reply.id)
    for (let i = 0; i < 5 && !browser.backend.conversations()[0]!.read?.visitor; i++) await new Promise((resolve) => setTimeout(resolve, READ_SETTLE))
    expect(browser.backend.conversations()[0]!.read?.visitor?.messageId).toBe(reply.id)
  })
})
