import { describe, expect, it } from 'vitest'
import { agentSend, sleep, startServer, visitor, type Message, type TestServer, type TestVisitor } from './helpers.js'

/** The texts `GET /v1/search` answers for `q` (and the other parameters), in the order given. */
async function search(server: TestServer, v: TestVisitor, q: string, extra: Record<string, string> = {}) {
  const { status, body } = await server.call('GET', `/v1/search?${new URLSearchParams({ q, ...extra })}`, { token: v.token })
  expect(status).toBe(200)
  return (body.hits as { message: Message }[]).map((hit) => hit.message.text)
}

/** A visitor whose conversation holds `texts`, sent in order, each a few ms after the previous. */
async function visitorWith(server: TestServer, texts: string[]) {
  const v = await visitor(server)
  for (const text of texts) {
    expect((await v.send(text)).status).toBe(201)
    await sleep(2)
  }
  return v
}

describe('archive search', () => {
  it('answers hits holding the stored messages', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['Where is my parcel?', 'Thanks'])
    const { status, body } = await server.call('GET', '/v1/search?q=parcel', { token: v.token })
    expect(status).toBe(200)
    expect(body).toEqual({
      hits: [
        {
          message: {
            id: expect.stringMatching(/^m_/),
            clientId: expect.any(String),
            conversationId: v.conversation.id,
            seq: 1,
            author: { role: 'visitor', id: v.visitorId },
            text: 'Where is my parcel?',
            createdAt: expect.any(Number)
          }
        }
      ]
    })
  })

  it('ignores case and accents on both sides', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['Crème BRÛLÉE for two', 'Ｆｕｌｌ-width ＲＥＦＵＮＤ', 'plain creme'])
    expect(await search(server, v, 'creme brulee')).toEqual(['Crème BRÛLÉE for two'])
    expect(await search(server, v, 'CRÈME')).toEqual(['plain creme', 'Crème BRÛLÉE for two'])
    expect(await search(server, v, 'refund')).toEqual(['Ｆｕｌｌ-width ＲＥＦＵＮＤ'])
  })

  it('needs every word, and matches the last one as the start of a word', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['refund status please', 'status of my order', 'refunded'])
    expect(await search(server, v, 'refund sta')).toEqual(['refund status please'])
    expect(await search(server, v, 'refund')).toEqual(['refunded', 'refund status please'])
    // Only the last word may be cut short.
    expect(await search(server, v, 'ref status')).toEqual([])
    expect(await search(server, v, 'order stat')).toEqual(['status of my order'])
  })

  it('matches a quoted phrase as a piece of the text, and no word after it as a prefix', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['Order 1234 was late', 'late order 12', 'Ordered 12 items'])
    expect(await search(server, v, '"order 12"')).toEqual(['late order 12', 'Order 1234 was late'])
    expect(await search(server, v, '"der 12"')).toEqual(['late order 12', 'Order 1234 was late'])
    expect(await search(server, v, '"12 items"')).toEqual(['Ordered 12 items'])
    expect(await search(server, v, 'lat "order 12"')).toEqual([])
    expect(await search(server, v, '"order 12" lat')).toEqual(['late order 12', 'Order 1234 was late'])
    // Curly quotes, as phones type them.
    expect(await search(server, v, '“late order”')).toEqual(['late order 12'])
  })

  it('matches Chinese, Japanese and Korean words anywhere in the text', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['明日東京に行きます', 'iPadケースの返品', '서울에서 만나요'])
    expect(await search(server, v, '東京')).toEqual(['明日東京に行きます'])
    expect(await search(server, v, 'ケース 返品')).toEqual(['iPadケースの返品'])
    expect(await search(server, v, 'ipad')).toEqual(['iPadケースの返品'])
    expect(await search(server, v, '서울')).toEqual(['서울에서 만나요'])
    expect(await search(server, v, '大阪')).toEqual([])
  })

  it('searches only the caller’s conversations, agent replies included', async () => {
    const server = await startServer()
    const alice = await visitorWith(server, ['my invoice is wrong'])
    const bob = await visitorWith(server, ['invoice for Bob'])
    await sleep(2)
    await agentSend(server, alice.conversation.id, 'Your invoice is fixed')
    expect(await search(server, alice, 'invoice')).toEqual(['Your invoice is fixed', 'my invoice is wrong'])
    expect(await search(server, bob, 'invoice')).toEqual(['invoice for Bob'])
  })

  it('searches one conversation when conversationId is given, and 404s on someone else’s', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['first thread hello'])
    const other = await server.call('POST', '/v1/conversations', { token: v.token, body: { mode: 'chat' } })
    await server.call('POST', `/v1/conversations/${other.body.id}/messages`, {
      token: v.token,
      body: { clientId: 'o1', text: 'second thread hello' }
    })
    expect(await search(server, v, 'hello', { conversationId: other.body.id })).toEqual(['second thread hello'])

    const stranger = await visitor(server)
    const foreign = await server.call('GET', `/v1/search?q=hello&conversationId=${other.body.id}`, { token: stranger.token })
    expect(foreign.status).toBe(404)
    const malformed = await server.call('GET', '/v1/search?q=hello&conversationId=nope', { token: v.token })
    expect(malformed.status).toBe(400)
  })

  it('answers newest first, 20 by default, limit at most 50', async () => {
    const server = await startServer()
    const v = await visitor(server)
    // Sent together: many share a millisecond, so the order also shows the seq tie-break.
    await Promise.all(Array.from({ length: 55 }, (_, i) => v.send(`note ${i}`, `n${i}`)))
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages?limit=100`, { token: v.token })
    const newestFirst = (body.messages as Message[]).map((m) => m.text).reverse()

    expect(await search(server, v, 'note')).toEqual(newestFirst.slice(0, 20))
    expect(await search(server, v, 'note', { limit: '3' })).toEqual(newestFirst.slice(0, 3))
    expect(await search(server, v, 'note', { limit: '500' })).toHaveLength(50)
  })

  it('answers 400 to a missing, empty or too long q and to a bad limit', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (const query of ['', '?q=', `?q=${'a'.repeat(201)}`, '?q=a&limit=0', '?q=a&limit=ten']) {
      const { status, body } = await server.call('GET', `/v1/search${query}`, { token: v.token })
      expect({ query, status, code: body.error.code }).toEqual({ query, status: 400, code: 'bad-request' })
    }
    expect((await server.call('GET', `/v1/search?q=${'a'.repeat(200)}`, { token: v.token })).status).toBe(200)
  })

  it('finds nothing for a query without words', async () => {
    const server = await startServer()
    const v = await visitorWith(server, ['?!', 'hello'])
    expect(await search(server, v, '  ?! ')).toEqual([])
    expect(await search(server, v, '""')).toEqual([])
  })

  it('answers 401 without a token', async () => {
    const server = await startServer()
    const { status, headers } = await server.call('GET', '/v1/search?q=hello')
    expect(status).toBe(401)
    expect(headers.get('access-control-allow-origin')).toBe('*')
  })
})
