import type { Cache, CacheChanges, CacheMeta } from '../cache/types.js'
import type { ChatMessage } from '../store/index.js'
import type { Conversation, Message } from '../transports/types.js'

/**
 * Collects what changed and writes it as one batch once the current task is done (or, while a
 * transaction runs, once it is): a page of history, an event, a send each become a single
 * transaction at most, and the state is never written whole.
 */
export interface Persister {
  messages(list: readonly (Message | ChatMessage)[]): void
  conversations(list: readonly Conversation[]): void
  meta(patch: Partial<CacheMeta>): void
  /** Resolves once everything queued so far is written. */
  flush(): Promise<void>
  /** Forget what is queued (the person's data is being deleted). */
  drop(): void
  /** Be told of every confirmed message as it is queued (the search index follows them). */
  watch(listener: (messages: Message[]) => void): () => void
  /** Tell the watchers of messages read back from the cache (nothing to write). */
  announce(messages: readonly Message[]): void
}

/** Messages written in one transaction at most. */
const BATCH = 200

/** Make a persister writing to whatever `cache()` returns at flush time. */
export function createPersister(cache: () => Cache): Persister {
  let messages = new Map<string, Message>()
  let conversations = new Map<string, Conversation>()
  let meta: Partial<CacheMeta> | undefined
  let scheduled: Promise<void> | undefined
  let writing: Promise<void> = Promise.resolve()
  const watchers = new Set<(messages: Message[]) => void>()

  const write = () => {
    scheduled = undefined
    const changes: CacheChanges = {}
    const queued = [...messages]
    // Putting a message is a structured clone on the page's main thread: a burst's thousand in
    // one task would hold it for a long time. The rest follow in the next transaction.
    const batch = queued.slice(0, BATCH).map(([, message]) => message)
    messages = new Map(queued.slice(BATCH))
    if (batch.length) changes.messages = batch
    // A confirmed message leaves the outbox in the transaction that stores it: never both, never neither.
    const unqueue = batch.flatMap((m) => (m.clientId ? [m.clientId] : []))
    if (unqueue.length) changes.unqueue = unqueue
    if (conversations.size) changes.conversations = [...conversations.values()]
    conversations = new Map()
    // The history cursors go with the last messages, so the device never claims a page it lacks.
    if (meta && !messages.size) {
      changes.meta = meta
      meta = undefined
    }
    writing = cache().write(changes)
    if (messages.size) schedule()
    return writing
  }
  const schedule = () => {
    // A microtask later, or once the transaction under way is done: everything changed by the same
    // synchronous burst, and everything changed while a transaction runs (a thousand messages a
    // second arriving one task each), lands in one batch.
    scheduled ??= writing.then(write, write)
  }

  return {
    messages(list) {
      const confirmed: Message[] = []
      for (const m of list) {
        // Only what the backend confirmed is history; unsent messages belong to the outbox.
        if ('status' in m && m.status !== 'sent') continue
        const { status: _status, error: _error, ...message } = m as ChatMessage
        messages.set(`${message.conversationId}\u0000${message.id}`, message)
        confirmed.push(message)
      }
      if (confirmed.length === 0) return
      schedule()
      for (const watcher of watchers) watcher(confirmed)
    },
    conversations(list) {
      for (const c of list) conversations.set(c.id, c)
      if (list.length) schedule()
    },
    meta(patch) {
      meta = { ...meta, ...patch }
      schedule()
    },
    async flush() {
      // A burst's messages may take several transactions, each scheduled as the last ends.
      while (scheduled) await scheduled
      await writing
    },
    drop() {
      messages = new Map()
      conversations = new Map()
      meta = undefined
    },
    watch(listener) {
      watchers.add(listener)
      return () => watchers.delete(listener)
    },
    announce(list) {
      if (list.length) for (const watcher of watchers) watcher([...list])
    }
  }
}
