import { describe, expect, it } from 'vitest'
import { startServer, visitor, type Conversation } from './helpers.js'

describe('conversations', () => {
  it('creates a conversation that starts open and empty', async () => {
    const server = await startServer()
    const { token } = await visitor(server)
    const { status, body } = await server.call('POST', '/v1/conversations', {
      token,
      body: { mode: 'chat', subject: 'Order 42' }
    })
    expect(status).toBe(201)
    expect(body).toEqual({
      id: expect.stringMatching(/^c_/),
      mode: 'chat',
      status: 'open',
      subject: 'Order 42',
      createdAt: expect.any(Number),
      updatedAt: body.createdAt
    })
  })

  it('lists conversations newest activity first', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const second = await server.call<Conversation>('POST', '/v1/conversations', { token: v.token, body: { mode: 'chat' } })
    await new Promise((resolve) => setTimeout(resolve, 5))
    await v.send('bump the first one')
    const { body } = await server.call('GET', '/v1/conversations', { token: v.token })
    expect(body.conversations.map((c: Conversation) => c.id)).toEqual([v.conversation.id, second.body.id])
    expect(body.conversations[0].lastMessage.text).toBe('bump the first one')
  })

  it('pages the list with a cursor until next is null', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (let i = 0; i < 4; i++) await server.call('POST', '/v1/conversations', { token: v.token, body: { mode: 'chat' } })
    const first = await server.call('GET', '/v1/conversations?limit=3', { token: v.token })
    expect(first.body.conversations).toHaveLength(3)
    expect(first.body.next).toEqual(expect.any(String))
    const second = await server.call('GET', `/v1/conversations?limit=3&cursor=${encodeURIComponent(first.body.next)}`, {
      token: v.token
    })
    expect(second.body.conversations).toHaveLength(2)
    expect(second.body.next).toBeNull()
    const ids = [...first.body.conversations, ...second.body.conversations].map((c: Conversation) => c.id)
    expect(new Set(ids).size).toBe(5)
  })

  it('opens one conversation by id', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect(status).toBe(200)
    expect(body).toEqual(v.conversation)
  })

  it('hides another visitor conversation behind a 404', async () => {
    const server = await startServer()
    const owner = await visitor(server)
    const stranger = await visitor(server)
    const path = `/v1/conversations/${owner.conversation.id}`
    expect((await server.call('GET', path, { token: stranger.token })).status).toBe(404)
    expect((await server.call('GET', `${path}/messages`, { token: stranger.token })).status).toBe(404)
    const send = await server.call('POST', `${path}/messages`, { token: stranger.token, body: { clientId: 'x', text: 'hi' } })
    expect(send.status).toBe(404)
    expect(send.body.error.code).toBe('not-found')
  })

  it('lists only the caller conversations', async () => {
    const server = await startServer()
    await visitor(server)
    const other = await visitor(server)
    const { body } = await server.call('GET', '/v1/conversations', { token: other.token })
    expect(body.conversations.map((c: Conversation) => c.id)).toEqual([other.conversation.id])
  })
})
