import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { readConversation, readEvent } from '../../../src/transports/http/wire.js'
import { BASE, connected, conversation, server, sessions, useServer } from './http-fixtures.js'

useServer()

describe('http transport: read receipts', () => {
  it('declares read receipts', async () => {
    sessions()
    const transport = await connected()
    expect(transport.capabilities.readReceipts).toBe(true)
    expect(typeof transport.markRead).toBe('function')
  })

  it('posts the message read up to, to the read endpoint of the conversation', async () => {
    sessions()
    const posted: unknown[] = []
    server.use(
      http.post(`${BASE}/v1/conversations/:id/read`, async ({ request }) => {
        posted.push([new URL(request.url).pathname, await request.json()])
        // The reference server answers the position (200, JSON), which the transport has no use for.
        return new HttpResponse(null, { status: 204 })
      })
    )
    const transport = await connected()
    await transport.markRead!('c/1', 'm7')
    expect(posted).toEqual([['/v1/conversations/c%2F1/read', { messageId: 'm7' }]])
  })

  it('rejects a read of a message the server does not know, for good', async () => {
    sessions()
    server.use(
      http.post(`${BASE}/v1/conversations/c1/read`, () =>
        HttpResponse.json({ error: { code: 'unknown-message', message: 'Conversation c1 has no message m9' } }, { status: 400 })
      )
    )
    const transport = await connected()
    await expect(transport.markRead!('c1', 'm9')).rejects.toMatchObject({ status: 400, retryable: false })
  })
})

describe('the wire readers: read receipts', () => {
  it('reads a read event with who read, up to which message and when', () => {
    const data = JSON.stringify({ conversationId: 'c1', reader: { role: 'agent', name: 'Sam', x: 1 }, messageId: 'm3', at: 5, extra: true })
    expect(readEvent('read', data, '12')).toEqual({
      type: 'read',
      conversationId: 'c1',
      reader: { role: 'agent', name: 'Sam' },
      messageId: 'm3',
      at: 5,
      cursor: '12'
    })
  })

  it('drops a read event without its message id as malformed', () => {
    const event = readEvent('read', JSON.stringify({ conversationId: 'c1', reader: { role: 'agent' } }), '13')
    expect(event).toMatchObject({ type: 'error', error: { code: 'malformed-event' } })
  })

  it("reads each side's read position of a conversation, leaving out one it cannot read", () => {
    const read = { agent: { messageId: 'm2', at: 9, reader: { role: 'agent', name: 'Sam' } }, visitor: { at: 3 } }
    expect(readConversation(conversation({ read } as never))).toEqual(
      conversation({ read: { agent: { messageId: 'm2', at: 9, reader: { role: 'agent', name: 'Sam' } } } })
    )
    expect(readConversation({ ...conversation(), read: 'all' })).toEqual(conversation())
  })
})
