import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { withJournal } from '../../../src/cache/journal.js'
import { createMemoryCache } from '../../../src/cache/memory.js'
import type { Cache, OutboxEntry } from '../../../src/cache/types.js'
import { createMapStorage } from '../../support/storage.js'

const NAME = 'confab-test-v-1'

const entry = (clientId: string, createdAt = 1): OutboxEntry => ({
  id: clientId,
  clientId,
  conversationId: 'c1',
  author: { role: 'visitor' },
  text: `text of ${clientId}`,
  createdAt,
  status: 'queued'
})

const idb = (indexedDB: IDBFactory) => createIdbCache({ name: NAME, indexedDB, IDBKeyRange })

/** A cache whose writes never land: the tab closed before IndexedDB committed. */
function neverCommits(): Cache {
  return { ...createMemoryCache(), persistent: true, write: () => new Promise<void>(() => undefined) }
}

const journalKeys = (storage: { map: Map<string, string> }) => [...storage.map.keys()].filter((k) => k.startsWith('confab:outbox:'))

describe('the write-ahead journal of unsent messages', () => {
  it('holds a message from the moment write() is called until IndexedDB holds it', async () => {
    const storage = createMapStorage()
    const cache = withJournal(await idb(new IDBFactory()), NAME, storage)
    const writing = cache.write({ outbox: [entry('a')] })
    expect(journalKeys(storage)).toEqual([`confab:outbox:${NAME}:a`])
    await writing
    expect(journalKeys(storage)).toEqual([])
    expect((await cache.outbox()).map((e) => e.clientId)).toEqual(['a'])
  })

  it('gives the next reader a message whose IndexedDB write never committed, in the outbox and on load', async () => {
    const storage = createMapStorage()
    const indexedDB = new IDBFactory()
    const closing = withJournal(neverCommits(), NAME, storage)
    void closing.write({ outbox: [entry('lost-tab', 2)] })
    const next = withJournal(await idb(indexedDB), NAME, storage)
    await next.write({ outbox: [entry('older', 1)] })
    expect((await next.outbox()).map((e) => e.clientId)).toEqual(['older', 'lost-tab'])
    expect((await next.load()).outbox.map((e) => e.clientId)).toEqual(['older', 'lost-tab'])
  })

  it('forgets a journaled message once it is delivered, whichever tab wrote it', async () => {
    const storage = createMapStorage()
    void withJournal(neverCommits(), NAME, storage).write({ outbox: [entry('a')] })
    const leader = withJournal(await idb(new IDBFactory()), NAME, storage)
    await leader.write({ unqueue: ['a'] })
    expect(journalKeys(storage)).toEqual([])
    expect(await leader.outbox()).toEqual([])
  })

  it('keeps unsent messages across a reload where IndexedDB cannot be used, until they are delivered', async () => {
    const storage = createMapStorage()
    const first = withJournal(createMemoryCache('blocked'), NAME, storage)
    await first.write({ outbox: [entry('a')] })
    const reloaded = withJournal(createMemoryCache('blocked'), NAME, storage)
    expect((await reloaded.outbox()).map((e) => e.clientId)).toEqual(['a'])
    await reloaded.write({ unqueue: ['a'] })
    expect(await withJournal(createMemoryCache('blocked'), NAME, storage).outbox()).toEqual([])
  })

  it('shows the newer copy of a message that both the journal and IndexedDB hold', async () => {
    const storage = createMapStorage()
    const indexedDB = new IDBFactory()
    await withJournal(await idb(indexedDB), NAME, storage).write({ outbox: [entry('a')] })
    void withJournal(neverCommits(), NAME, storage).write({ outbox: [{ ...entry('a'), status: 'failed', error: 'Refused' }] })
    expect((await withJournal(await idb(indexedDB), NAME, storage).outbox()).map((e) => e.status)).toEqual(['failed'])
  })

  it('deletes its person’s records with the cache, and no one else’s', async () => {
    const storage = createMapStorage()
    void withJournal(neverCommits(), 'confab-test-v-2', storage).write({ outbox: [entry('theirs')] })
    const mine = withJournal(neverCommits(), NAME, storage)
    void mine.write({ outbox: [entry('mine')] })
    await mine.destroy()
    expect(journalKeys(storage)).toEqual(['confab:outbox:confab-test-v-2:theirs'])
  })

  it('skips a corrupt record and goes on when storage refuses writes', async () => {
    const storage = createMapStorage()
    storage.map.set(`confab:outbox:${NAME}:bad`, '{not json')
    storage.map.set(`confab:outbox:${NAME}:odd`, JSON.stringify({ text: 'no ids' }))
    const cache = withJournal(await idb(new IDBFactory()), NAME, storage)
    expect(await cache.outbox()).toEqual([])
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    await cache.write({ outbox: [entry('a')] })
    expect((await cache.outbox()).map((e) => e.clientId)).toEqual(['a'])
  })

  it('leaves the cache as it is over storage it cannot list', async () => {
    const cache = createMemoryCache()
    expect(withJournal(cache, NAME, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined })).toBe(cache)
    expect(withJournal(cache, NAME, undefined)).toBe(cache)
  })
})
