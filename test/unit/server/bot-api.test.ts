import { describe, expect, it } from 'vitest'
import { AGENT_CONTENT } from '../content-fixtures.js'
import { AGENT_KEY, startServer, visitor, type TestServer } from './helpers.js'
import { BOT_KEY } from './hook-helpers.js'

const botPost = (server: TestServer, id: string, body: unknown, token = BOT_KEY) =>
  server.call('POST', `/v1/bot/conversations/${id}/messages`, { token, body })

describe('the bot API', () => {
  it('stores a message with rich content as author role bot, with the name given', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    const { status, body } = await botPost(server, v.conversation.id, { clientId: 'b1', name: 'Shop bot', ...AGENT_CONTENT })
    expect(status).toBe(201)
    expect(body).toMatchObject({ ...AGENT_CONTENT, author: { role: 'bot', name: 'Shop bot' }, clientId: 'b1', seq: 1 })
  })

  it('names the author "Bot" when no name is given', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    expect((await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Hi' })).body.author).toEqual({ role: 'bot', name: 'Bot' })
  })

  it('stores a clientId once: 201 first, then 200 with the same message', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    const first = await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Hi' })
    const again = await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Hi again' })
    expect([first.status, again.status]).toEqual([201, 200])
    expect(again.body).toEqual(first.body)
  })

  it.each([
    ['no key', undefined],
    ['a wrong key', 'nope'],
    ['the agent key', AGENT_KEY]
  ])('refuses a request with %s with 401', async (_, token) => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    const path = `/v1/bot/conversations/${v.conversation.id}/messages`
    const answer = await server.call('POST', path, { ...(token === undefined ? {} : { token }), body: { clientId: 'b1', text: 'Hi' } })
    expect(answer.status).toBe(401)
    expect(answer.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('refuses a visitor token with 401', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    expect((await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Hi' }, v.token)).status).toBe(401)
  })

  it('does not exist without a bot key', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Hi' })).status).toBe(404)
  })

  it('refuses a bot key equal to the agent key', async () => {
    await expect(startServer({ botKey: 'same', agentKey: 'same' })).rejects.toThrow(/botKey must differ from agentKey/)
  })

  it.each<[string, object, number]>([
    ['no clientId', { text: 'Hi' }, 400],
    ['a blank text', { clientId: 'b1', text: ' ' }, 400],
    ['a card without title', { clientId: 'b1', text: 'Hi', parts: [{ type: 'cards', layout: 'list', items: [{}] }] }, 400],
    ['a link to javascript:', { clientId: 'b1', text: 'Hi', actions: [{ type: 'link', id: 'l', label: 'L', url: 'javascript:x' }] }, 400],
    ['metadata over 4 KB', { clientId: 'b1', text: 'Hi', metadata: { x: 'y'.repeat(4100) } }, 413]
  ])('refuses a message with %s', async (_, body, status) => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    const answer = await botPost(server, v.conversation.id, body)
    expect(answer.status).toBe(status)
    expect(answer.body.error.code).toBe(status === 413 ? 'too-large' : 'bad-request')
  })

  it('answers 404 for a conversation that does not exist', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    expect((await botPost(server, 'c_missing', { clientId: 'b1', text: 'Hi' })).status).toBe(404)
  })

  it('reads a conversation and its history', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    const sent = await v.send('hello')
    const conversation = await server.call('GET', `/v1/bot/conversations/${v.conversation.id}`, { token: BOT_KEY })
    expect(conversation.body).toMatchObject({ id: v.conversation.id, visitorId: v.visitorId, visitor: { id: v.visitorId } })
    const history = await server.call('GET', `/v1/bot/conversations/${v.conversation.id}/messages`, { token: BOT_KEY })
    expect(history.body.messages).toEqual([sent.body])
  })

  it('sends no CORS headers: browsers of other sites may not call it', async () => {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    const answer = await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Hi' })
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('a closed conversation', () => {
  async function closed() {
    const server = await startServer({ botKey: BOT_KEY })
    const v = await visitor(server)
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const visitorPost = (body: object) => server.call('POST', path, { token: v.token, body })
    return { server, v, visitorPost }
  }
  const request = { text: 'How did we do?', parts: [{ type: 'rating', comment: true }] }

  it('takes a rating request from a bot, and the visitor rating that answers it', async () => {
    const { server, v, visitorPost } = await closed()
    const asked = await botPost(server, v.conversation.id, { clientId: 'b1', ...request })
    expect(asked.status).toBe(201)
    const rated = await visitorPost({ clientId: 'v1', text: '★★★★☆', parts: [{ type: 'rating-response', score: 4 }], replyTo: { messageId: asked.body.id } })
    expect(rated.status).toBe(201)
  })

  it('refuses other messages from bots and visitors with 403', async () => {
    const { server, v, visitorPost } = await closed()
    const other = await botPost(server, v.conversation.id, { clientId: 'b1', text: 'Anything else?' })
    expect({ status: other.status, code: other.body.error.code }).toEqual({ status: 403, code: 'conversation-closed' })
    expect((await visitorPost({ clientId: 'v1', text: 'one more thing' })).status).toBe(403)
  })

  it('refuses a visitor rating that answers no rating request of the conversation with 403', async () => {
    const { server, v, visitorPost } = await closed()
    await botPost(server, v.conversation.id, { clientId: 'b1', ...request })
    const rating = { text: '★', parts: [{ type: 'rating-response', score: 1 }] }
    expect((await visitorPost({ clientId: 'v1', ...rating })).status).toBe(403)
    expect((await visitorPost({ clientId: 'v2', ...rating, replyTo: { messageId: 'm_other' } })).status).toBe(403)
  })
})
