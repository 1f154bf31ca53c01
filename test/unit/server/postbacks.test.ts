import { describe, expect, it } from 'vitest'
import { AGENT_KEY, startServer, visitor, type TestServer, type TestVisitor } from './helpers.js'

const post = (server: TestServer, v: TestVisitor, body: unknown, id = v.conversation.id) =>
  server.call('POST', `/v1/conversations/${id}/postbacks`, { token: v.token, body })

const listed = async (server: TestServer, id: string) =>
  (await server.call('GET', `/v1/agent/conversations/${id}/postbacks`, { token: AGENT_KEY })).body.postbacks

describe('postbacks on the reference server', () => {
  it('stores a postback (201) and answers it with its id and time', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await post(server, v, { clientId: 'p1', payload: 'HANDOFF', messageId: 'm_1', actionId: 'talk' })
    expect(status).toBe(201)
    expect(body).toEqual({
      id: expect.stringMatching(/^p_/),
      clientId: 'p1',
      conversationId: v.conversation.id,
      payload: 'HANDOFF',
      messageId: 'm_1',
      actionId: 'talk',
      createdAt: expect.any(Number)
    })
  })

  it('stores a clientId once: 201 first, then 200 with the stored postback', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await post(server, v, { clientId: 'p1', payload: 'A' })
    const again = await post(server, v, { clientId: 'p1', payload: 'B' })
    expect([first.status, again.status]).toEqual([201, 200])
    expect(again.body).toEqual(first.body)
    expect(await listed(server, v.conversation.id)).toEqual([first.body])
  })

  it('never shows a postback in history or in the event stream', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await post(server, v, { clientId: 'p1', payload: 'A' })
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages).toEqual([])
    const poll = await server.call('GET', '/v1/poll?cursor=0&wait=0', { token: v.token })
    expect(poll.body.events.map((e: { event: string }) => e.event)).toEqual(['conversation'])
  })

  it('keeps postbacks, and their idempotency, through a restart and a compaction', async () => {
    const server = await startServer({ compactEvery: 3 })
    const v = await visitor(server)
    const stored = [(await post(server, v, { clientId: 'p1', payload: 'A' })).body, (await post(server, v, { clientId: 'p2', payload: 'B' })).body]
    await server.restart()
    expect(await listed(server, v.conversation.id)).toEqual(stored)
    expect((await post(server, v, { clientId: 'p1', payload: 'A' })).status).toBe(200)
  })

  it('refuses a postback in a closed conversation with 403, but answers a repeat of one stored before', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await post(server, v, { clientId: 'p1', payload: 'A' })
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    expect((await post(server, v, { clientId: 'p2', payload: 'B' })).body.error.code).toBe('conversation-closed')
    expect((await post(server, v, { clientId: 'p1', payload: 'A' })).status).toBe(200)
  })

  it("answers 404 for someone else's conversation, as for a missing one", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const other = await visitor(server)
    expect((await post(server, v, { clientId: 'p1', payload: 'A' }, other.conversation.id)).status).toBe(404)
    expect((await post(server, v, { clientId: 'p1', payload: 'A' }, 'c_missing')).status).toBe(404)
    expect(await listed(server, other.conversation.id)).toEqual([])
  })

  it.each([
    ['no clientId', { payload: 'A' }, 400, '"clientId" is missing'],
    ['a numeric clientId', { clientId: 1, payload: 'A' }, 400, '"clientId" must be a string'],
    ['no payload', { clientId: 'p1' }, 400, '"payload" is missing'],
    ['an empty payload', { clientId: 'p1', payload: '' }, 400, '"payload" must be 1 to 1000 characters long'],
    ['an object payload', { clientId: 'p1', payload: { a: 1 } }, 400, '"payload" must be a string'],
    ['a payload over 1000 characters', { clientId: 'p1', payload: 'x'.repeat(1001) }, 413, '"payload" is longer than 1000 characters'],
    ['a numeric messageId', { clientId: 'p1', payload: 'A', messageId: 3 }, 400, '"messageId" must be a string'],
    ['an actionId over 100 characters', { clientId: 'p1', payload: 'A', actionId: 'a'.repeat(101) }, 400, '"actionId" must be 1 to 100 characters long']
  ])('refuses a postback with %s', async (_, body, status, message) => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await post(server, v, body)
    expect({ status: answer.status, message: answer.body.error.message }).toEqual({ status, message })
    expect(await listed(server, v.conversation.id)).toEqual([])
  })

  it('lists postbacks to agents only', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await server.call('GET', `/v1/agent/conversations/${v.conversation.id}/postbacks`, { token: v.token })
    expect(answer.status).toBe(401)
  })

  it('loses the answer of a postback under the dropNextPostbacks fault, having stored it, and answers messages meanwhile', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.call('POST', `/v1/_faults/visitors/${v.visitorId}`, { token: AGENT_KEY, body: { dropNextPostbacks: 1 } })
    expect((await v.send('still answered')).status).toBe(201)
    await expect(post(server, v, { clientId: 'p1', payload: 'A' })).rejects.toThrow()
    expect(await listed(server, v.conversation.id)).toHaveLength(1)
    expect((await post(server, v, { clientId: 'p1', payload: 'A' })).status).toBe(200)
  })
})
