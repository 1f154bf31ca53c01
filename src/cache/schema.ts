/**
 * The IndexedDB layout and its migrations. Bump SCHEMA_VERSION and add a step to MIGRATIONS for
 * every change; each step upgrades from the version before it, inside the upgrade transaction, so a
 * device that skipped versions runs them all in order and keeps its data.
 *
 * Version 1: one key-value store `keyval` (idb-keyval's layout) with keys `conversation:<id>`,
 * `message:<conversationId>:<id>` and `meta`.
 * Version 2: one object store per kind, and messages keyed `[conversationId, createdAt, seq, id]` so
 * the newest page of a thread is one reverse cursor away (`seq` orders messages stored within the
 * same millisecond; `id` where a backend has no sequence). `outbox` is reserved for unsent messages.
 * Version 3: `files`, the bytes of files attached to unsent messages (a `Blob` each), keyed by file id.
 */
export const SCHEMA_VERSION = 3

export const CONVERSATIONS = 'conversations'
export const MESSAGES = 'messages'
export const META = 'meta'
export const OUTBOX = 'outbox'
export const FILES = 'files'

/** Where a message sits in its conversation's order. */
export type MessagePosition = { createdAt: number; seq?: number | undefined; id: string }

/** The key of a message in the `messages` store. */
export const messageKey = (m: MessagePosition & { conversationId: string }): IDBValidKey => [
  m.conversationId,
  m.createdAt,
  m.seq ?? 0,
  m.id
]

/** The keys of one conversation's messages, all of them or those before the message `before`. */
export const conversationRange = (
  range: typeof IDBKeyRange,
  id: string,
  before?: MessagePosition
): IDBKeyRange =>
  // `[id]` sorts before every longer key that starts with `id`, `[id, Infinity]` after all of them.
  range.bound([id], before ? messageKey({ conversationId: id, ...before }) : [id, Infinity], false, true)

type Migration = (db: IDBDatabase, tx: IDBTransaction) => void

const MIGRATIONS: Record<number, Migration> = {
  1: (db) => {
    db.createObjectStore('keyval')
  },
  2: (db, tx) => {
    const conversations = db.createObjectStore(CONVERSATIONS)
    const messages = db.createObjectStore(MESSAGES)
    const meta = db.createObjectStore(META)
    db.createObjectStore(OUTBOX)
    const old = tx.objectStore('keyval')
    const cursor = old.openCursor()
    cursor.onsuccess = () => {
      const at = cursor.result
      if (!at) {
        // Everything moved: the old store goes, still inside the upgrade transaction.
        db.deleteObjectStore('keyval')
        return
      }
      const key = String(at.key)
      const value = at.value
      if (key === 'meta') meta.put(value, 'meta')
      else if (key.startsWith('conversation:')) conversations.put(value, key.slice('conversation:'.length))
      else if (key.startsWith('message:') && value && typeof value === 'object') {
        // A record too broken to key is left behind; the load-time checks would skip it anyway.
        try {
          messages.put(value, messageKey(value))
        } catch {
          /* unkeyable record */
        }
      }
      at.continue()
    }
  },
  3: (db) => {
    db.createObjectStore(FILES)
  }
}

/**
 * Open (creating or upgrading) the database `name`. Rejects when storage is refused, or when an
 * older version stays open in another tab for `blockedTimeout` ms.
 */
export function openDatabase(factory: IDBFactory, name: string, version = SCHEMA_VERSION, blockedTimeout = 3000): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const request = factory.open(name, version)
    request.onupgradeneeded = (event) => {
      const tx = request.transaction!
      for (let v = event.oldVersion + 1; v <= version; v++) MIGRATIONS[v]!(request.result, tx)
    }
    request.onsuccess = () => {
      clearTimeout(timer)
      const db = request.result
      // Let another tab upgrade or delete the database (a wipe in every tab) instead of blocking it.
      db.onversionchange = () => db.close()
      resolve(db)
    }
    request.onerror = () => {
      clearTimeout(timer)
      reject(request.error)
    }
    request.onblocked = () => {
      timer = setTimeout(() => reject(new Error('the database is held open by another tab')), blockedTimeout)
    }
  })
}

/** Delete the database `name`; resolves when gone (or after `timeout` ms if another tab holds it). */
export function deleteDatabase(factory: IDBFactory, name: string, timeout = 3000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeout)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    try {
      const request = factory.deleteDatabase(name)
      request.onsuccess = done
      request.onerror = done
    } catch {
      done()
    }
  })
}
