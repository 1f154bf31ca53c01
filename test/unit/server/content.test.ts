import { describe, expect, it } from 'vitest'
import { AGENT_CONTENT, VISITOR_CONTENT } from '../content-fixtures.js'
import { AGENT_KEY, openEvents, startServer, visitor, type TestServer } from './helpers.js'

const agentPost = (server: TestServer, id: string, body: unknown) =>
  server.call('POST', `/v1/agent/conversations/${id}/messages`, { token: AGENT_KEY, body })

describe('rich content on the reference server', () => {
  it('stores an agent message with every part type and serves it in history as sent', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    expect(sent.status).toBe(201)
    expect(sent.body).toMatchObject(AGENT_CONTENT)
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0]).toEqual(sent.body)
  })

  it('stores a visitor message with every part type a visitor may send', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const sent = await server.call('POST', path, { token: v.token, body: { clientId: 'v1', ...VISITOR_CONTENT } })
    expect(sent.status).toBe(201)
    expect(sent.body).toMatchObject(VISITOR_CONTENT)
  })

  it('leaves unknown keys of a message out of what it stores', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const sent = await server.call('POST', path, { token: v.token, body: { clientId: 'v1', text: 'hi', seq: 99, admin: true } })
    expect(sent.status).toBe(201)
    expect(sent.body).not.toHaveProperty('admin')
    expect(sent.body.seq).toBe(1)
  })

  it('refuses a card from a visitor with 400 naming the part', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const body = { clientId: 'v1', text: 'hi', parts: [AGENT_CONTENT.parts![3]] }
    const { status, body: answer } = await server.call('POST', path, { token: v.token, body })
    expect(status).toBe(400)
    expect(answer.error).toEqual({ code: 'bad-request', message: '"parts[0].type" cards is sent by agents and bots, not by visitors' })
  })

  it('refuses metadata over 4 KB with 413', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await agentPost(server, v.conversation.id, { clientId: 'a1', text: 'hi', metadata: { x: 'y'.repeat(5000) } })
    expect(status).toBe(413)
    expect(body.error).toEqual({ code: 'too-large', message: '"metadata" is larger than 4096 bytes as JSON' })
  })

  it('sends the content in the event stream and as the conversation\'s last message', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    expect((await events.next()).data.message).toEqual(sent.body)
    events.close()
    const conversation = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect(conversation.body.lastMessage).toEqual(sent.body)
  })

  it('keeps the content through a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    await server.restart()
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0]).toEqual(sent.body)
  })

  it('finds a message by the title of one of its cards', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    const { body } = await server.call('GET', '/v1/search?q=basic', { token: v.token })
    expect(body.hits).toEqual([{ message: sent.body }])
  })
})
