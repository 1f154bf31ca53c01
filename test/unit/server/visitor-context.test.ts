import { describe, expect, it } from 'vitest'
import { AGENT_KEY, openEvents, startServer, visitor, type TestServer } from './helpers.js'
import { signIn, startIdentityServer, userToken } from './identity-helpers.js'

let clientIds = 0
const event = (name: string, extra: Record<string, unknown> = {}) => ({ clientId: `event-${++clientIds}`, name, at: Date.now(), ...extra })

/** `PATCH /v1/visitor` as the visitor of `token`. */
const update = (server: TestServer, token: string, body: unknown) => server.call('PATCH', '/v1/visitor', { token, body })
/** `POST /v1/visitor/events` as the visitor of `token`. */
const track = (server: TestServer, token: string, body: unknown) => server.call('POST', '/v1/visitor/events', { token, body })
/** What agents see of a visitor. */
const details = (server: TestServer, visitorId: string) => server.call('GET', `/v1/agent/visitors/${visitorId}`, { token: AGENT_KEY })

describe('visitor attributes', () => {
  it('merges attributes, the last write winning per key and null deleting one', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await update(server, v.token, { attributes: { plan: 'free', company: 'Acme', seats: 3, trial: true } })
    const second = await update(server, v.token, { attributes: { plan: 'pro', seats: 12, trial: null } })
    expect(second.status).toBe(200)
    expect(second.body.attributes).toEqual({ plan: 'pro', company: 'Acme', seats: 12 })
    expect((await details(server, v.visitorId)).body.attributes).toEqual({ plan: 'pro', company: 'Acme', seats: 12 })
  })

  it('keeps the page as origin and path, the referrer as an origin, with when it was told', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const page = { url: 'https://shop.example/orders/42?token=secret#top', title: 'Order 42', referrer: 'https://search.example/q?x=1' }
    await update(server, v.token, { attributes: {}, page })
    expect((await details(server, v.visitorId)).body.page).toEqual({
      url: 'https://shop.example/orders/42',
      title: 'Order 42',
      referrer: 'https://search.example',
      at: expect.any(Number)
    })
  })

  it('refuses more than 50 attributes in all with 413 naming the limit, and keeps what was there', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const keys = (prefix: string) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${prefix}${i}`, i]))
    await update(server, v.token, { attributes: keys('a') })
    const refused = await update(server, v.token, { attributes: keys('b') })
    expect(refused.status).toBe(413)
    expect(refused.body.error.message).toBe('The visitor would have 60 attributes: at most 50')
    expect(Object.keys((await details(server, v.visitorId)).body.attributes)).toHaveLength(30)
  })

  it('refuses a malformed key, a long value and a nested value, naming each', async () => {
    const server = await startServer()
    const { token } = await visitor(server)
    const answers = await Promise.all([
      update(server, token, { attributes: { 'my plan': 'pro' } }),
      update(server, token, { attributes: { note: 'x'.repeat(501) } }),
      update(server, token, { attributes: { tags: ['a'] } }),
      update(server, token, { attributes: { big: 'x'.repeat(400), ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'y'.repeat(400)])) } })
    ])
    expect(answers.map((a) => [a.status, a.body.error.message])).toEqual([
      [400, '"attributes.my plan": a key is 1 to 64 letters, digits, "_", "." or "-"'],
      [413, '"attributes.note" is longer than 500 characters'],
      [400, '"attributes.tags" must be a string, a number, a boolean, or null to delete it'],
      [413, '"attributes" is larger than 4096 bytes as JSON']
    ])
  })

  it('needs the visitor token', async () => {
    const server = await startServer()
    expect((await update(server, 'nope', { attributes: { plan: 'pro' } })).status).toBe(401)
    expect((await server.call('PATCH', '/v1/visitor', { body: { attributes: {} } })).status).toBe(401)
  })

  it('lets a page of another site send PATCH (the preflight allows it)', async () => {
    const server = await startServer()
    const preflight = await fetch(`${server.url}/v1/visitor`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'PATCH' }
    })
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH')
  })
})

describe('tracked events', () => {
  it('stores an event once per clientId: 201, then 200 with the stored one', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const placed = event('order:placed', { metadata: { orderId: 42, total: 99.5 } })
    const first = await track(server, v.token, placed)
    const again = await track(server, v.token, placed)
    expect([first.status, again.status]).toEqual([201, 200])
    expect(again.body).toEqual(first.body)
    expect((await details(server, v.visitorId)).body.events).toEqual([{ ...placed, receivedAt: expect.any(Number) }])
  })

  it('refuses a malformed name and metadata over 2 KB, naming the limits', async () => {
    const server = await startServer()
    const { token } = await visitor(server)
    const bad = await track(server, token, event('order/placed'))
    const big = await track(server, token, event('big', { metadata: { note: 'x'.repeat(2100) } }))
    expect([bad.status, bad.body.error.message]).toEqual([
      400,
      '"name" must be 1 to 64 letters, digits, spaces, "_", ".", ":" or "-" (no space first or last)'
    ])
    expect([big.status, big.body.error.message]).toEqual([413, '"metadata" is larger than 2048 bytes as JSON'])
  })

  it('keeps the newest 100 events of a visitor, oldest first', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (let i = 0; i < 105; i++) await track(server, v.token, { clientId: `e${i}`, name: `step ${i}`, at: 1_000 + i })
    const kept = (await details(server, v.visitorId)).body.events
    expect(kept).toHaveLength(100)
    expect([kept[0].name, kept[99].name]).toEqual(['step 5', 'step 104'])
  })
})

describe('visitor details for agents', () => {
  it('shows the visitor attributes and page with one conversation', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await update(server, v.token, { attributes: { plan: 'pro' }, page: { url: 'https://shop.example/cart' } })
    const { body } = await server.call('GET', `/v1/agent/conversations/${v.conversation.id}`, { token: AGENT_KEY })
    expect(body.visitor).toEqual({ id: v.visitorId, attributes: { plan: 'pro' }, page: { url: 'https://shop.example/cart', at: expect.any(Number) } })
  })

  it('answers 404 for a visitor it does not know, and 401 without the agent key', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await details(server, 'v_unknown')).status).toBe(404)
    expect((await server.call('GET', `/v1/agent/visitors/${v.visitorId}`, { token: v.token })).status).toBe(401)
  })

  it('tells agents live of new attributes and events, without event ids', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const agents = await openEvents(server.url, '/v1/agent/events', { token: AGENT_KEY })
    const visitorEvents = await openEvents(server.url, '/v1/events', { token: v.token })
    await update(server, v.token, { attributes: { plan: 'pro' } })
    const placed = event('order:placed')
    await track(server, v.token, placed)
    const [told, tracked] = [await agents.next(), await agents.next()]
    expect([told.event, told.data]).toEqual(['visitor', { visitorId: v.visitorId, attributes: { plan: 'pro' } }])
    expect([tracked.event, tracked.data]).toEqual(['visitor-event', { visitorId: v.visitorId, event: { ...placed, receivedAt: expect.any(Number) } }])
    // The visitor's own stream hears nothing of it.
    expect(await visitorEvents.idle(100)).toEqual([])
    agents.close()
    visitorEvents.close()
  })

  it('keeps attributes, page and events through a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await update(server, v.token, { attributes: { plan: 'pro', seats: 12 }, page: { url: 'https://shop.example/' } })
    await update(server, v.token, { attributes: { seats: null } })
    const placed = event('order:placed')
    await track(server, v.token, placed)
    const before = (await details(server, v.visitorId)).body
    await server.restart()
    expect((await details(server, v.visitorId)).body).toEqual(before)
    // And the event is still known by its client id.
    expect((await track(server, v.token, placed)).status).toBe(200)
  })

  it('keeps them through a compaction and a restart from the snapshot', async () => {
    const server = await startServer({ compactEvery: 3 })
    const v = await visitor(server)
    await update(server, v.token, { attributes: { plan: 'pro' } })
    await track(server, v.token, event('a'))
    await track(server, v.token, event('b'))
    const before = (await details(server, v.visitorId)).body
    await server.restart()
    expect((await details(server, v.visitorId)).body).toEqual(before)
  })

  it('moves an anonymous visitor details to the user who signs in, the user attributes winning', async () => {
    const server = await startIdentityServer()
    const user = await signIn(server, userToken('user-1'))
    await update(server, user.body.token, { attributes: { plan: 'pro' } })
    const anonymous = await visitor(server)
    await update(server, anonymous.token, { attributes: { plan: 'free', company: 'Acme' }, page: { url: 'https://shop.example/pricing' } })
    const viewed = event('pricing:viewed')
    await track(server, anonymous.token, viewed)
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    const { body } = await details(server, user.body.visitorId)
    expect(body.attributes).toEqual({ plan: 'pro', company: 'Acme' })
    expect(body.page.url).toBe('https://shop.example/pricing')
    expect(body.events.map((e: { clientId: string }) => e.clientId)).toEqual([viewed.clientId])
    await server.restart()
    expect((await details(server, user.body.visitorId)).body).toEqual(body)
  })
})
