import { describe, expect, it, vi } from 'vitest'
import { createError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { PageContext, TrackedEvent, Transport, VisitorUpdate } from '../../../src/transports/types.js'
import { setup } from './helpers.js'

const page: PageContext = { url: 'https://shop.example/orders/42', title: 'Order 42' }

/** A memory transport whose updates and events are recorded as they are called. */
function recording() {
  const backend = createMemoryBackend()
  const inner = createMemoryTransport({ backend })
  const updates: VisitorUpdate[] = []
  const events: TrackedEvent[] = []
  const transport: Transport = {
    ...inner,
    updateVisitor: (update) => (updates.push(structuredClone(update)), inner.updateVisitor!(update)),
    trackEvent: (event) => (events.push(structuredClone(event)), inner.trackEvent!(event))
  }
  return { backend, transport, updates, events }
}

const visitorId = (client: ReturnType<typeof setup>['client']) => client.$session.get()!.visitorId

describe('client.update()', () => {
  it('merges attributes on the backend, null deleting one', async () => {
    const { client, backend } = setup({ page: null })
    await client.update({ plan: 'free', company: 'Acme', trial: true })
    await client.update({ plan: 'pro', seats: 12, trial: null })
    expect(backend.visitor(visitorId(client)).attributes).toEqual({ plan: 'pro', company: 'Acme', seats: 12 })
  })

  it('refuses attributes outside the limits before anything goes, naming the limit', async () => {
    const { transport, updates } = recording()
    const { client: made } = setup({ transport, page: null })
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))
    await expect(made.update(many)).rejects.toMatchObject({ code: 'invalid-argument', message: 'update(attributes): "attributes" has 51 keys: at most 50' })
    await expect(made.update({ note: 'x'.repeat(501) })).rejects.toThrow('"attributes.note" is longer than 500 characters')
    await expect(made.update({ 'my plan': 'pro' })).rejects.toThrow('a key is 1 to 64 letters, digits, "_", "." or "-"')
    await expect(made.update(JSON.parse('{"__proto__": "x"}'))).rejects.toThrow('"attributes.__proto__"')
    await expect(made.update({ seats: Number.NaN })).rejects.toThrow('"attributes.seats" must be a finite number')
    await expect(made.update({ tags: ['a'] } as never)).rejects.toThrow('must be a string, a number, a boolean, or null to delete it')
    await expect(made.update({ big: 'x'.repeat(500), ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'y'.repeat(500)])) })).rejects.toThrow(
      '"attributes" is larger than 4096 bytes as JSON'
    )
    expect(updates).toEqual([])
  })

  it('tells the backend the page with every update, without its query or fragment', async () => {
    const { transport, updates } = recording()
    const { client } = setup({ transport, page: () => page })
    await client.connect()
    await client.update({ plan: 'pro' })
    expect(updates.at(-1)).toEqual({ attributes: { plan: 'pro' }, page })
  })

  it('tells the backend the page once each session starts, with nothing else', async () => {
    const { transport, updates, backend } = recording()
    const { client } = setup({ transport, page: () => page })
    await client.connect()
    await expect.poll(() => updates).toEqual([{ attributes: {}, page }])
    expect(backend.visitor(visitorId(client)).page).toMatchObject(page)
  })

  it('tells no page when told not to', async () => {
    const { transport, updates } = recording()
    const { client } = setup({ transport, page: null })
    await client.connect()
    await client.update({ plan: 'pro' })
    expect(updates).toEqual([{ attributes: { plan: 'pro' } }])
  })

  it('sends updates made while one is on its way together, in order, the last write winning', async () => {
    const { transport, updates, backend } = recording()
    const { client } = setup({ transport, page: null })
    await client.connect()
    const all = [client.update({ plan: 'free' }), client.update({ plan: 'pro', seats: 2 }), client.update({ seats: 3 })]
    await Promise.all(all)
    expect(updates).toEqual([{ attributes: { plan: 'free' } }, { attributes: { plan: 'pro', seats: 3 } }])
    expect(backend.visitor(visitorId(client)).attributes).toEqual({ plan: 'pro', seats: 3 })
  })

  it('retries an update whose request failed, until the backend has it', async () => {
    const { client, backend } = setup({ page: null })
    await client.connect()
    backend.failNextUpdates(2)
    await client.update({ plan: 'pro' })
    expect(backend.visitor(visitorId(client)).attributes).toEqual({ plan: 'pro' })
  })

  it('rejects with what the backend said when it refuses an update for good', async () => {
    const { client, backend } = setup({ page: null })
    await client.connect()
    backend.failNextUpdates(1, createError('http', 'PATCH /v1/visitor answered 403', { status: 403, retryable: false }))
    await expect(client.update({ plan: 'pro' })).rejects.toMatchObject({ code: 'http', status: 403 })
  })

  it('rejects with unsupported when the transport has no updateVisitor', async () => {
    const { updateVisitor: _u, ...transport } = createMemoryTransport()
    const { client } = setup({ transport, page: null })
    await expect(client.update({ plan: 'pro' })).rejects.toMatchObject({ code: 'unsupported', message: 'The memory transport does not take visitor attributes' })
  })

  it('delivers an update made just before identify() to the user the visitor becomes', async () => {
    const { client, backend } = setup({ page: null })
    const made = client.update({ plan: 'pro' })
    const identified = client.identify({ id: 'ada', token: 'user:ada' })
    await Promise.all([made, identified])
    expect(backend.visitor('u_ada').attributes).toEqual({ plan: 'pro' })
  })

  it('keeps an event tracked while identify() restarts the session, and the backend has it once', async () => {
    const { client, backend } = setup({ page: null })
    await client.connect()
    const tracked = client.trackEvent('signed up')
    await client.identify({ id: 'ada', token: 'user:ada' })
    await tracked
    expect(backend.visitor('u_ada').events.map((e) => e.name)).toEqual(['signed up'])
  })

  it('sends nothing for another user: what waited for the previous one is refused as closed', async () => {
    const { client, backend } = setup({ page: null, identity: { id: 'ada', token: 'user:ada' } })
    await client.connect()
    backend.failNextUpdates(1000)
    const waiting = client.update({ plan: 'pro' })
    const switched = client.identify({ id: 'bob', token: 'user:bob' })
    await expect(waiting).rejects.toMatchObject({ code: 'closed' })
    await switched
    backend.failNextUpdates(0)
    expect(backend.visitor('u_bob').attributes).toEqual({})
  })

  it('refuses an update made before the first session as closed when the visitor shuts down, starting no session for it', async () => {
    const { client } = setup({ page: null })
    const waiting = client.update({ plan: 'pro' })
    await client.shutdown()
    await expect(waiting).rejects.toMatchObject({ code: 'closed' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(client.$session.get()).toBeNull()
    expect(client.$status.get()).toBe('idle')
  })

  it('rejects an update still waiting when the visitor shuts down, as closed', async () => {
    const { client, backend } = setup({ page: null })
    await client.connect()
    backend.failNextUpdates(1000)
    const waiting = client.update({ plan: 'pro' })
    await client.shutdown()
    await expect(waiting).rejects.toMatchObject({ code: 'closed' })
  })
})

describe('client.trackEvent()', () => {
  it('stores an event with its metadata for the visitor', async () => {
    const { client, backend } = setup({ page: null, now: () => 1_767_225_600_000 })
    await client.trackEvent('order:placed', { orderId: 42, total: 99.5 })
    expect(backend.visitor(visitorId(client)).events).toEqual([
      { clientId: expect.any(String), name: 'order:placed', metadata: { orderId: 42, total: 99.5 }, at: 1_767_225_600_000 }
    ])
  })

  it('refuses a malformed name or metadata over 2 KB before anything goes, naming the limit', async () => {
    const { transport, events } = recording()
    const { client } = setup({ transport, page: null })
    await expect(client.trackEvent('order/placed')).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'trackEvent(name, metadata): "name" must be 1 to 64 letters, digits, spaces, "_", ".", ":" or "-" (no space first or last)'
    })
    await expect(client.trackEvent('x'.repeat(65))).rejects.toThrow('"name" must be 1 to 64')
    await expect(client.trackEvent(' padded')).rejects.toThrow('no space first or last')
    await expect(client.trackEvent('big', { note: 'x'.repeat(2100) })).rejects.toThrow('"metadata" is larger than 2048 bytes as JSON')
    await expect(client.trackEvent('listed', ['a'] as never)).rejects.toThrow('"metadata" must be an object')
    expect(events).toEqual([])
  })

  it('retries with the same client id after a lost answer, and the backend keeps it once', async () => {
    const { transport, events, backend } = recording()
    const { client } = setup({ transport, page: null })
    await client.connect()
    backend.failNextUpdates(1, undefined, { stored: true })
    await client.trackEvent('checkout:started')
    expect(events).toHaveLength(2)
    expect(events[1]!.clientId).toBe(events[0]!.clientId)
    expect(backend.visitor(visitorId(client)).events.map((e) => e.clientId)).toEqual([events[0]!.clientId])
  })

  it('gives each call its own client id', async () => {
    const { transport, events, backend } = recording()
    const { client } = setup({ transport, page: null })
    await Promise.all([client.trackEvent('viewed'), client.trackEvent('viewed')])
    expect(new Set(events.map((e) => e.clientId)).size).toBe(2)
    expect(backend.visitor(visitorId(client)).events).toHaveLength(2)
  })

  it('waits out the retryAfter of a 429 before sending again', async () => {
    const { client, backend } = setup({ page: null, timers: { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (h) => clearTimeout(h as never) }, random: () => 0 })
    await client.connect()
    backend.failNextUpdates(1, createError('rate-limited', 'POST /v1/visitor/events answered 429', { status: 429, retryAfter: 200 }))
    const started = Date.now()
    await client.trackEvent('slow down')
    expect(Date.now() - started).toBeGreaterThanOrEqual(195)
    expect(backend.visitor(visitorId(client)).events).toHaveLength(1)
  })

  it('rejects with unsupported when the transport has no trackEvent', async () => {
    const { trackEvent: _t, ...transport } = createMemoryTransport()
    const { client } = setup({ transport, page: null })
    await expect(client.trackEvent('viewed')).rejects.toMatchObject({ code: 'unsupported', message: 'The memory transport does not take tracked events' })
  })
})

describe('client.compose()', () => {
  it('opens the pane and keeps the text for the composer, which takes it once', async () => {
    const { client } = setup({ page: null })
    await client.compose('Hi about order 42')
    expect(client.$pane.get().open).toBe(true)
    expect(client.$draft.get()).toBe('Hi about order 42')
    expect(client.takeDraft()).toBe('Hi about order 42')
    expect(client.takeDraft()).toBeNull()
  })

  it('leaves a draft waiting alone when given no text', async () => {
    const { client } = setup({ page: null })
    await client.compose('first')
    await client.compose()
    expect(client.$draft.get()).toBe('first')
  })

  it('starts a thread in messaging mode when every listed one is closed', async () => {
    const { client, backend } = setup({ page: null })
    const closed = await client.startConversation()
    backend.closeConversation(closed.id)
    await vi.waitFor(() => expect(client.$active.get()?.status).toBe('closed'))
    await client.openConversation(null)
    await client.compose('A new question')
    expect(backend.conversations()).toHaveLength(2)
    expect(client.$activeId.get()).toBe(backend.conversations().find((c) => c.status === 'open')!.id)
  })

  it('forgets a waiting draft when the visitor shuts down', async () => {
    const { client } = setup({ page: null })
    await client.compose('private words')
    await client.shutdown()
    expect(client.$draft.get()).toBeNull()
  })
})
