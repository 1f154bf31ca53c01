import { describe, expect, it } from 'vitest'
import { AGENT_KEY, openEvents, startServer, visitor } from './helpers.js'

describe('POST /v1/conversations/:id/close', () => {
  it('closes the visitor conversation and answers it', async () => {
    const server = await startServer()
    const v = await visitor(server, 'chat')
    const { status, body } = await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: v.conversation.id, mode: 'chat', status: 'closed' })
    expect(body).not.toHaveProperty('visitorId')
  })

  it('answers the same conversation when closing it again', async () => {
    const server = await startServer()
    const v = await visitor(server, 'chat')
    const path = `/v1/conversations/${v.conversation.id}/close`
    const first = await server.call('POST', path, { token: v.token })
    const again = await server.call('POST', path, { token: v.token })
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
  })

  it('sends a conversation event to the visitor and to agents', async () => {
    const server = await startServer()
    const v = await visitor(server, 'chat')
    const mine = await openEvents(server.url, '/v1/events', { token: v.token })
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    expect((await mine.next()).data.conversation).toMatchObject({ id: v.conversation.id, status: 'closed' })
    expect((await agents.next()).data.conversation).toMatchObject({ id: v.conversation.id, status: 'closed', visitorId: v.visitorId })
    mine.close()
    agents.close()
  })

  it('sends no second event when the conversation was already closed', async () => {
    const server = await startServer()
    const v = await visitor(server, 'chat')
    const path = `/v1/conversations/${v.conversation.id}/close`
    await server.call('POST', path, { token: v.token })
    const mine = await openEvents(server.url, '/v1/events', { token: v.token })
    await server.call('POST', path, { token: v.token })
    expect(await mine.idle(50)).toEqual([])
    mine.close()
  })

  it('refuses a new message to the conversation it closed with 403', async () => {
    const server = await startServer()
    const v = await visitor(server, 'chat')
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    const { status, body } = await v.send('one more thing')
    expect(status).toBe(403)
    expect(body.error.code).toBe('conversation-closed')
  })

  it('answers 404 for another visitor conversation and leaves it open', async () => {
    const server = await startServer()
    const owner = await visitor(server)
    const stranger = await visitor(server)
    const { status } = await server.call('POST', `/v1/conversations/${owner.conversation.id}/close`, { token: stranger.token })
    expect(status).toBe(404)
    expect((await owner.send('still open')).status).toBe(201)
  })

  it('refuses a request without a token with 401', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await server.call('POST', `/v1/conversations/${v.conversation.id}/close`)).status).toBe(401)
  })

  it('keeps the conversation closed after a restart', async () => {
    const server = await startServer()
    const v = await visitor(server, 'chat')
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    await server.restart()
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect(body.status).toBe('closed')
  })
})
