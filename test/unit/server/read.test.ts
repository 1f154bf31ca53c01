import { describe, expect, it } from 'vitest'
import { readStep } from '../../../src/content/read.js'
import { AGENT_KEY, agentSend, openEvents, startServer, visitor, type TestServer, type TestVisitor } from './helpers.js'

const readAs = (server: TestServer, v: TestVisitor, messageId: unknown) =>
  server.call('POST', `/v1/conversations/${v.conversation.id}/read`, { token: v.token, body: { messageId } })
const agentReads = (server: TestServer, conversationId: string, messageId: string, name?: string) =>
  server.call('POST', `/v1/agent/conversations/${conversationId}/read`, { token: AGENT_KEY, body: { messageId, name } })

describe('readStep', () => {
  const messages = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }]

  it('moves a position forward to a later message, or from none to any', () => {
    expect(readStep(messages, 'm1', 'm3')).toBe('ahead')
    expect(readStep(messages, undefined, 'm1')).toBe('ahead')
  })

  it('leaves a position where it is for the same or an earlier message', () => {
    expect(readStep(messages, 'm2', 'm2')).toBe('behind')
    expect(readStep(messages, 'm3', 'm1')).toBe('behind')
  })

  it('calls a message the conversation does not have unknown', () => {
    expect(readStep(messages, 'm2', 'm9')).toBe('unknown')
    expect(readStep(messages, undefined, 'm9')).toBe('unknown')
  })
})

describe('POST /v1/conversations/:id/read', () => {
  it("moves the visitor's read position and answers it, with who read it and when", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const reply = await agentSend(server, v.conversation.id, 'Hello')
    const answer = await readAs(server, v, reply.body.id)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ messageId: reply.body.id, reader: { role: 'visitor', id: v.visitorId } })
    expect(answer.body.at).toEqual(expect.any(Number))
  })

  it('never moves a position back: an earlier message answers the position as it stands', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await agentSend(server, v.conversation.id, 'one')
    const second = await agentSend(server, v.conversation.id, 'two')
    const forward = await readAs(server, v, second.body.id)
    const back = await readAs(server, v, first.body.id)
    expect(back.status).toBe(200)
    expect(back.body).toEqual(forward.body)
    const conversation = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect(conversation.body.read.visitor.messageId).toBe(second.body.id)
  })

  it('refuses a message the conversation does not have with 400 unknown-message', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await readAs(server, v, 'm_nope')
    expect(answer.status).toBe(400)
    expect(answer.body.error).toEqual({ code: 'unknown-message', message: `Conversation ${v.conversation.id} has no message m_nope` })
  })

  it('refuses a body without a messageId with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await readAs(server, v, undefined)).status).toBe(400)
  })

  it("answers 404 for another visitor's conversation, as for a missing one", async () => {
    const server = await startServer()
    const owner = await visitor(server)
    const stranger = await visitor(server)
    const reply = await agentSend(server, owner.conversation.id, 'private')
    const answer = await server.call('POST', `/v1/conversations/${owner.conversation.id}/read`, { token: stranger.token, body: { messageId: reply.body.id } })
    expect(answer.status).toBe(404)
  })

  it('answers 401 without a token', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await server.call('POST', `/v1/conversations/${v.conversation.id}/read`, { body: { messageId: 'm_1' } })
    expect(answer.status).toBe(401)
  })

  it("tells agents the visitor read, as a read event with an id, and the visitor's other devices too", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const reply = await agentSend(server, v.conversation.id, 'Hello')
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    const device = await openEvents(server.url, '/v1/events', { token: v.token })
    await readAs(server, v, reply.body.id)
    for (const events of [agents, device]) {
      const event = await events.next()
      expect(event.event).toBe('read')
      expect(event.id).toMatch(/^\d+$/)
      expect(event.data).toMatchObject({ conversationId: v.conversation.id, messageId: reply.body.id, reader: { role: 'visitor', id: v.visitorId } })
      events.close()
    }
  })

  it('publishes nothing for a read that does not move the position', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const reply = await agentSend(server, v.conversation.id, 'Hello')
    await readAs(server, v, reply.body.id)
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    await readAs(server, v, reply.body.id)
    expect(await agents.idle(100)).toEqual([])
    agents.close()
  })
})

describe('POST /v1/agent/conversations/:id/read', () => {
  it("tells the visitor the agent read their message, named, and keeps it on the conversation", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await v.send('Are you there?')
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    const answer = await agentReads(server, v.conversation.id, sent.body.id, 'Sam')
    expect(answer.status).toBe(200)
    const event = await events.next()
    expect(event.event).toBe('read')
    expect(event.data).toEqual({ conversationId: v.conversation.id, messageId: sent.body.id, reader: { role: 'agent', name: 'Sam' }, at: answer.body.at })
    events.close()
    const listed = await server.call('GET', '/v1/conversations', { token: v.token })
    expect(listed.body.conversations[0].read).toEqual({ agent: { messageId: sent.body.id, at: answer.body.at, reader: { role: 'agent', name: 'Sam' } } })
  })

  it("keeps the agents' position apart from the visitor's", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await v.send('question')
    const reply = await agentSend(server, v.conversation.id, 'answer')
    await agentReads(server, v.conversation.id, sent.body.id)
    await readAs(server, v, reply.body.id)
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect([body.read.agent.messageId, body.read.visitor.messageId]).toEqual([sent.body.id, reply.body.id])
  })

  it('replays a read event missed while the stream was away', async () => {
    const server = await startServer()
    const v = await visitor(server)
    // Event 1 created the conversation, event 2 is the message: the stream left after it.
    const sent = await v.send('question')
    await agentReads(server, v.conversation.id, sent.body.id)
    const again = await openEvents(server.url, '/v1/events', { token: v.token, lastEventId: '2' })
    const event = await again.next()
    expect([event.event, event.data.messageId]).toEqual(['read', sent.body.id])
    again.close()
  })

  it('wants the agent key', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await v.send('question')
    const answer = await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/read`, { token: v.token, body: { messageId: sent.body.id } })
    expect(answer.status).toBe(401)
  })
})

describe('read positions in the store', () => {
  it('survive a restart, moved forward only', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await agentSend(server, v.conversation.id, 'one')
    const second = await agentSend(server, v.conversation.id, 'two')
    await readAs(server, v, second.body.id)
    await readAs(server, v, first.body.id)
    await server.restart()
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect(body.read.visitor.messageId).toBe(second.body.id)
  })

  it('survive a compaction, and leave the conversation where it was in lists', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await agentSend(server, v.conversation.id, 'one')
    const before = (await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })).body
    await readAs(server, v, first.body.id)
    // Started with a long journal, the store compacts it into a snapshot; the next start reads that.
    await server.restart({ compactEvery: 1 })
    await server.restart()
    const after = (await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })).body
    expect(after.updatedAt).toBe(before.updatedAt)
    expect(after.read.visitor.messageId).toBe(first.body.id)
  })
})
