import type { Message } from '../transports/types.js'
import { byCreation } from './records.js'
import type { Cache, CacheChanges, CacheMeta, OutboxEntry } from './types.js'

/** Oldest first, by time, sequence, then id: the order of the IndexedDB message keys. */
export const byTime = (a: Pick<Message, 'createdAt' | 'seq' | 'id'>, b: Pick<Message, 'createdAt' | 'seq' | 'id'>): number =>
  a.createdAt - b.createdAt || (a.seq ?? 0) - (b.seq ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * A cache that lives as long as the page: the fallback when IndexedDB cannot be used, and a twin of
 * the IndexedDB cache for tests.
 *
 * @example
 * createClient({ transport, cache: () => createMemoryCache('history is kept in memory on purpose') })
 */
export function createMemoryCache(reason = 'history is kept in memory only'): Cache {
  let conversations = new Map<string, import('../transports/types.js').Conversation>()
  let messages = new Map<string, Map<string, Message>>()
  let meta: CacheMeta = {}
  let outbox = new Map<string, OutboxEntry>()
  let files = new Map<string, Blob>()
  const unsent = () => [...outbox.values()].sort(byCreation)
  const sorted = (id: string) => [...(messages.get(id)?.values() ?? [])].sort(byTime)

  return {
    persistent: false,
    reason,
    async load({ messagesPerConversation = 50 } = {}) {
      const active = meta.activeId
      return {
        conversations: [...conversations.values()],
        messages: active ? { [active]: sorted(active).slice(-messagesPerConversation) } : {},
        meta: structuredClone(meta),
        outbox: unsent()
      }
    },
    async outbox() {
      return unsent()
    },
    async older(conversationId, before, limit) {
      const list = sorted(conversationId).filter((m) => byTime(m, before) < 0)
      return list.slice(-limit)
    },
    async all() {
      return [...messages.values()].flatMap((thread) => [...thread.values()])
    },
    async file(id) {
      return files.get(id)
    },
    async write(changes: CacheChanges) {
      for (const c of changes.conversations ?? []) conversations.set(c.id, c)
      for (const m of changes.messages ?? []) {
        let thread = messages.get(m.conversationId)
        if (!thread) messages.set(m.conversationId, (thread = new Map()))
        thread.set(m.id, m)
      }
      if (changes.meta) meta = { ...meta, ...changes.meta }
      for (const id of changes.unqueue ?? []) for (const file of outbox.get(id)?.files ?? []) files.delete(file.id)
      for (const m of changes.outbox ?? []) outbox.set(m.clientId, m)
      for (const id of changes.unqueue ?? []) outbox.delete(id)
      for (const { id, blob } of changes.files ?? []) files.set(id, blob)
      for (const id of changes.dropFiles ?? []) files.delete(id)
    },
    async destroy() {
      conversations = new Map()
      messages = new Map()
      meta = {}
      outbox = new Map()
      files = new Map()
    },
    close() {}
  }
}
