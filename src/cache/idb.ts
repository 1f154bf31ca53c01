import { delMany, get, setMany, update, values, type UseStore } from 'idb-keyval'
import { createError, type ConfabError } from '../errors/index.js'
import type { Message } from '../transports/types.js'
import { createMemoryCache } from './memory.js'
import { byCreation, isBlob, isConversation, isMessage, isOutboxEntry } from './records.js'
import {
  CONVERSATIONS,
  FILES,
  MESSAGES,
  META,
  OUTBOX,
  conversationRange,
  deleteDatabase,
  messageKey,
  openDatabase,
  type MessagePosition
} from './schema.js'
import type { Cache, CacheChanges, CacheMeta, OutboxEntry } from './types.js'

/** Options of {@link createIdbCache}. */
export interface IdbCacheOptions {
  /** The database name: one database per site and person (see `personDatabase`). */
  name: string
  /** Default: the global `indexedDB`. */
  indexedDB?: IDBFactory
  /** Default: the global `IDBKeyRange`. */
  IDBKeyRange?: typeof IDBKeyRange
  /** Told about storage trouble: the cache degraded to memory, or corrupt records were skipped. */
  onError?: (error: ConfabError) => void
}

/** Words for why IndexedDB could not be used, from the error the browser gave. */
function describe(error: unknown): string {
  const name = (error as { name?: string } | null)?.name
  if (name === 'QuotaExceededError') return 'storage on this device is full'
  if (name === 'SecurityError' || name === 'InvalidStateError') return 'storage is blocked here (private mode or an embedded frame)'
  if (name === 'VersionError') return 'a newer version of the widget owns the stored history'
  return `storage failed (${(error as Error | null)?.message ?? String(error)})`
}

/**
 * idb-keyval's custom-store hook over the stores of `tx`, one transaction that spans several stores.
 * idb-keyval's writes each wait for their transaction's end through its `on…` handlers, of which a
 * transaction has one set: the last call would settle and the others never. So every call here
 * answers with the transaction's end, heard through listeners; writes answer nothing.
 */
function within(tx: IDBTransaction): (name: string) => UseStore {
  const end = new Promise<void>((resolve, reject) => {
    tx.addEventListener('complete', () => resolve())
    tx.addEventListener('abort', () => reject(tx.error ?? new DOMException('The write was aborted', 'AbortError')))
  })
  // A call that threw before anyone awaited `end` aborts the transaction: not an unhandled rejection.
  end.catch(() => {})
  return (name) => (_mode, callback) => {
    Promise.resolve(callback(tx.objectStore(name))).catch(() => {})
    return end as Promise<never>
  }
}

/**
 * Delete the bytes of the files of the outbox entries `ids` (a message delivered or discarded takes
 * its files with it, whichever tab or path finished it), within the transaction of `outbox`.
 */
function dropFilesOf(outbox: IDBObjectStore, ids: string[], files: IDBObjectStore): void {
  for (const id of ids) {
    const read = outbox.get(id)
    read.onsuccess = () => {
      const attached = (read.result as OutboxEntry | undefined)?.files
      if (Array.isArray(attached)) for (const file of attached) if (typeof file?.id === 'string') files.delete(file.id)
    }
  }
}

/**
 * One person's history in IndexedDB. Resolves to a memory cache (with `persistent: false` and a
 * `reason`) when IndexedDB is missing, refused or blocked; a write that fails later (quota) turns the
 * cache into a memory one from then on. Never rejects.
 *
 * @example
 * const cache = await createIdbCache({ name: personDatabase('shop', 'v-123') })
 */
export async function createIdbCache(options: IdbCacheOptions): Promise<Cache> {
  const report = options.onError ?? (() => undefined)
  const factory = options.indexedDB ?? globalThis.indexedDB
  const Range = options.IDBKeyRange ?? globalThis.IDBKeyRange
  const degrade = (reason: string, cause?: unknown): Cache => {
    report(createError('storage', `History is not saved on this device: ${reason}`, { cause }))
    return createMemoryCache(reason)
  }
  if (!factory || !Range) return degrade('IndexedDB is not available in this browser')
  let db: IDBDatabase
  try {
    db = await openDatabase(factory, options.name)
  } catch (error) {
    return degrade(describe(error), error)
  }

  /**
   * idb-keyval's custom-store hook over one object store of our own versioned database (its
   * `createStore` opens a database of one store without versions: the schema and its migrations
   * stay ours, in `schema.ts`).
   */
  const store =
    (name: string): UseStore =>
    (mode, callback) =>
      Promise.resolve(callback(db.transaction(name, mode).objectStore(name)))

  /** Set once a write failed: from then on the memory twin holds what is written. */
  let fallback: Cache | undefined
  let skipped = 0
  const keep = <T>(list: unknown[], valid: (value: unknown) => value is T): T[] =>
    list.filter((value): value is T => {
      if (valid(value)) return true
      skipped++
      return false
    })
  const reportSkipped = () => {
    if (skipped === 0) return
    report(createError('storage', `Skipped ${skipped} corrupt record(s) in the stored history`))
    skipped = 0
  }

  /** The newest `limit` messages before `before` (or of all), oldest first, corrupt ones skipped. */
  const readBackwards = (id: string, limit: number, before?: MessagePosition) =>
    // A reverse cursor over a key range: idb-keyval has no API for it.
    store(MESSAGES)('readonly', (s) => {
      const found: unknown[] = []
      const cursor = s.openCursor(conversationRange(Range, id, before), 'prev')
      return new Promise<Message[]>((resolve, reject) => {
        cursor.onsuccess = () => {
          const at = cursor.result
          if (at && found.length < limit) {
            found.push(at.value)
            at.continue()
          } else {
            resolve(keep(found.reverse(), isMessage))
          }
        }
        cursor.onerror = () => reject(cursor.error)
      })
    })

  const cache: Cache = {
    get persistent() {
      return !fallback
    },
    get reason() {
      return fallback?.reason
    },
    async load({ messagesPerConversation = 50 } = {}) {
      if (fallback) return fallback.load({ messagesPerConversation })
      try {
        const conversations = keep(await values(store(CONVERSATIONS)), isConversation)
        const meta = (await get<CacheMeta>('meta', store(META))) ?? {}
        const active = meta.activeId
        const messages: Record<string, Message[]> = {}
        if (active) messages[active] = await readBackwards(active, messagesPerConversation)
        const outbox = await cache.outbox()
        reportSkipped()
        return { conversations, messages, meta, outbox }
      } catch (error) {
        report(createError('storage', `Could not read the stored history: ${describe(error)}`, { cause: error }))
        return { conversations: [], messages: {}, meta: {}, outbox: [] }
      }
    },
    async outbox() {
      if (fallback) return fallback.outbox()
      try {
        return keep(await values(store(OUTBOX)), isOutboxEntry).sort(byCreation)
      } catch {
        return []
      }
    },
    async older(conversationId, before, limit) {
      if (fallback) return fallback.older(conversationId, before, limit)
      try {
        const page = await readBackwards(conversationId, limit, before)
        reportSkipped()
        return page
      } catch {
        return []
      }
    },
    async all() {
      if (fallback) return fallback.all()
      try {
        const found = keep(await values(store(MESSAGES)), isMessage)
        reportSkipped()
        return found
      } catch {
        return []
      }
    },
    async file(id) {
      const kept = await fallback?.file(id)
      if (kept) return kept
      try {
        const blob = await get<unknown>(id, store(FILES))
        return isBlob(blob) ? blob : undefined
      } catch {
        return undefined
      }
    },
    async write(changes: CacheChanges) {
      if (fallback) return fallback.write(changes)
      const { conversations = [], messages = [], outbox = [], unqueue = [], meta, files = [], dropFiles = [] } = changes
      const names = [
        ...(conversations.length ? [CONVERSATIONS] : []),
        ...(messages.length ? [MESSAGES] : []),
        ...(meta ? [META] : []),
        ...(outbox.length || unqueue.length ? [OUTBOX] : []),
        ...(files.length || dropFiles.length || unqueue.length ? [FILES] : [])
      ]
      if (names.length === 0) return
      let tx: IDBTransaction | undefined
      try {
        // One transaction for the whole change set: it lands entirely or not at all.
        tx = db.transaction(names, 'readwrite')
        const inTx = within(tx)
        // Only the stores the transaction spans: another name would throw. Requests run in the
        // order made: the files of a finished message are read before its record is deleted.
        await Promise.all([
          unqueue.length && inTx(OUTBOX)('readonly', (s) => dropFilesOf(s, unqueue, tx!.objectStore(FILES))),
          conversations.length && setMany(conversations.map((c) => [c.id, c]), inTx(CONVERSATIONS)),
          messages.length && setMany(messages.map((m) => [messageKey(m), m]), inTx(MESSAGES)),
          outbox.length && setMany(outbox.map((m) => [m.clientId, m]), inTx(OUTBOX)),
          unqueue.length && delMany(unqueue, inTx(OUTBOX)),
          files.length && setMany(files.map((f) => [f.id, f.blob]), inTx(FILES)),
          dropFiles.length && delMany(dropFiles, inTx(FILES)),
          meta && update<CacheMeta>('meta', (current) => ({ ...current, ...meta }), inTx(META))
        ])
      } catch (error) {
        // A record that could not be queued (one that cannot be cloned) leaves the others unwritten too.
        try {
          tx?.abort()
        } catch {
          /* already finished */
        }
        fallback = createMemoryCache(describe(error))
        report(createError('storage', `History is no longer saved on this device: ${describe(error)}`, { cause: error }))
        await fallback.write(changes)
      }
    },
    async destroy() {
      db.close()
      await fallback?.destroy()
      await deleteDatabase(factory, options.name)
    },
    close() {
      db.close()
    }
  }
  return cache
}
