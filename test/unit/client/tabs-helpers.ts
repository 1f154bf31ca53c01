import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { createIdbCache } from '../../../src/cache/idb.js'
import { createClient, type ClientOptions, type Leadership } from '../../../src/client/index.js'
import { createMemoryBackend } from '../../../src/testing/index.js'
import { createDevice, instantTimers, recordingTransport } from './helpers.js'

/** Leadership the test hands out by hand. */
export function manualLeadership(initial: boolean) {
  const listeners = new Set<(leads: boolean) => void>()
  let leads = initial
  const leadership: Leadership & { set(value: boolean): void } = {
    get isLeader() {
      return leads
    },
    ready: Promise.resolve(),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {},
    set(value) {
      leads = value
      for (const listener of listeners) listener(value)
    }
  }
  return leadership
}

let sites = 0

/** A site name no other test uses, so tabs of different tests never hear each other. */
export const newSite = (prefix = 'tabs') => `${prefix}-${++sites}`

/** Tabs of one browser profile (shared IndexedDB, localStorage and BroadcastChannel) on one site. */
export function createBrowser() {
  const backend = createMemoryBackend()
  const indexedDB = new IDBFactory()
  const device = createDevice()
  const site = newSite()
  return {
    backend,
    site,
    /** A tab (with `options` added); while `gate.closed` is set, its reads of the outbox wait for that promise. */
    open(leads: boolean, gate: { closed?: Promise<void> } = {}, options: Partial<ClientOptions> = {}) {
      const leadership = manualLeadership(leads)
      const wire = recordingTransport(backend)
      const client = createClient({
        transport: wire.transport,
        site,
        storage: device.storage,
        cache: async (name) => {
          const cache = await createIdbCache({ name, indexedDB, IDBKeyRange })
          const read = cache.outbox.bind(cache)
          cache.outbox = async () => {
            await gate.closed
            return read()
          }
          return cache
        },
        timers: instantTimers,
        random: () => 0.5,
        isVisible: () => false,
        network: null,
        leadership,
        ...options
      })
      return { client, leadership, ...wire }
    }
  }
}

/** A browser with two tabs: the leader started a conversation, and the follower shows it. */
export async function leaderAndFollower() {
  const browser = createBrowser()
  const leader = browser.open(true)
  await leader.client.connect()
  const conversation = await leader.client.startConversation()
  const follower = browser.open(false)
  await follower.client.connect()
  await follower.client.openConversation(conversation.id)
  return { browser, leader, follower, conversation }
}

/** What a tab shows of the open thread: text and status per message. */
export const shown = (tab: { client: ReturnType<typeof createClient> }) => tab.client.$activeMessages.get().map((m) => [m.text, m.status])
