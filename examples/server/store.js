// @ts-check
import crypto from 'node:crypto'
import path from 'node:path'
import { openJournal } from './journal.js'

/** @typedef {'chat' | 'messaging'} Mode */
/** @typedef {{ role: 'visitor' | 'agent' | 'bot' | 'system', id?: string, name?: string }} Author */
/**
 * @typedef {object} Message
 * @property {string} id
 * @property {string} [clientId]
 * @property {string} conversationId
 * @property {number} seq 1, 2, 3 … within its conversation, no gaps.
 * @property {Author} author
 * @property {string} text
 * @property {number} createdAt
 */
/**
 * @typedef {object} Conversation
 * @property {string} id
 * @property {Mode} mode
 * @property {'open' | 'closed'} status
 * @property {string} [subject]
 * @property {number} createdAt
 * @property {number} updatedAt
 * @property {Message} [lastMessage]
 */
/**
 * An anonymous visitor. `token` authorizes requests; `resumeKey` brings the visitor back on a later visit.
 * @typedef {{ id: string, resumeKey: string, token: string, createdAt: number }} Visitor
 */
/**
 * A conversation with everything the store indexes about it. Read it; change it only through the store.
 * @typedef {object} Thread
 * @property {Conversation} conversation Replaced (never mutated) on every change, so events can share it.
 * @property {string} visitorId
 * @property {Message[]} messages `messages[i].seq === i + 1`.
 * @property {Map<string, Message>} byClientId
 */
/**
 * A change streams deliver, numbered by `id` (1, 2, 3 … across the server, no gaps, never reused).
 * @typedef {{ id: number, visitorId: string } &
 *   ({ type: 'message', message: Message } | { type: 'conversation', conversation: Conversation })} StoredEvent
 */
/**
 * One line of the journal. Records that change a conversation carry `eid`, the id of the event they
 * publish, so the event log (and the next event id) can be rebuilt after a restart.
 * @typedef {{ k: 'visitor', visitor: Visitor }
 *   | { k: 'conversation', eid: number, visitorId: string, conversation: Conversation }
 *   | { k: 'message', eid: number, message: Message }
 *   | { k: 'status', eid: number, id: string, status: 'open' | 'closed', at: number }} JournalRecord
 */
/**
 * @typedef {object} HistoryPage
 * @property {Message[]} messages Oldest first.
 * @property {string | null} before
 * @property {string} after
 */

/**
 * @typedef {object} StoreOptions
 * @property {string} dataDir Folder of the journal; created if missing.
 * @property {number} [eventLogSize] At least this many recent events are kept for stream resume. Default 10,000.
 * @property {() => number} [now] Clock, ms since the epoch. Default `Date.now`.
 */

/**
 * The server's embedded store: every change is one journal record, flushed to disk before the
 * method returns; memory indexes are rebuilt by replaying the journal on open. Methods that change
 * something publish a {@link StoredEvent} to `onEvent` listeners after it is durable.
 *
 * @param {StoreOptions} options
 *
 * @example
 * const store = openStore({ dataDir: '.state/server' })
 * const visitor = store.createVisitor()
 * const conversation = store.createConversation(visitor.id, { mode: 'messaging' })
 * store.addMessage(conversation.id, { author: { role: 'visitor', id: visitor.id }, text: 'Hi', clientId: 'u1' })
 */
export function openStore(options) {
  const now = options.now ?? Date.now
  const eventLogSize = options.eventLogSize ?? 10_000
  const file = path.join(options.dataDir, 'journal.jsonl')
  const journal = openJournal(file)

  /** @type {Map<string, Visitor>} */
  const byResumeKey = new Map()
  /** @type {Map<string, Visitor>} */
  const byToken = new Map()
  /** @type {Map<string, Thread>} */
  const threads = new Map()
  /** @type {Map<string, Set<string>>} conversation ids per visitor */
  const byVisitor = new Map()
  /** @type {StoredEvent[]} the newest events, oldest first; ids are consecutive */
  let log = []
  let lastEventId = 0
  /** @type {Set<(event: StoredEvent) => void>} */
  const listeners = new Set()

  journal.records.forEach((record, index) => {
    try {
      apply(/** @type {JournalRecord} */ (record))
    } catch (error) {
      journal.close()
      throw new Error(`${file}, record ${index + 1}: ${/** @type {Error} */ (error).message}`)
    }
  })
  journal.records.length = 0 // replayed; the indexes hold what is needed

  /**
   * The one place memory changes, for replayed and new records alike.
   * @param {JournalRecord} record
   * @returns {StoredEvent | undefined}
   */
  function apply(record) {
    switch (record.k) {
      case 'visitor': {
        byResumeKey.set(record.visitor.resumeKey, record.visitor)
        byToken.set(record.visitor.token, record.visitor)
        return undefined
      }
      case 'conversation': {
        const { conversation, visitorId } = record
        threads.set(conversation.id, { conversation, visitorId, messages: [], byClientId: new Map() })
        const own = byVisitor.get(visitorId) ?? new Set()
        own.add(conversation.id)
        byVisitor.set(visitorId, own)
        return logEvent({ id: record.eid, visitorId, type: 'conversation', conversation })
      }
      case 'message': {
        const { message } = record
        const thread = mustThread(message.conversationId)
        if (message.seq !== thread.messages.length + 1) {
          throw new Error(`message ${message.id} has seq ${message.seq}, expected ${thread.messages.length + 1}`)
        }
        thread.messages.push(message)
        if (message.clientId !== undefined) thread.byClientId.set(message.clientId, message)
        thread.conversation = { ...thread.conversation, updatedAt: message.createdAt, lastMessage: message }
        return logEvent({ id: record.eid, visitorId: thread.visitorId, type: 'message', message })
      }
      case 'status': {
        const thread = mustThread(record.id)
        thread.conversation = { ...thread.conversation, status: record.status, updatedAt: record.at }
        return logEvent({ id: record.eid, visitorId: thread.visitorId, type: 'conversation', conversation: thread.conversation })
      }
      default:
        // A record kind a newer version wrote: nothing this version can do with it.
        return undefined
    }
  }

  /** @param {string} id */
  function mustThread(id) {
    const thread = threads.get(id)
    if (!thread) throw new Error(`conversation ${id} is unknown`)
    return thread
  }

  /** @param {StoredEvent} event */
  function logEvent(event) {
    if (event.id !== lastEventId + 1) throw new Error(`event ${event.id} follows event ${lastEventId}`)
    lastEventId = event.id
    log.push(event)
    // Trim in batches, not on every event: between `eventLogSize` and twice as many are kept.
    if (log.length >= 2 * eventLogSize) log = log.slice(-eventLogSize)
    return event
  }

  /**
   * Make `record` durable, then visible.
   * @param {JournalRecord} record
   */
  function commit(record) {
    journal.append(record)
    const event = apply(record)
    if (event) for (const listener of listeners) listener(event)
    return event
  }

  /** @param {number} bytes */
  const random = (bytes) => crypto.randomBytes(bytes).toString('base64url')

  /** @param {Conversation} a @param {Conversation} b */
  const newestFirst = (a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

  return {
    /** Start a new anonymous visitor. */
    createVisitor() {
      /** @type {Visitor} */
      const visitor = { id: `v_${random(9)}`, resumeKey: random(24), token: random(24), createdAt: now() }
      commit({ k: 'visitor', visitor })
      return visitor
    },

    /** @param {string} resumeKey */
    visitorByResumeKey: (resumeKey) => byResumeKey.get(resumeKey),

    /** @param {string} token */
    visitorByToken: (token) => byToken.get(token),

    /**
     * @param {string} visitorId
     * @param {{ mode: Mode, subject?: string }} init
     * @returns {Conversation}
     */
    createConversation(visitorId, init) {
      const at = now()
      /** @type {Conversation} */
      const conversation = { id: `c_${random(9)}`, mode: init.mode, status: 'open', createdAt: at, updatedAt: at }
      if (init.subject !== undefined) conversation.subject = init.subject
      commit({ k: 'conversation', eid: lastEventId + 1, visitorId, conversation })
      return conversation
    },

    /**
     * @param {string} id
     * @returns {Readonly<Thread> | undefined}
     */
    thread: (id) => threads.get(id),

    /**
     * Conversations, newest activity first, `limit` at a time. The cursor is the position of the
     * last conversation of the previous page (`<updatedAt>:<id>`), so a page never repeats one.
     *
     * @param {{ visitorId?: string, cursor?: { updatedAt: number, id: string }, limit: number }} query
     *   Without `visitorId`, every visitor's conversations.
     * @returns {{ threads: Thread[], next: string | null }}
     */
    listConversations({ visitorId, cursor, limit }) {
      const ids = visitorId === undefined ? [...threads.keys()] : [...(byVisitor.get(visitorId) ?? [])]
      let list = ids.map((id) => /** @type {Thread} */ (threads.get(id)))
      list.sort((a, b) => newestFirst(a.conversation, b.conversation))
      if (cursor) {
        const position = /** @type {Conversation} */ ({ ...cursor })
        list = list.filter((t) => newestFirst(position, t.conversation) < 0)
      }
      const page = list.slice(0, limit)
      const last = page[page.length - 1]
      const next = last && list.length > page.length ? `${last.conversation.updatedAt}:${last.conversation.id}` : null
      return { threads: page, next }
    },

    /**
     * A page of a conversation's history. It holds the messages with `from < seq <= to`;
     * `before` is `String(from + 1)` (or `null` when `from` is 0) and `after` is `String(to)`.
     *
     * @param {Thread} thread
     * @param {{ before?: number, after?: number, limit: number }} query
     * @returns {HistoryPage}
     */
    history(thread, { before, after, limit }) {
      const count = thread.messages.length
      let from
      let to
      if (before !== undefined) {
        to = Math.max(0, Math.min(before - 1, count))
        from = Math.max(0, to - limit)
      } else if (after !== undefined) {
        from = Math.min(after, count)
        to = Math.min(count, from + limit)
      } else {
        to = count
        from = Math.max(0, to - limit)
      }
      return {
        messages: thread.messages.slice(from, to),
        before: from > 0 ? String(from + 1) : null,
        after: String(to)
      }
    },

    /**
     * Store a message. Idempotency (`clientId`) and the open status are the caller's to check first.
     * @param {string} conversationId
     * @param {{ author: Author, text: string, clientId?: string }} draft
     * @returns {Message}
     */
    addMessage(conversationId, { author, text, clientId }) {
      const thread = mustThread(conversationId)
      /** @type {Message} */
      const message = {
        id: `m_${random(9)}`,
        ...(clientId === undefined ? {} : { clientId }),
        conversationId,
        seq: thread.messages.length + 1,
        author,
        text,
        createdAt: now()
      }
      commit({ k: 'message', eid: lastEventId + 1, message })
      return message
    },

    /**
     * Close a conversation; closing a closed one changes nothing.
     * @param {string} conversationId
     * @returns {Conversation}
     */
    closeConversation(conversationId) {
      const thread = mustThread(conversationId)
      if (thread.conversation.status !== 'closed') {
        commit({ k: 'status', eid: lastEventId + 1, id: conversationId, status: 'closed', at: now() })
      }
      return thread.conversation
    },

    /** The id of the newest event (0 before the first). */
    lastEventId: () => lastEventId,

    /**
     * Every event after `cursor`, or `reset: true` when some of them are no longer kept (or the
     * cursor is newer than anything this store ever published, e.g. its data folder was replaced).
     * @param {number} cursor
     * @returns {{ events: StoredEvent[], reset: boolean }}
     */
    since(cursor) {
      const first = log.length > 0 ? /** @type {StoredEvent} */ (log[0]).id : lastEventId + 1
      if (cursor < first - 1 || cursor > lastEventId) return { events: [], reset: true }
      return { events: log.slice(cursor - first + 1), reset: false }
    },

    /**
     * Call `listener` with every new event, after it is on disk. Returns the unsubscribe function.
     * @param {(event: StoredEvent) => void} listener
     */
    onEvent(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    /** Release the journal file. The store must not be used afterwards. */
    close() {
      listeners.clear()
      journal.close()
    }
  }
}

/** @typedef {ReturnType<typeof openStore>} Store */
