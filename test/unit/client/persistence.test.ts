import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { createClient, type Client, type ClientOptions } from '../../../src/client/index.js'
import { createError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport, type MemoryBackend } from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { createDevice, createManualClock, instantTimers } from './helpers.js'

const open: Client[] = []
afterEach(async () => {
  for (const client of open.splice(0)) client.transport.close()
})

/** One browser profile: an IndexedDB, a localStorage, and tabs that share them. */
function createBrowser(site = `site-${Math.random().toString(36).slice(2)}`) {
  const indexedDB = new IDBFactory()
  const device = createDevice()
  const tab = (transport: Transport, options: Partial<ClientOptions> = {}) => {
    const client = createClient({
      transport,
      site,
      storage: device.storage,
      cache: (name) => createIdbCache({ name, indexedDB, IDBKeyRange }),
      timers: instantTimers,
      random: () => 0,
      isVisible: () => true,
      ...options
    })
    open.push(client)
    return client
  }
  const databases = async () => (await indexedDB.databases()).map((d) => d.name)
  return { indexedDB, device, tab, databases, site }
}

/** A transport whose backend cannot be reached: every call fails as a network error would. */
function unreachable(): Transport {
  const down = () => Promise.reject(createError('network', 'offline'))
  return {
    ...createMemoryTransport(),
    connect: down,
    listConversations: down,
    history: down,
    send: down
  }
}

async function chatWithHistory(backend: MemoryBackend, client: Client, count: number) {
  await client.send('first question')
  const id = client.$activeId.get()!
  for (let i = 1; i < count; i++) backend.reply(id, `answer ${i}`)
  await vi.waitFor(() => expect(client.$activeMessages.get()).toHaveLength(count))
  return id
}

describe('history on the device', () => {
  it('paints the thread from the cache when the network is gone', async () => {
    const browser = createBrowser()
    const backend = createMemoryBackend()
    const before = browser.tab(createMemoryTransport({ backend }))
    await chatWithHistory(backend, before, 5)
    await vi.waitFor(async () => expect(await browser.databases()).toHaveLength(1))

    const offline = browser.tab(unreachable())
    void offline.connect()
    await vi.waitFor(() => expect(offline.$activeMessages.get().map((m) => m.text)).toEqual(before.$activeMessages.get().map((m) => m.text)))
    expect(offline.$status.get()).not.toBe('online')
    expect(offline.$storage.get()).toEqual({ persistent: true })
  })

  it('pages back through cached history offline', async () => {
    const browser = createBrowser()
    const backend = createMemoryBackend()
    const writer = browser.tab(createMemoryTransport({ backend }))
    await chatWithHistory(backend, writer, 120)
    const offline = browser.tab(unreachable())
    void offline.connect()
    await vi.waitFor(() => expect(offline.$activeMessages.get()).toHaveLength(50))
    while (await offline.loadOlder()) {
      // page back to the start
    }
    expect(offline.$activeMessages.get().map((m) => m.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
  })

  it('fills the gap from its cursor after a visit away', async () => {
    const browser = createBrowser()
    const backend = createMemoryBackend()
    const first = browser.tab(createMemoryTransport({ backend }))
    const id = await chatWithHistory(backend, first, 3)
    first.transport.close()
    await new Promise((resolve) => setTimeout(resolve, 20))
    for (let i = 1; i <= 75; i++) backend.reply(id, `while away ${i}`)

    const second = browser.tab(createMemoryTransport({ backend }))
    await second.connect()
    await vi.waitFor(() => expect(second.$activeMessages.get()).toHaveLength(78))
    expect(second.$activeMessages.get().map((m) => m.seq)).toEqual(Array.from({ length: 78 }, (_, i) => i + 1))
  })

  it('rebuilds from the server when the cache was wiped', async () => {
    const browser = createBrowser()
    const backend = createMemoryBackend()
    const first = browser.tab(createMemoryTransport({ backend }))
    await chatWithHistory(backend, first, 4)
    first.transport.close()
    for (const name of await browser.databases()) browser.indexedDB.deleteDatabase(name!)
    await vi.waitFor(async () => expect(await browser.databases()).toHaveLength(0))

    const second = browser.tab(createMemoryTransport({ backend }))
    await second.connect()
    expect(second.$activeMessages.get().map((m) => m.text)).toEqual(first.$activeMessages.get().map((m) => m.text))
  })

  it('stays usable in memory and says so when IndexedDB is missing', async () => {
    const errors: string[] = []
    const client = createClient({
      transport: createMemoryTransport(),
      cache: (name) => createIdbCache({ name, indexedDB: undefined, IDBKeyRange: undefined }),
      storage: createDevice().storage
    })
    open.push(client)
    client.on('error', (error) => errors.push(error.code))
    const sent = await client.send('still works')
    expect(sent.status).toBe('sent')
    expect(client.$storage.get()).toEqual({ persistent: false, reason: 'IndexedDB is not available in this browser' })
  })
})

describe('identity', () => {
  it('moves the anonymous threads to the user, and the user sees them on another device', async () => {
    const backend = createMemoryBackend()
    const laptop = createBrowser()
    const anonymous = laptop.tab(createMemoryTransport({ backend }))
    await anonymous.send('asked before signing in')
    const anonymousDb = (await laptop.databases())[0]
    await anonymous.identify({ id: 'ada', name: 'Ada', token: 'user:ada' })
    expect(anonymous.$session.get()?.identified?.id).toBe('ada')
    expect(anonymous.$activeMessages.get().map((m) => m.text)).toEqual(['asked before signing in'])
    await vi.waitFor(async () => expect(await laptop.databases()).toEqual([`confab-${laptop.site}-u-ada`]))
    expect(anonymousDb).toMatch(/-v-v_/)
    // Only the anonymous visitor's resume key was a credential on the device; it is gone.
    expect([...laptop.device.data.keys()]).toEqual([`confab:${laptop.site}:person`])

    const phone = createBrowser()
    const user = phone.tab(createMemoryTransport({ backend }), { identity: { id: 'ada', token: 'user:ada' } })
    await user.connect()
    expect(user.$activeMessages.get().map((m) => m.text)).toEqual(['asked before signing in'])
  })

  it('deletes the previous user’s data when another user signs in', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const client = browser.tab(createMemoryTransport({ backend }), { identity: { id: 'ada', token: 'user:ada' } })
    await client.send('ada’s private question')
    await vi.waitFor(async () => expect(await browser.databases()).toEqual([`confab-${browser.site}-u-ada`]))
    await client.identify({ id: 'bob', token: 'user:bob' })
    expect(client.$conversations.get()).toEqual([])
    expect(client.$session.get()?.identified?.id).toBe('bob')
    await vi.waitFor(async () => expect(await browser.databases()).not.toContain(`confab-${browser.site}-u-ada`))
  })

  it('does not show a signed-out user’s history to the next visitor of the device', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const ada = browser.tab(createMemoryTransport({ backend }), { identity: { id: 'ada', token: 'user:ada' } })
    await ada.send('ada’s order question')
    ada.transport.close()

    const next = browser.tab(createMemoryTransport({ backend }))
    await next.connect()
    expect(next.$conversations.get()).toEqual([])
    expect(await browser.databases()).not.toContain(`confab-${browser.site}-u-ada`)
  })

  it('rejects identify without an id or a token', async () => {
    const client = createBrowser().tab(createMemoryTransport())
    await expect(client.identify({ id: '', token: 'x' })).rejects.toThrowError(/needs \{ id, token \}/)
  })
})

describe('chat sessions', () => {
  it('end after the inactivity timeout, in every tab, and the next one starts fresh', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const clock = createManualClock()
    const options = { mode: 'chat' as const, now: clock.now, timers: clock.timers, chatTimeoutMinutes: 30 }
    const backendOptions = { backend }
    const first = browser.tab(createMemoryTransport(backendOptions), options)
    await first.send('a live question')
    const second = browser.tab(createMemoryTransport(backendOptions), options)
    await second.connect()
    expect(second.$activeMessages.get()).toHaveLength(1)
    const visitor = first.$session.get()!.visitorId

    clock.advance(29 * 60_000)
    expect(first.$ended.get()).toBeNull()
    clock.advance(60_000)
    await vi.waitFor(() => expect(first.$ended.get()).toBe('expired'))
    await vi.waitFor(() => expect(second.$ended.get()).toBe('expired'))
    expect(second.$messages.get()).toEqual({})
    await vi.waitFor(async () => expect(await browser.databases()).toEqual([]))
    expect(browser.device.data.size).toBe(0)
    expect(backend.conversations()[0]?.status).toBe('closed')

    await first.send('a new question')
    expect(first.$session.get()!.visitorId).not.toBe(visitor)
    expect(first.$activeMessages.get().map((m) => m.text)).toEqual(['a new question'])
    expect(first.$ended.get()).toBeNull()
  })

  it('end when the customer presses End chat, in every tab', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const clock = createManualClock()
    const options = { mode: 'chat' as const, now: clock.now, timers: clock.timers }
    const first = browser.tab(createMemoryTransport({ backend }), options)
    await first.send('quick question')
    const second = browser.tab(createMemoryTransport({ backend }), options)
    await second.connect()
    await first.endChat()
    expect(first.$ended.get()).toBe('ended')
    await vi.waitFor(() => expect(second.$ended.get()).toBe('ended'))
    expect(second.$activeMessages.get()).toEqual([])
    expect(await browser.databases()).toEqual([])
  })

  it('are gone on the next visit when they expired while no page was open', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const clock = createManualClock()
    const options = { mode: 'chat' as const, now: clock.now, timers: clock.timers }
    const first = browser.tab(createMemoryTransport({ backend }), options)
    await first.send('asked, then left')
    await new Promise((resolve) => setTimeout(resolve, 20))
    first.transport.close()
    open.splice(open.indexOf(first), 1)

    clock.advance(31 * 60_000)
    const later = browser.tab(createMemoryTransport({ backend }), options)
    await later.connect()
    expect(later.$activeMessages.get()).toEqual([])
    expect(later.$session.get()!.visitorId).not.toBe(first.$session.get()?.visitorId)
  })
})

describe('shutdown', () => {
  it('leaves no database, resume key or message text on the device', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const client = browser.tab(createMemoryTransport({ backend }))
    await client.send('my card ends in 4242')
    await vi.waitFor(async () => expect(await browser.databases()).toHaveLength(1))
    await client.shutdown()
    expect(await browser.databases()).toEqual([])
    expect(browser.device.data.size).toBe(0)
    expect(client.$messages.get()).toEqual({})
  })

  it('clears the other tabs too', async () => {
    const backend = createMemoryBackend()
    const browser = createBrowser()
    const first = browser.tab(createMemoryTransport({ backend }))
    await first.send('hello')
    const second = browser.tab(createMemoryTransport({ backend }))
    await second.connect()
    expect(second.$activeMessages.get()).toHaveLength(1)
    await first.shutdown()
    await vi.waitFor(() => expect(second.$messages.get()).toEqual({}))
  })
})
