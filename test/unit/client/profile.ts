import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { createIdbCache } from '../../../src/cache/idb.js'
import { personDatabase } from '../../../src/cache/partition.js'
import { createClient, type ClientOptions } from '../../../src/client/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { createDevice, instantTimers } from './helpers.js'

/** One browser profile: its IndexedDB and its localStorage, shared by the pages opened in it. */
export function createProfile() {
  const indexedDB = new IDBFactory()
  const device = createDevice()
  return {
    indexedDB,
    device,
    cache: (name: string) => createIdbCache({ name, indexedDB, IDBKeyRange }),
    /** The unsent messages stored for `person`, read over a connection of its own. */
    async outbox(person: string): Promise<unknown[]> {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(personDatabase('test', person))
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      const entries = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('outbox').objectStore('outbox').getAll()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      db.close()
      return entries
    }
  }
}

export type Profile = ReturnType<typeof createProfile>

/** A page of `profile` on `backend`: a client with the profile's storage, leading alone. */
export function openPage(profile: Profile, transport: Transport, options: Partial<ClientOptions> = {}) {
  return createClient({
    transport,
    site: 'test',
    storage: profile.device.storage,
    cache: profile.cache,
    timers: instantTimers,
    random: () => 0.5,
    isVisible: () => true,
    network: null,
    leadership: null,
    ...options
  })
}
