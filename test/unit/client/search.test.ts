import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { createClient } from '../../../src/client/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { createDevice, instantTimers, setup } from './helpers.js'

/** A client whose history sits in a (fake) IndexedDB, as in a browser. */
function onDevice(transport: Transport, indexedDB = new IDBFactory(), device = createDevice()) {
  return createClient({
    transport,
    storage: device.storage,
    cache: (name) => createIdbCache({ name, indexedDB, IDBKeyRange }),
    timers: instantTimers,
    isVisible: () => true
  })
}

describe('searching past answers', () => {
  it('finds a message of another thread, case- and accent-insensitively, with the words to mark', async () => {
    const { client, backend } = setup()
    await client.send('Do you sell decaf?')
    backend.reply(client.$activeId.get()!, 'Yes: our Café Décaféiné is in the shop.')
    await client.startConversation()
    await client.send('A second question')
    await vi.waitFor(() => expect(client.$messages.get()).not.toEqual({}))

    const results = await client.search('cafe decafeine')
    expect(results.map((r) => r.message.text)).toEqual(['Yes: our Café Décaféiné is in the shop.'])
    const [hit] = results
    expect(hit!.source).toBe('device')
    expect(hit!.snippet.ranges.map(([s, e]) => hit!.snippet.text.slice(s, e))).toEqual(['Café', 'Décaféiné'])
    expect(client.$search.get()).toMatchObject({ query: 'cafe decafeine', status: 'done', results })
  })

  it('keeps the index current as messages arrive after the first search', async () => {
    const { client, backend } = setup()
    await client.send('hello')
    expect(await client.search('refund')).toEqual([])
    backend.reply(client.$activeId.get()!, 'Your refund was sent today')
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(2))
    expect((await client.search('refund')).map((r) => r.message.text)).toEqual(['Your refund was sent today'])
  })

  it('finds history that is only on the device, with the backend unreachable', async () => {
    const backend = createMemoryBackend()
    const indexedDB = new IDBFactory()
    const device = createDevice()
    const first = onDevice(createMemoryTransport({ backend }), indexedDB, device)
    await first.send('Where is parcel 77?')
    backend.reply(first.$activeId.get()!, 'Parcel 77 is at the depot.')
    await vi.waitFor(() => expect(first.$activeMessages.get()).toHaveLength(2))
    await new Promise((resolve) => setTimeout(resolve, 20))
    first.transport.close()

    const down = { ...createMemoryTransport({ backend }), connect: () => Promise.reject(new TypeError('Failed to fetch')) }
    const offline = onDevice(down as Transport, indexedDB, device)
    void offline.connect()
    const results = await offline.search('depot')
    expect(results.map((r) => r.message.text)).toEqual(['Parcel 77 is at the depot.'])
  })

  it('adds archive results the device never held, marked, without duplicates', async () => {
    const backend = createMemoryBackend()
    const device = createDevice()
    const old = onDevice(createMemoryTransport({ backend }), new IDBFactory(), device)
    await old.send('The warranty question from last year')
    const id = old.$activeId.get()!
    for (let i = 1; i <= 40; i++) backend.reply(id, i === 40 ? 'The warranty now lasts three years' : `small talk ${i}`)
    // The same visitor on a fresh device: only the newest page of the thread loads.
    const fresh = onDevice(createMemoryTransport({ backend }), new IDBFactory(), device)
    await fresh.connect()
    expect(fresh.$activeMessages.get().map((m) => m.text)).not.toContain('The warranty question from last year')

    const results = await fresh.search('warranty')
    expect(results.map((r) => [r.source, r.message.text])).toEqual([
      ['device', 'The warranty now lasts three years'],
      ['server', 'The warranty question from last year']
    ])
    expect(fresh.$search.get().archive).toBe('done')
    expect(results[1]!.snippet.ranges).toEqual([[4, 12]])
  })

  it('finds a card title and shows snippets as plain text, from the device and from the archive', async () => {
    const backend = createMemoryBackend()
    const inner = createMemoryTransport({ backend })
    const older = { id: 'm_old', conversationId: 'c_old', seq: 1, author: { role: 'agent' as const }, createdAt: 1, text: 'Read [our **returns** guide](https://docs.example/returns)' }
    const { client } = setup({ backend, transport: { ...inner, searchArchive: async (query) => [...(await inner.searchArchive!(query)), { message: older }] } })
    await client.send('How do returns work?')
    const id = client.$activeId.get()!
    backend.reply(id, { text: 'See **this**:', parts: [{ type: 'cards', layout: 'list', items: [{ title: 'Free returns', description: 'Within 30 days' }] }] })
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(2))

    const results = await client.search('returns')
    expect(results.map((r) => [r.source, r.snippet.text]).sort()).toEqual([
      ['device', 'How do returns work?'],
      ['device', 'See this:\nFree returns\nWithin 30 days'],
      ['server', 'Read our returns guide']
    ])
    for (const { snippet } of results) expect(snippet.ranges.map(([s, e]) => snippet.text.slice(s, e))).toEqual(['returns'])
  })

  it('clears results for an empty query', async () => {
    const { client } = setup()
    await client.send('hello')
    await client.search('hello')
    expect(await client.search('  ')).toEqual([])
    expect(client.$search.get()).toEqual({ query: '', status: 'idle', results: [], archive: 'none' })
  })

  it('forgets the index with the person', async () => {
    const { client } = setup()
    await client.send('my secret order')
    expect(await client.search('secret')).toHaveLength(1)
    await client.shutdown()
    await client.send('a new visitor')
    expect(await client.search('secret', { archive: false })).toEqual([])
  })

  it('jumps to an old hit: opens its thread with the messages around it and marks it', async () => {
    const { client, backend } = setup()
    await client.send('Question about invoice 12')
    const id = client.$activeId.get()!
    for (let i = 1; i <= 80; i++) backend.reply(id, i === 3 ? 'Invoice 12 was paid on May 3' : `later message ${i}`)
    const reader = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: client.$session.get() ? { get: () => client.$session.get()!.resumeKey!, set: () => {}, remove: () => {} } : null, cache: null })
    await reader.connect()
    expect(reader.$activeMessages.get().some((m) => m.text === 'Invoice 12 was paid on May 3')).toBe(false)
    const [hit] = await reader.search('"paid on may"')
    expect(hit!.source).toBe('server')
    await reader.openConversation(null)
    await reader.jumpTo(hit!.message)
    expect(reader.$activeId.get()).toBe(id)
    expect(reader.$highlight.get()).toBe(hit!.message.id)
    const seqs = reader.$activeMessages.get().map((m) => m.seq)
    expect(seqs[0]).toBeLessThanOrEqual(hit!.message.seq!)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i))
  })
})

describe('search results and jumps stay honest', () => {
  it('does not label device messages as archive results when the device has more hits than the limit', async () => {
    const { client, backend } = setup()
    await client.send('warranty 0')
    const id = client.$activeId.get()!
    for (let i = 1; i < 25; i++) backend.reply(id, `warranty ${i}`)
    await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(25))
    const results = await client.search('warranty', { limit: 5 })
    expect(results.map((r) => r.source)).toEqual(['device', 'device', 'device', 'device', 'device'])
  })

  it('leaves the stores alone when the data was wiped during a jump', async () => {
    const { client } = setup()
    await client.send('secret order 42')
    const [hit] = await client.search('secret')
    const jumping = client.jumpTo(hit!.message)
    await client.shutdown()
    await jumping
    expect(client.$messages.get()).toEqual({})
    expect(client.$highlight.get()).toBeNull()
  })

  it('keeps only the newest of two quick jumps', async () => {
    const { client, backend } = setup()
    await client.send('alpha question')
    const first = client.$activeId.get()!
    await client.startConversation()
    await client.send('beta question')
    backend.reply(first, 'alpha answer')
    await vi.waitFor(() => expect(backend.messages(first)).toHaveLength(2))
    const [alpha] = await client.search('alpha answer')
    const [beta] = await client.search('beta')
    const slow = client.jumpTo(alpha!.message)
    await client.jumpTo(beta!.message)
    await slow
    expect(client.$activeId.get()).toBe(beta!.message.conversationId)
    expect(client.$highlight.get()).toBe(beta!.message.id)
  })
})
