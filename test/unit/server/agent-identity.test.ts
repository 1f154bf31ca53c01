import { describe, expect, it } from 'vitest'
import { AGENT_KEY, openEvents, visitor } from './helpers.js'
import { signIn, startIdentityServer, userToken } from './identity-helpers.js'

describe('agents and identified users', () => {
  it('tells agents who the identified user of a conversation is', async () => {
    const server = await startIdentityServer()
    const user = await signIn(server, userToken('user-1', { name: 'Ada Lovelace', email: 'ada@example.com' }))
    const created = await server.call('POST', '/v1/conversations', { token: user.body.token, body: { mode: 'messaging' } })
    const { body } = await server.call('GET', `/v1/agent/conversations/${created.body.id}`, { token: AGENT_KEY })
    expect(body).toMatchObject({
      id: created.body.id,
      visitorId: user.body.visitorId,
      visitor: { id: user.body.visitorId, identified: { id: 'user-1', name: 'Ada Lovelace', email: 'ada@example.com' } }
    })
  })

  it('describes an anonymous visitor with its id only', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    const { body } = await server.call('GET', '/v1/agent/conversations', { token: AGENT_KEY })
    expect(body.conversations).toEqual([{ ...anonymous.conversation, visitorId: anonymous.visitorId, visitor: { id: anonymous.visitorId } }])
  })

  it('lists several threads of one user as separate conversations, each with the user', async () => {
    const server = await startIdentityServer()
    const user = await signIn(server, userToken('user-1', { name: 'Ada' }))
    for (const mode of ['messaging', 'chat']) {
      await server.call('POST', '/v1/conversations', { token: user.body.token, body: { mode } })
    }
    const { body } = await server.call('GET', '/v1/agent/conversations', { token: AGENT_KEY })
    expect(body.conversations).toHaveLength(2)
    for (const c of body.conversations) expect(c.visitor).toEqual({ id: user.body.visitorId, identified: { id: 'user-1', name: 'Ada' } })
  })

  it('sends agents the user identity with every moved conversation', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    const user = await signIn(server, userToken('user-1', { name: 'Ada' }), anonymous.resumeKey)
    const moved = await agents.next()
    expect(moved.event).toBe('conversation')
    expect(moved.data.conversation).toMatchObject({
      id: anonymous.conversation.id,
      visitorId: user.body.visitorId,
      visitor: { id: user.body.visitorId, identified: { id: 'user-1', name: 'Ada' } }
    })
    agents.close()
  })

  it('answers the agent close with the user identity', async () => {
    const server = await startIdentityServer()
    const user = await signIn(server, userToken('user-1', { name: 'Ada' }))
    const created = await server.call('POST', '/v1/conversations', { token: user.body.token, body: { mode: 'chat' } })
    const { body } = await server.call('POST', `/v1/agent/conversations/${created.body.id}/close`, { token: AGENT_KEY })
    expect(body).toMatchObject({ status: 'closed', visitor: { identified: { id: 'user-1', name: 'Ada' } } })
  })
})
