import { describe, expect, it } from 'vitest'
import { AGENT_KEY, agentSend, startServer, visitor, type Conversation } from './helpers.js'

describe('agent API', () => {
  it('lists every visitor conversation with its visitor id, newest activity first', async () => {
    const server = await startServer()
    const a = await visitor(server)
    const b = await visitor(server, 'chat')
    await new Promise((resolve) => setTimeout(resolve, 5))
    await a.send('latest')
    const { status, body } = await server.call('GET', '/v1/agent/conversations', { token: AGENT_KEY })
    expect(status).toBe(200)
    expect(body.conversations.map((c: Conversation & { visitorId: string }) => [c.id, c.visitorId])).toEqual([
      [a.conversation.id, a.visitorId],
      [b.conversation.id, b.visitorId]
    ])
  })

  it('refuses a missing or wrong agent key with 401', async () => {
    const server = await startServer()
    expect((await server.call('GET', '/v1/agent/conversations')).status).toBe(401)
    expect((await server.call('GET', '/v1/agent/conversations', { token: 'demo-agent' })).status).toBe(401)
  })

  it('does not accept a visitor token as an agent key', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await server.call('GET', '/v1/agent/conversations', { token: v.token })).status).toBe(401)
  })

  it('replies as an agent, idempotent by clientId', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await agentSend(server, v.conversation.id, 'Hello!', 'a1')
    const again = await agentSend(server, v.conversation.id, 'Hello!', 'a1')
    expect(first.status).toBe(201)
    expect(first.body.author).toEqual({ role: 'agent', name: 'Agent' })
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
  })

  it('signs a reply with the name given', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { body } = await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/messages`, {
      token: AGENT_KEY,
      body: { clientId: 'n1', text: 'Hi', name: 'Dana' }
    })
    expect(body.author).toEqual({ role: 'agent', name: 'Dana' })
  })

  it('reads any conversation history with the same paging', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('one')
    await agentSend(server, v.conversation.id, 'two')
    const { body } = await server.call('GET', `/v1/agent/conversations/${v.conversation.id}/messages?limit=1`, {
      token: AGENT_KEY
    })
    expect(body).toMatchObject({ messages: [{ seq: 2, text: 'two' }], before: '2', after: '2' })
  })

  it('closes a conversation, and closing again changes nothing', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/agent/conversations/${v.conversation.id}/close`
    const closed = await server.call('POST', path, { token: AGENT_KEY })
    expect(closed.status).toBe(200)
    expect(closed.body).toMatchObject({ id: v.conversation.id, status: 'closed', visitorId: v.visitorId })
    const again = await server.call('POST', path, { token: AGENT_KEY })
    expect(again.body).toEqual(closed.body)
  })

  it('answers 404 for a conversation that does not exist', async () => {
    const server = await startServer()
    const { status } = await server.call('GET', '/v1/agent/conversations/c_missing/messages', { token: AGENT_KEY })
    expect(status).toBe(404)
  })
})
