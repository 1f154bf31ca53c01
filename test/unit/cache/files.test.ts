import { IDBDatabase, IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { withJournal } from '../../../src/cache/journal.js'
import { createMemoryCache } from '../../../src/cache/memory.js'
import type { Cache, OutboxEntry } from '../../../src/cache/types.js'
import { createMapStorage } from '../../support/storage.js'

/** An unsent message with files `ids` (bytes not uploaded yet). */
const entry = (clientId: string, ...ids: string[]): OutboxEntry => ({
  id: clientId,
  clientId,
  conversationId: 'c1',
  author: { role: 'visitor' },
  text: '',
  createdAt: 1,
  status: 'queued',
  files: ids.map((id) => ({ id, kind: 'file', name: `${id}.pdf`, size: 3, type: 'application/pdf' }))
})
const bytes = (id: string) => ({ id, blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'application/pdf' }) })

const kinds: [string, () => Promise<Cache>][] = [
  ['IndexedDB', () => createIdbCache({ name: 'confab-files', indexedDB: new IDBFactory(), IDBKeyRange })],
  ['memory', async () => createMemoryCache()]
]

describe.each(kinds)('the bytes of attached files in the %s cache', (_kind, open) => {
  it('keeps them with their message and reads them back', async () => {
    const cache = await open()
    await cache.write({ outbox: [entry('m1', 'f1')], files: [bytes('f1')] })
    const blob = await cache.file('f1')
    expect(blob?.type).toBe('application/pdf')
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('deletes them with their message, whichever way it leaves the outbox', async () => {
    const cache = await open()
    await cache.write({ outbox: [entry('m1', 'f1', 'f2'), entry('m2', 'f3')], files: [bytes('f1'), bytes('f2'), bytes('f3')] })
    await cache.write({ unqueue: ['m1'] })
    expect(await cache.file('f1')).toBeUndefined()
    expect(await cache.file('f2')).toBeUndefined()
    expect(await cache.file('f3')).toBeDefined()
  })

  it('deletes the bytes of a file stored by the backend or taken off its message', async () => {
    const cache = await open()
    await cache.write({ outbox: [entry('m1', 'f1', 'f2')], files: [bytes('f1'), bytes('f2')] })
    await cache.write({ outbox: [entry('m1', 'f2')], dropFiles: ['f1'] })
    expect(await cache.file('f1')).toBeUndefined()
    expect(await cache.file('f2')).toBeDefined()
  })

  it('deletes them all when destroyed', async () => {
    const cache = await open()
    await cache.write({ outbox: [entry('m1', 'f1')], files: [bytes('f1')] })
    await cache.destroy()
    expect(await cache.file('f1')).toBeUndefined()
  })
})

describe('the bytes of attached files when IndexedDB fails', () => {
  it('keeps them in memory when the write that holds them fails (quota), and still reads those written before', async () => {
    const cache = await createIdbCache({ name: 'confab-full-files', indexedDB: new IDBFactory(), IDBKeyRange, onError: () => undefined })
    await cache.write({ outbox: [entry('m1', 'f1')], files: [bytes('f1')] })
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementationOnce(() => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError')
    })
    await cache.write({ outbox: [entry('m2', 'f2')], files: [bytes('f2')] })
    spy.mockRestore()
    expect(cache.persistent).toBe(false)
    expect(await cache.file('f2')).toBeDefined()
    expect(await cache.file('f1')).toBeDefined()
  })

  it('reads them through the journal of unsent messages', async () => {
    const storage = createMapStorage()
    const cache = withJournal(await createIdbCache({ name: 'confab-journal-files', indexedDB: new IDBFactory(), IDBKeyRange }), 'x', storage)
    await cache.write({ outbox: [entry('m1', 'f1')], files: [bytes('f1')] })
    expect(await cache.file('f1')).toBeDefined()
    // Megabytes never go to localStorage: the journal holds what the message says, not its files' bytes.
    expect([...storage.map.values()].join('').length).toBeLessThan(1000)
  })
})
