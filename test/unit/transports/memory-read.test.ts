import { describe, expect, it } from 'vitest'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { TransportEvent } from '../../../src/transports/types.js'

async function visitorInThread() {
  const transport = createMemoryTransport({ backend: createMemoryBackend({ now: () => 1000 }) })
  await transport.connect({})
  const conversation = await transport.createConversation({ mode: 'messaging' })
  const events: TransportEvent[] = []
  transport.subscribe((event) => events.push(event))
  return { transport, backend: transport.backend, id: conversation.id, events }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const reads = (events: TransportEvent[]) => events.filter((e) => e.type === 'read')

describe('memory transport: read receipts', () => {
  it("moves the visitor's read position forward only, telling the stream once per move", async () => {
    const { transport, backend, id, events } = await visitorInThread()
    const first = backend.reply(id, 'one')
    const second = backend.reply(id, 'two')
    await transport.markRead!(id, second.id)
    await transport.markRead!(id, first.id)
    await transport.markRead!(id, second.id)
    await settle()
    expect(reads(events).map((e) => e.type === 'read' && [e.reader.role, e.messageId])).toEqual([['visitor', second.id]])
    expect(backend.conversations()[0]!.read?.visitor).toEqual({ messageId: second.id, at: 1000, reader: { role: 'visitor', id: expect.any(String) } })
  })

  it('refuses a message the conversation does not have, for good', async () => {
    const { transport, id } = await visitorInThread()
    await expect(transport.markRead!(id, 'm_nope')).rejects.toMatchObject({ code: 'invalid-argument', status: 400, retryable: false })
  })

  it("delivers an agent's read as a read event, with a cursor, and keeps it on the conversation", async () => {
    const { transport, backend, id, events } = await visitorInThread()
    const sent = await transport.send(id, { clientId: 'k1', text: 'Hi' })
    backend.markRead(id, sent.id, { role: 'agent', name: 'Sam' })
    await settle()
    expect(reads(events)).toEqual([
      { type: 'read', conversationId: id, reader: { role: 'agent', name: 'Sam' }, messageId: sent.id, at: 1000, cursor: expect.any(String) }
    ])
    expect((await transport.getConversation(id)).read).toEqual({ agent: { messageId: sent.id, at: 1000, reader: { role: 'agent', name: 'Sam' } } })
  })
})
