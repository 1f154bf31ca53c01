import { byCreation, isOutboxEntry } from './records.js'
import type { Cache, CacheChanges, OutboxEntry } from './types.js'

/** Synchronous storage the journal can list: `localStorage` by default. */
export type JournalStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>

/**
 * Give a person's cache a write-ahead journal of unsent messages in synchronous storage
 * (`localStorage`).
 *
 * Why: an IndexedDB transaction commits only after the page's task ends, and a tab that closes,
 * reloads or crashes before then aborts it, so a message written to the outbox at the moment of
 * sending could vanish with its tab. `localStorage` writes land in the browser's own copy at once:
 * a record is kept in the journal before `write()` returns, and dropped once the outbox holds the
 * message in IndexedDB (or it is delivered or discarded). `outbox()` and `load()` add what the
 * journal holds, so whoever reads the outbox next (the new leading tab, the next page) sends it.
 * Where IndexedDB is unusable, unsent messages still survive a reload through the journal.
 *
 * Storage that cannot be listed (no `key`/`length`), or that refuses writes, leaves the cache as it is.
 *
 * @example
 * const cache = withJournal(await createIdbCache({ name }), name, localStorage)
 */
export function withJournal(cache: Cache, name: string, storage: Partial<JournalStorage> | undefined): Cache {
  if (!storage?.key) return cache
  const store = storage as JournalStorage
  const prefix = `confab:outbox:${name}:`
  /** Full or blocked storage: the IndexedDB write is then the only copy, as without a journal. */
  const attempt = (run: () => void) => {
    try {
      run()
    } catch {}
  }
  const keys = () => {
    const found: string[] = []
    attempt(() => {
      for (let i = 0, key; i < store.length; i++) if ((key = store.key(i))?.startsWith(prefix)) found.push(key)
    })
    return found
  }
  const drop = (keys: string[]) => attempt(() => keys.forEach((key) => store.removeItem(key)))
  /** The outbox with what the journal holds; a journal record is the newer copy of its message. */
  const merge = (outbox: OutboxEntry[]) => {
    const all = new Map(outbox.map((entry) => [entry.clientId, entry]))
    for (const key of keys()) {
      let entry: unknown
      attempt(() => (entry = JSON.parse(store.getItem(key)!)))
      if (isOutboxEntry(entry)) all.set(entry.clientId, entry)
    }
    return [...all.values()].sort(byCreation)
  }

  // Everything else, `persistent` and `reason` included, is the cache's own.
  return Object.assign(Object.create(cache) as Cache, {
    load: async (options?: Parameters<Cache['load']>[0]) => {
      const snapshot = await cache.load(options)
      return { ...snapshot, outbox: merge(snapshot.outbox) }
    },
    outbox: async () => merge(await cache.outbox()),
    async write(changes: CacheChanges) {
      const queued = (changes.outbox ?? []).map((entry) => prefix + entry.clientId)
      // Before anything asynchronous: from here on a closed tab does not lose the message.
      attempt(() => changes.outbox?.forEach((entry) => store.setItem(prefix + entry.clientId, JSON.stringify(entry))))
      drop((changes.unqueue ?? []).map((id) => prefix + id))
      await cache.write(changes)
      // In IndexedDB now; a memory cache keeps the journal as the only copy that outlives the page.
      if (cache.persistent) drop(queued)
    },
    async destroy() {
      drop(keys())
      await cache.destroy()
    }
  })
}
