// @ts-check
import crypto from 'node:crypto'
import path from 'node:path'
import { searchableText } from '../../src/content/plain.js'
import { readStep } from '../../src/content/read.js'
import { keepEvent, mergeAttributes, mergeVisitors } from '../../src/content/visitor.js'
import { openJournal } from './journal.js'

/** @typedef {'chat' | 'messaging'} Mode */
/** @typedef {{ role: 'visitor' | 'agent' | 'bot' | 'system', id?: string, name?: string }} Author */
/**
 * What a message says (`text`, `parts`, `replies`, `actions`, `blockComposer`, `replyTo`,
 * `metadata`), as `checkContent` of src/content/check.js normalized it.
 * @typedef {import('../../src/transports/types.js').MessageContent} MessageContent
 */
/**
 * @typedef {MessageContent & {
 *   id: string,
 *   clientId?: string,
 *   conversationId: string,
 *   seq: number,
 *   author: Author,
 *   createdAt: number
 * }} Message `seq`: 1, 2, 3 … within its conversation, no gaps.
 */
/**
 * A payload a visitor sent for the backend (its bot) without a visible message, e.g. from a
 * `postback` button: stored once per `clientId`, never shown in the conversation.
 * @typedef {object} Postback
 * @property {string} id
 * @property {string} clientId
 * @property {string} conversationId
 * @property {string} payload
 * @property {string} [messageId] The message whose button or quick reply sent it.
 * @property {string} [actionId] That button's or quick reply's id.
 * @property {number} createdAt
 */
/**
 * A file of a conversation: the slot its bytes are put to, then, once they are in (`storedAt`), the
 * file served at its `getUrl`. Asked for once per `clientId` by each side of the conversation (`by`).
 * @typedef {object} Upload
 * @property {string} id
 * @property {string} conversationId
 * @property {'visitor' | 'agent'} by Who asked for it: the conversation's visitor, or an agent.
 * @property {string} clientId The idempotency key the client chose.
 * @property {string} name The file's name on the sender's device.
 * @property {number} size Bytes, as declared; the bytes put must be exactly this many.
 * @property {string} type The declared MIME type, lower case, without parameters.
 * @property {string} token The secret of the slot's `putUrl`.
 * @property {number} expiresAt When the slot's `putUrl` stops working (ms since the epoch).
 * @property {number} createdAt
 * @property {number} [storedAt] When its bytes were stored; absent until then.
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
 * @property {{ visitor?: ReadMark, agent?: ReadMark }} [read] How far each side has read (see routes/read.js).
 */
/**
 * Where one side of a conversation has read up to, when, and who read it.
 * @typedef {{ messageId: string, at: number, reader: Author }} ReadMark
 */
/** @typedef {'visitor' | 'agent'} ReadSide */
/** @typedef {import('./identity.js').Identified} Identified */
/**
 * An anonymous visitor. `token` authorizes requests; `resumeKey` brings the visitor back on a later visit.
 * @typedef {{ id: string, resumeKey: string, token: string, createdAt: number }} AnonymousVisitor
 */
/**
 * An identified user: a visitor the site vouches for with a signed identity token. One per site user
 * id (`identified.id`, the token's `sub`), whatever the device. It has no resume key, and a session
 * token per session. `iat` is that of the token that last set `name` and `email`.
 * @typedef {{ id: string, identified: Identified, iat?: number, createdAt: number }} User
 */
/** @typedef {AnonymousVisitor | User} Visitor */
/**
 * Who owns a conversation, as agents are told: the visitor id, and the user's identity when identified.
 * @typedef {{ id: string, identified?: Identified }} VisitorSummary
 */
/** @typedef {import('../../src/transports/types.js').PageContext} PageContext */
/**
 * Something a visitor did that the site tracked (`POST /v1/visitor/events`), as stored: once per
 * `clientId`; `at` is the visitor's clock, `receivedAt` the server's.
 * @typedef {import('../../src/transports/types.js').TrackedEvent & { receivedAt: number }} VisitorEvent
 */
/**
 * What the store knows of a visitor besides their conversations: the attributes the site set
 * (merged, see src/content/visitor.js), the page they were last on (`at`: when the server heard of
 * it), the newest tracked events, oldest first.
 * @typedef {{ attributes: Record<string, string | number | boolean>, page?: PageContext & { at: number }, events: VisitorEvent[] }} VisitorDetails
 */
/**
 * A change to a visitor's details, as `onVisitorChange` listeners hear it: new attributes and page,
 * or a new event.
 * @typedef {{ type: 'update', visitorId: string, attributes: VisitorDetails['attributes'], page?: VisitorDetails['page'] }
 *   | { type: 'event', visitorId: string, event: VisitorEvent }} VisitorChange
 */
/**
 * A conversation with everything the store indexes about it. Read it; change it only through the store.
 * @typedef {object} Thread
 * @property {Conversation} conversation Replaced (never mutated) on every change, so events can share it.
 * @property {string} visitorId Changes once if its anonymous visitor is merged into a user.
 * @property {Message[]} messages `messages[i].seq === i + 1`.
 * @property {Map<string, Message>} byClientId
 * @property {Map<string, Postback>} postbacks By `clientId`, oldest first.
 */
/**
 * A change streams deliver, numbered by `id` (1, 2, 3 … across the server, no gaps, never reused).
 * A `conversation` event says what changed (`change`; streams do not send it): it was created, its
 * status became `open` or `closed`, or it moved to another visitor (`merged`).
 * @typedef {{ id: number, visitorId: string } &
 *   ({ type: 'message', message: Message }
 *   | { type: 'conversation', conversation: Conversation, change?: 'created' | 'open' | 'closed' | 'merged' }
 *   | { type: 'read', conversationId: string, side: ReadSide, mark: ReadMark })} StoredEvent
 */
/**
 * One line of the journal. Records that change a conversation carry `eid`, the id of the event they
 * publish, so the event log (and the next event id) can be rebuilt after a restart.
 *
 * - `visitor`: a new anonymous visitor.
 * - `session`: an identified session: creates the user or updates its name and email, and adds a token.
 * - `merge`: the anonymous visitor `from` joined the user `into`; its conversations `ids` moved to the
 *   user, publishing one `conversation` event each (ids `eid`, `eid + 1` …), and its resume key and
 *   token stopped working; its attributes, page and events joined the user's (`mergeVisitors`).
 * - `attributes`: changes to a visitor's attributes (`null` deletes a key), and the page, if sent.
 * - `track`: a tracked event of a visitor.
 * - `read`: one side of conversation `id` read up to `mark.messageId` (positions only move forward).
 * @typedef {{ k: 'visitor', visitor: AnonymousVisitor }
 *   | { k: 'session', user: User, token: string, at: number }
 *   | { k: 'merge', eid: number, from: string, into: string, ids: string[], at: number }
 *   | { k: 'conversation', eid: number, visitorId: string, conversation: Conversation }
 *   | { k: 'message', eid: number, message: Message }
 *   | { k: 'postback', postback: Postback }
 *   | { k: 'upload', upload: Upload }
 *   | { k: 'status', eid: number, id: string, status: 'open' | 'closed', at: number }
 *   | { k: 'attributes', visitorId: string, attributes: Record<string, string | number | boolean | null>, page?: PageContext, at: number }
 *   | { k: 'track', visitorId: string, event: VisitorEvent }
 *   | { k: 'read', eid: number, id: string, side: ReadSide, mark: ReadMark }} JournalRecord
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
 * @property {number} [compactEvery] The journal is compacted (a snapshot of the state, then a fresh
 *   journal) once this many records were appended since the last compaction. Default 10,000;
 *   `Infinity` never compacts.
 * @property {() => number} [now] Clock, ms since the epoch. Default `Date.now`.
 */
/**
 * Everything the store holds, as plain JSON: what a compaction writes to disk and a start reads
 * back. Each thread's messages are kept as one JSON string, parsed the first time the thread is
 * used: a start reads the conversations and the recent events, not every message ever written.
 * @typedef {object} StoreState
 * @property {1} version
 * @property {Visitor[]} visitors Every visitor and user.
 * @property {string[]} resumable The anonymous visitors not merged into a user: their resume keys work.
 * @property {[string, string][]} tokens Every session token that works, with its visitor id.
 * @property {{ conversation: Conversation, visitorId: string, messages: string, postbacks?: Postback[] }[]} threads
 *   `messages`: the thread's `Message[]` as JSON text. `postbacks`: absent in snapshots of older versions.
 * @property {[string, string[]][]} conversations The conversation ids of each visitor.
 * @property {number} lastEventId
 * @property {StoredEvent[]} log
 * @property {Upload[]} [uploads] Absent in snapshots of older versions.
 * @property {[string, VisitorDetails][]} [details] The details of each visitor that has any. Absent in
 *   snapshots of older versions.
 */
/**
 * The server's embedded store: every change is one journal record, flushed to disk before the
 * method returns. Every `compactEvery` records the whole state is written as a snapshot and the
 * journal starts again, so a start reads the snapshot and replays only the records after it.
 * Methods that change something publish a {@link StoredEvent} to `onEvent` listeners after it is
 * durable.
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
  const compactEvery = options.compactEvery ?? 10_000
  const file = path.join(options.dataDir, 'journal.jsonl')
  const journal = openJournal(file)

  /** @type {Map<string, Visitor>} every visitor and user by id */
  const visitors = new Map()
  /** @type {Map<string, AnonymousVisitor>} anonymous visitors not merged into a user */
  const byResumeKey = new Map()
  /** @type {Map<string, string>} visitor id per token that still works */
  const byToken = new Map()
  /** @type {Map<string, string>} user (visitor) id per site user id */
  const bySub = new Map()
  /** @type {Map<string, Thread>} */
  const threads = new Map()
  /** @type {Map<string, Set<string>>} conversation ids per visitor */
  const byVisitor = new Map()
  /** @type {StoredEvent[]} the newest events, oldest first; ids are consecutive */
  let log = []
  let lastEventId = 0
  /** @type {Set<(event: StoredEvent) => void>} */
  const listeners = new Set()
  /** @type {Set<(postback: Postback) => void>} */
  const postbackListeners = new Set()
  /** @type {WeakMap<Thread, string>} the messages of threads restored from a snapshot and not used since, as JSON */
  const unread = new WeakMap()
  /** @type {Map<string, Upload>} by id */
  const uploads = new Map()
  /** @type {Map<string, string>} upload id by {@link uploadKey} */
  const uploadIds = new Map()
  /** @type {Map<string, VisitorDetails>} by visitor id, for visitors that have any */
  const details = new Map()
  /** @type {Set<(change: VisitorChange) => void>} */
  const visitorListeners = new Set()

  if (journal.snapshot !== undefined) {
    try {
      restore(/** @type {StoreState} */ (journal.snapshot))
    } catch (error) {
      journal.close()
      throw new Error(`the snapshot of ${file}: ${/** @type {Error} */ (error).message}`)
    }
  }
  journal.records.forEach((record, index) => {
    try {
      apply(/** @type {JournalRecord} */ (record))
    } catch (error) {
      journal.close()
      throw new Error(`${file}, record ${index + 1} after the snapshot: ${/** @type {Error} */ (error).message}`)
    }
  })
  journal.records.length = 0 // replayed; the indexes hold what is needed
  // A long tail (a journal of an older version, or a crash before the last compaction): compact now,
  // so the next start is quick.
  if (journal.tail() >= compactEvery) journal.compact(snapshot())

  /**
   * The state as plain JSON (see {@link StoreState}).
   * @returns {StoreState}
   */
  function snapshot() {
    return {
      version: 1,
      visitors: [...visitors.values()],
      resumable: [...byResumeKey.values()].map((visitor) => visitor.id),
      tokens: [...byToken],
      threads: [...threads.values()].map((thread) => ({
        conversation: thread.conversation,
        visitorId: thread.visitorId,
        messages: unread.get(thread) ?? JSON.stringify(thread.messages),
        postbacks: [...thread.postbacks.values()]
      })),
      conversations: [...byVisitor].map(([visitorId, ids]) => [visitorId, [...ids]]),
      lastEventId,
      log,
      uploads: [...uploads.values()],
      details: [...details]
    }
  }

  /**
   * Fill the empty store from a snapshot.
   * @param {StoreState} state
   */
  function restore(state) {
    if (state?.version !== 1) throw new Error(`version ${JSON.stringify(state?.version)} is not one this server reads`)
    for (const visitor of state.visitors) {
      visitors.set(visitor.id, visitor)
      if ('identified' in visitor) bySub.set(visitor.identified.id, visitor.id)
    }
    for (const id of state.resumable) {
      const visitor = /** @type {AnonymousVisitor} */ (visitors.get(id))
      byResumeKey.set(visitor.resumeKey, visitor)
    }
    for (const [token, id] of state.tokens) byToken.set(token, id)
    for (const { conversation, visitorId, messages, postbacks = [] } of state.threads) {
      threads.set(conversation.id, restoredThread(conversation, visitorId, messages, postbacks))
    }
    for (const [visitorId, ids] of state.conversations) byVisitor.set(visitorId, new Set(ids))
    lastEventId = state.lastEventId
    log = state.log
    for (const upload of state.uploads ?? []) apply({ k: 'upload', upload })
    for (const [visitorId, known] of state.details ?? []) details.set(visitorId, known)
  }

  /**
   * A thread of the snapshot, whose messages are parsed on first use.
   * @param {Conversation} conversation
   * @param {string} visitorId
   * @param {string} messagesJson
   * @param {Postback[]} postbacks
   * @returns {Thread}
   */
  function restoredThread(conversation, visitorId, messagesJson, postbacks) {
    /** @type {{ messages: Message[], byClientId: Map<string, Message> } | undefined} */
    let loaded
    const load = () => {
      if (loaded) return loaded
      /** @type {Message[]} */
      const messages = JSON.parse(messagesJson)
      const byClientId = new Map(messages.flatMap((m) => (m.clientId === undefined ? [] : [[m.clientId, m]])))
      unread.delete(thread)
      return (loaded = { messages, byClientId })
    }
    /** @type {Thread} */
    const thread = {
      conversation,
      visitorId,
      postbacks: new Map(postbacks.map((postback) => [postback.clientId, postback])),
      get messages() {
        return load().messages
      },
      get byClientId() {
        return load().byClientId
      }
    }
    unread.set(thread, messagesJson)
    return thread
  }

  /**
   * The one place memory changes, for replayed and new records alike.
   * @param {JournalRecord} record
   * @returns {StoredEvent[]} what it published
   */
  function apply(record) {
    switch (record.k) {
      case 'visitor': {
        const { visitor } = record
        visitors.set(visitor.id, visitor)
        byResumeKey.set(visitor.resumeKey, visitor)
        byToken.set(visitor.token, visitor.id)
        return []
      }
      case 'session': {
        const { user, token } = record
        const known = bySub.get(user.identified.id)
        if (known !== undefined && known !== user.id) throw new Error(`user ${user.identified.id} is already ${known}`)
        visitors.set(user.id, user)
        bySub.set(user.identified.id, user.id)
        byToken.set(token, user.id)
        return []
      }
      case 'merge': {
        const from = visitors.get(record.from)
        const into = visitors.get(record.into)
        if (!from || 'identified' in from) throw new Error(`visitor ${record.from} is not an anonymous visitor`)
        if (!into || !('identified' in into)) throw new Error(`visitor ${record.into} is not an identified user`)
        byResumeKey.delete(from.resumeKey)
        byToken.delete(from.token)
        const gone = details.get(from.id)
        if (gone) {
          details.delete(from.id)
          details.set(into.id, mergeVisitors(detailsOf(into.id), gone))
        }
        const own = byVisitor.get(into.id) ?? new Set()
        byVisitor.set(into.id, own)
        return record.ids.map((id, i) => {
          const thread = mustThread(id)
          if (thread.visitorId !== from.id) throw new Error(`conversation ${id} is not visitor ${from.id}'s`)
          byVisitor.get(from.id)?.delete(id)
          own.add(id)
          thread.visitorId = into.id
          return logEvent({ id: record.eid + i, visitorId: into.id, type: 'conversation', conversation: thread.conversation, change: 'merged' })
        })
      }
      case 'conversation': {
        const { conversation, visitorId } = record
        threads.set(conversation.id, { conversation, visitorId, messages: [], byClientId: new Map(), postbacks: new Map() })
        const own = byVisitor.get(visitorId) ?? new Set()
        own.add(conversation.id)
        byVisitor.set(visitorId, own)
        return [logEvent({ id: record.eid, visitorId, type: 'conversation', conversation, change: 'created' })]
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
        return [logEvent({ id: record.eid, visitorId: thread.visitorId, type: 'message', message })]
      }
      case 'postback': {
        const { postback } = record
        mustThread(postback.conversationId).postbacks.set(postback.clientId, postback)
        return []
      }
      case 'upload': {
        const { upload } = record
        mustThread(upload.conversationId)
        uploads.set(upload.id, upload)
        uploadIds.set(uploadKey(upload), upload.id)
        return []
      }
      case 'attributes': {
        const known = detailsOf(record.visitorId)
        const merged = mergeAttributes(known.attributes, record.attributes)
        if (!merged.ok) throw new Error(`the attributes of visitor ${record.visitorId}: ${merged.problem.message}`)
        const page = record.page ? { ...record.page, at: record.at } : known.page
        details.set(record.visitorId, { ...known, attributes: merged.attributes, ...(page ? { page } : {}) })
        return []
      }
      case 'track': {
        const known = detailsOf(record.visitorId)
        details.set(record.visitorId, { ...known, events: keepEvent(known.events, record.event) })
        return []
      }
      case 'read': {
        const thread = mustThread(record.id)
        const { side, mark } = record
        // Not a change of activity: `updatedAt` stays, so the conversation keeps its place in lists.
        thread.conversation = { ...thread.conversation, read: { ...thread.conversation.read, [side]: mark } }
        return [logEvent({ id: record.eid, visitorId: thread.visitorId, type: 'read', conversationId: record.id, side, mark })]
      }
      case 'status': {
        const thread = mustThread(record.id)
        thread.conversation = { ...thread.conversation, status: record.status, updatedAt: record.at }
        return [
          logEvent({ id: record.eid, visitorId: thread.visitorId, type: 'conversation', conversation: thread.conversation, change: record.status })
        ]
      }
      default:
        // A record kind a newer version wrote: nothing this version can do with it.
        return []
    }
  }

  /** @param {string} id */
  function mustThread(id) {
    const thread = threads.get(id)
    if (!thread) throw new Error(`conversation ${id} is unknown`)
    return thread
  }

  /**
   * A visitor's details, empty for a visitor the site told nothing yet.
   * @param {string} visitorId
   * @returns {VisitorDetails}
   */
  function detailsOf(visitorId) {
    return details.get(visitorId) ?? { attributes: {}, events: [] }
  }

  /** @param {string} id */
  function mustUpload(id) {
    const upload = uploads.get(id)
    if (!upload) throw new Error(`upload ${id} is unknown`)
    return upload
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
    for (const event of apply(record)) for (const listener of listeners) listener(event)
    // Synchronous, so no record comes in between: a pause of the server, once every `compactEvery`.
    if (journal.tail() >= compactEvery) journal.compact(snapshot())
  }

  /** @param {number} bytes */
  const random = (bytes) => crypto.randomBytes(bytes).toString('base64url')

  /** @param {Conversation} a @param {Conversation} b */
  const newestFirst = (a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

  return {
    /** Start a new anonymous visitor. */
    createVisitor() {
      /** @type {AnonymousVisitor} */
      const visitor = { id: `v_${random(9)}`, resumeKey: random(24), token: random(24), createdAt: now() }
      commit({ k: 'visitor', visitor })
      return visitor
    },

    /**
     * The anonymous visitor a resume key brings back; `undefined` for an unknown key or the key of a
     * visitor merged into a user.
     * @param {string} resumeKey
     */
    visitorByResumeKey: (resumeKey) => byResumeKey.get(resumeKey),

    /**
     * The visitor or user a session token belongs to, while it works.
     * @param {string} token
     * @returns {Visitor | undefined}
     */
    visitorByToken(token) {
      const id = byToken.get(token)
      return id === undefined ? undefined : visitors.get(id)
    },

    /**
     * Start a session for an identified user: the user of `claims.sub` (created on its first
     * session), with a new session token. Name and email come from the newest token: a token with an
     * `iat` older than the one that last set them changes nothing, and a claim the token leaves out
     * keeps what is stored.
     *
     * @param {import('./identity.js').IdentityClaims} claims Checked by `verifyIdentityToken`.
     * @returns {{ user: User, token: string, created: boolean }}
     */
    startUserSession(claims) {
      const knownId = bySub.get(claims.sub)
      const known = knownId === undefined ? undefined : /** @type {User} */ (visitors.get(knownId))
      let user = known ?? { id: `v_${random(9)}`, identified: { id: claims.sub }, createdAt: now() }
      const stale = claims.iat !== undefined && user.iat !== undefined && claims.iat < user.iat
      if (!stale) {
        /** @type {Identified} */
        const identified = { id: claims.sub }
        const name = claims.name ?? user.identified.name
        const email = claims.email ?? user.identified.email
        if (name !== undefined) identified.name = name
        if (email !== undefined) identified.email = email
        const iat = claims.iat ?? user.iat
        user = { id: user.id, identified, ...(iat === undefined ? {} : { iat }), createdAt: user.createdAt }
      }
      const token = random(24)
      commit({ k: 'session', user, token, at: now() })
      return { user, token, created: !known }
    },

    /**
     * Move every conversation of the anonymous visitor `fromId` to the user `intoId` (one
     * `conversation` event each, to the user), then retire the visitor: its resume key and token stop
     * working. Does nothing unless `fromId` is an anonymous visitor not merged yet and `intoId` a user.
     *
     * @param {string} fromId
     * @param {string} intoId
     * @returns {string[]} the ids of the conversations moved, oldest first
     */
    mergeVisitor(fromId, intoId) {
      const from = visitors.get(fromId)
      const into = visitors.get(intoId)
      if (!from || 'identified' in from || byResumeKey.get(from.resumeKey) !== from) return []
      if (!into || !('identified' in into)) return []
      const ids = [...(byVisitor.get(fromId) ?? [])].sort(
        (a, b) => mustThread(a).conversation.createdAt - mustThread(b).conversation.createdAt || (a < b ? -1 : 1)
      )
      commit({ k: 'merge', eid: lastEventId + 1, from: fromId, into: intoId, ids, at: now() })
      return ids
    },

    /**
     * A visitor or user by id.
     * @param {string} visitorId
     * @returns {Visitor | undefined}
     */
    visitor: (visitorId) => visitors.get(visitorId),

    /**
     * The owner of conversations, as agents see it.
     * @param {string} visitorId
     * @returns {VisitorSummary}
     */
    visitorSummary(visitorId) {
      const visitor = visitors.get(visitorId)
      return visitor && 'identified' in visitor ? { id: visitorId, identified: visitor.identified } : { id: visitorId }
    },

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
     * The messages of `visitorId`'s conversations (or of the one `conversationId` names, which the
     * caller has checked is theirs) whose words (`searchableText`: the text without markup, card
     * titles, labels, form answers …) `match` accepts, newest first (`createdAt`, then `seq`), at
     * most `limit`. A linear scan: fine for a reference server, not for a large archive.
     *
     * @param {{ visitorId: string, conversationId?: string, match: (text: string) => boolean, limit: number }} query
     * @returns {Message[]}
     */
    searchMessages({ visitorId, conversationId, match, limit }) {
      const ids = conversationId === undefined ? byVisitor.get(visitorId) ?? [] : [conversationId]
      /** @type {Message[]} */
      const found = []
      for (const id of ids) for (const message of mustThread(id).messages) if (match(searchableText(message))) found.push(message)
      return found.sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq).slice(0, limit)
    },

    /**
     * Store a message. Idempotency (`clientId`), the open status and the content's rules are the
     * caller's to check first.
     * @param {string} conversationId
     * @param {MessageContent & { author: Author, clientId?: string }} draft
     * @returns {Message}
     */
    addMessage(conversationId, { author, clientId, ...content }) {
      const thread = mustThread(conversationId)
      /** @type {Message} */
      const message = {
        id: `m_${random(9)}`,
        ...(clientId === undefined ? {} : { clientId }),
        conversationId,
        seq: thread.messages.length + 1,
        author,
        ...content,
        createdAt: now()
      }
      commit({ k: 'message', eid: lastEventId + 1, message })
      return message
    },

    /**
     * Store a postback and tell the `onPostback` listeners. Idempotency (`clientId`) and the open
     * status are the caller's to check first. No event: postbacks are never shown.
     * @param {string} conversationId
     * @param {{ clientId: string, payload: string, messageId?: string, actionId?: string }} draft
     * @returns {Postback}
     */
    addPostback(conversationId, { clientId, payload, messageId, actionId }) {
      mustThread(conversationId)
      /** @type {Postback} */
      const postback = {
        id: `p_${random(9)}`,
        clientId,
        conversationId,
        payload,
        ...(messageId === undefined ? {} : { messageId }),
        ...(actionId === undefined ? {} : { actionId }),
        createdAt: now()
      }
      commit({ k: 'postback', postback })
      for (const listener of postbackListeners) listener(postback)
      return postback
    },

    /**
     * Call `listener` with every new postback, after it is on disk. Returns the unsubscribe function.
     * @param {(postback: Postback) => void} listener
     */
    onPostback(listener) {
      postbackListeners.add(listener)
      return () => {
        postbackListeners.delete(listener)
      }
    },

    /**
     * Move one side's read position to `messageId` (who read it: `reader`), publishing a `read` event,
     * if that is forward: a message at or before the position changes nothing (`'behind'`), and one
     * the conversation does not have is `'unknown'`. Answers with the position as it stands.
     * @param {string} conversationId
     * @param {ReadSide} side
     * @param {Author} reader
     * @param {string} messageId
     * @returns {{ step: 'ahead' | 'behind' | 'unknown', mark: ReadMark | undefined }}
     */
    markRead(conversationId, side, reader, messageId) {
      const thread = mustThread(conversationId)
      const current = thread.conversation.read?.[side]
      const step = readStep(thread.messages, current?.messageId, messageId)
      if (step !== 'ahead') return { step, mark: current }
      const mark = { messageId, at: now(), reader }
      commit({ k: 'read', eid: lastEventId + 1, id: conversationId, side, mark })
      return { step, mark }
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

    /**
     * An upload by id.
     * @param {string} id
     * @returns {Readonly<Upload> | undefined}
     */
    upload: (id) => uploads.get(id),

    /**
     * The upload `by` asked for in the conversation with `clientId`, if any.
     * @param {Pick<Upload, 'conversationId' | 'by' | 'clientId'>} key
     * @returns {Readonly<Upload> | undefined}
     */
    uploadByClientId(key) {
      const id = uploadIds.get(uploadKey(key))
      return id === undefined ? undefined : uploads.get(id)
    },

    /**
     * The uploads of the conversations `visitorId` owns now (both sides'), oldest first.
     * @param {string} visitorId
     * @returns {Readonly<Upload>[]}
     */
    uploadsOf(visitorId) {
      const own = byVisitor.get(visitorId) ?? new Set()
      return [...uploads.values()].filter((upload) => own.has(upload.conversationId))
    },

    /**
     * Grant a new upload slot with a fresh id and token, valid until `expiresAt`. The caller checks
     * the request (limits, idempotency) first.
     * @param {Omit<Upload, 'id' | 'token' | 'createdAt' | 'storedAt'>} request
     * @returns {Upload}
     */
    createUpload(request) {
      /** @type {Upload} */
      const upload = { id: `u_${random(16)}`, ...request, token: random(24), createdAt: now() }
      commit({ k: 'upload', upload })
      return upload
    },

    /**
     * Give an upload that is not stored yet a fresh token, valid until `expiresAt` (its slot expired).
     * @param {string} id
     * @param {number} expiresAt
     * @returns {Upload}
     */
    renewUpload(id, expiresAt) {
      const upload = { ...mustUpload(id), token: random(24), expiresAt }
      commit({ k: 'upload', upload })
      return upload
    },

    /**
     * Let an upload's slot expire now (fault injection): its `putUrl` answers 410 until asked again.
     * @param {string} id
     */
    expireUpload(id) {
      commit({ k: 'upload', upload: { ...mustUpload(id), expiresAt: now() } })
    },

    /**
     * Record that an upload's bytes are on disk (the caller wrote and flushed them first).
     * @param {string} id
     * @returns {Upload}
     */
    uploadStored(id) {
      const upload = { ...mustUpload(id), storedAt: now() }
      commit({ k: 'upload', upload })
      return upload
    },

    /**
     * What the site told about a visitor (attributes, page, the newest tracked events), as agents see it.
     * @param {string} visitorId
     * @returns {Readonly<VisitorDetails>}
     */
    visitorDetails: detailsOf,

    /**
     * Merge changes into a visitor's attributes (`null` deletes a key) and keep the page, if given;
     * tell the `onVisitorChange` listeners. The caller checks the update and the merged limits first
     * (`checkVisitorUpdate`, `mergeAttributes`).
     * @param {string} visitorId
     * @param {import('../../src/transports/types.js').VisitorUpdate} update
     * @returns {VisitorDetails}
     */
    updateVisitor(visitorId, { attributes, page }) {
      commit({ k: 'attributes', visitorId, attributes, ...(page ? { page } : {}), at: now() })
      const known = detailsOf(visitorId)
      for (const listener of visitorListeners) listener({ type: 'update', visitorId, attributes: known.attributes, ...(known.page ? { page: known.page } : {}) })
      return known
    },

    /**
     * Store a tracked event once per `clientId` (a repeat stores nothing and answers the stored one);
     * tell the `onVisitorChange` listeners of a new one. The caller checks it first (`checkTrackedEvent`).
     * @param {string} visitorId
     * @param {import('../../src/transports/types.js').TrackedEvent} tracked
     * @returns {{ event: VisitorEvent, created: boolean }}
     */
    trackEvent(visitorId, tracked) {
      const known = detailsOf(visitorId).events.find((event) => event.clientId === tracked.clientId)
      if (known) return { event: known, created: false }
      /** @type {VisitorEvent} */
      const event = { ...tracked, receivedAt: now() }
      commit({ k: 'track', visitorId, event })
      for (const listener of visitorListeners) listener({ type: 'event', visitorId, event })
      return { event, created: true }
    },

    /**
     * Call `listener` with every change to a visitor's details, after it is on disk. Returns the unsubscribe function.
     * @param {(change: VisitorChange) => void} listener
     */
    onVisitorChange(listener) {
      visitorListeners.add(listener)
      return () => {
        visitorListeners.delete(listener)
      }
    },

    /** The id of the newest event (0 before the first). */
    lastEventId: () => lastEventId,

    /**
     * Drop the recent events kept for stream resume (fault injection: a resume from any earlier id
     * then answers `reset`, as after a long absence). Until the next restart, which rebuilds them.
     */
    forgetEvents() {
      log = []
    },

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

    /** Everything the store holds, as plain JSON: what a compaction writes (see {@link StoreState}). */
    snapshot,

    /** Compact the journal now: write the state as its snapshot and start the journal again. */
    compact: () => journal.compact(snapshot()),

    /** Release the journal file. The store must not be used afterwards. */
    close() {
      listeners.clear()
      postbackListeners.clear()
      visitorListeners.clear()
      journal.close()
    }
  }
}

/**
 * What an upload is idempotent by: one per conversation, side and `clientId`.
 * @param {Pick<Upload, 'conversationId' | 'by' | 'clientId'>} upload
 */
function uploadKey({ conversationId, by, clientId }) {
  return `${conversationId}\n${by}\n${clientId}`
}

/** @typedef {ReturnType<typeof openStore>} Store */
