import { checkContent, LIMITS } from '../../content/check.js'
import { searchableText } from '../../content/plain.js'
import { createError } from '../../errors/index.js'
import { randomId } from '../../util/ids.js'
import { archiveMatcher } from '../../util/archive-match.js'
import type {
  ArchiveHit,
  Author,
  Conversation,
  ConversationInit,
  HistoryPage,
  HistoryQuery,
  Message,
  MessageContent,
  OutgoingMessage,
  OutgoingPostback,
  TrackedEvent,
  TransportEvent,
  UploadLimits,
  UploadRequest,
  UploadSlot,
  VisitorDetails,
  VisitorSession,
  VisitorUpdate
} from '../types.js'
import { createMemoryUploads, UPLOAD_DEFAULTS, type MemoryUpload, type MemoryUploads } from './uploads.js'
import { createMemoryVisitors } from './visitors.js'

export type { MemoryUpload }

interface Thread {
  conversation: Conversation
  visitorId: string
  messages: Message[]
  byClientId: Map<string, Message>
  /** Postbacks taken, oldest first, each client id once. */
  postbacks: Map<string, OutgoingPostback>
}

/**
 * `content` checked as the reference server checks a request body: a problem is a 400 (a 413 for a
 * size limit) `invalid-argument` error naming the rule broken.
 */
function checked(content: unknown, from: 'visitor' | 'agent'): MessageContent {
  const result = checkContent(content, { from })
  if (result.ok) return result.content
  const { problem } = result
  throw createError('invalid-argument', problem.message, { status: problem.tooLarge ? 413 : 400, retryable: false, data: problem })
}

/** A postback's fields checked like the reference server's `POST …/postbacks`, copied without unknown keys. */
function checkedPostback(given: OutgoingPostback): OutgoingPostback {
  const text = (key: keyof OutgoingPostback, max: number, optional: boolean) => {
    const value = given[key]
    if (value === undefined && optional) return undefined
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw createError('invalid-argument', `"${key}" must be a string of 1 to ${max} characters`, {
        status: typeof value === 'string' && value.length > max ? 413 : 400,
        retryable: false
      })
    }
    return value
  }
  const postback: OutgoingPostback = { clientId: text('clientId', LIMITS.id, false)!, payload: text('payload', LIMITS.payload, false)! }
  const messageId = text('messageId', LIMITS.id, true)
  const actionId = text('actionId', LIMITS.id, true)
  if (messageId !== undefined) postback.messageId = messageId
  if (actionId !== undefined) postback.actionId = actionId
  return postback
}

interface LoggedEvent {
  visitorId: string
  event: TransportEvent
}

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number
  /**
   * Check an identity token and name the user, or answer `null` to refuse it. Default: a token
   * `user:<id>` names user `<id>` (tests need no signatures).
   */
  verifyIdentity?: (token: string) => { id: string; name?: string; email?: string } | null
  /**
   * What uploads the backend accepts (announced with each session). Default: 25 MB, images, PDF
   * and plain text, as the reference server.
   */
  uploadLimits?: UploadLimits
  /** How long an upload slot works, in ms. Default 15 minutes. */
  uploadSlotTtl?: number
  /**
   * The URL a stored file is read from. Default `https://files.memory.invalid/<id>/<name>`, which no
   * network serves: a test that shows images routes it to `upload(url).blob`.
   */
  fileUrl?: (file: { id: string; name: string; type: string }) => string
}

/**
 * An in-memory backend with the same rules as the reference server: sessions keyed by a resume key,
 * per-conversation sequence numbers, idempotent sends by client id, a resumable event log. Several
 * transports (tabs, devices) can share one backend. The agent side is plain methods, so tests and
 * demos can answer as an agent.
 *
 * @example
 * const backend = createMemoryBackend()
 * const transport = createMemoryTransport({ backend })
 * backend.onMessage((m) => { if (m.author.role === 'visitor') backend.reply(m.conversationId, 'Hello!') })
 */
export interface MemoryBackend {
  /** Every conversation, newest activity first. */
  conversations(): Conversation[]
  /** Every message of a conversation, oldest first. */
  messages(conversationId: string): Message[]
  /**
   * Post a message as an agent (or bot, or system): text, or content with parts, quick replies and
   * buttons. Checked as the reference server checks it: content that breaks a rule throws an
   * `invalid-argument` error (status 400, or 413 for a size limit).
   *
   * @example
   * backend.reply(id, { text: 'Which size?', replies: [{ type: 'reply', id: 's', label: 'Small' }] }, { role: 'bot', name: 'Shop bot' })
   */
  reply(conversationId: string, content: string | MessageContent, author?: Author): Message
  /**
   * Post a message without checking its content, as a newer or broken backend might send it (a part
   * of a type the client does not know, a button without a label): to test how a client copes.
   */
  replyUnchecked(conversationId: string, content: Record<string, unknown> & { text?: unknown }, author?: Author): Message
  /** The postbacks the visitor sent in a conversation, oldest first, each client id once. */
  postbacks(conversationId: string): OutgoingPostback[]
  /** Called for every postback stored (not for one sent again). Returns its unsubscribe. */
  onPostback(listener: (conversationId: string, postback: OutgoingPostback) => void): () => void
  /**
   * Show or hide the agent's typing indicator. Sent live only, never replayed (as the reference
   * server does): a stream that resumes later does not bring it back.
   */
  typing(conversationId: string, typing: boolean, author?: Author): void
  /**
   * Whether the visitor types in a conversation, as their last `setTyping` said (`false` before any).
   *
   * @example
   * await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(true))
   */
  visitorTyping(conversationId: string): boolean
  /** Close a conversation (a resolved thread, an ended chat). */
  closeConversation(conversationId: string): Conversation
  /** Called for every message stored, whoever wrote it. Returns its unsubscribe. */
  onMessage(listener: (message: Message) => void): () => void
  /**
   * Make the next `count` sends (messages and postbacks) fail with `error` (a retryable network
   * error by default). With `{ stored: true }` each is stored first and only its answer fails: a lost
   * response, which a retry with the same client id must recover.
   *
   * @example
   * backend.failNextSends(1, undefined, { stored: true })
   */
  failNextSends(count: number, error?: Error, options?: { stored?: boolean }): void
  /** Forget every event before the last `keep`, as a server with a bounded event log does. */
  truncateEvents(keep: number): void
  /** Every file a visitor asked an upload slot for, oldest first, with its bytes once put. */
  uploads(): MemoryUpload[]
  /** The file served at `url` (a slot's `getUrl`), if its bytes are stored. */
  upload(url: string): MemoryUpload | undefined
  /**
   * Make the next `count` upload slot requests fail with `error` (a retryable network error by
   * default); with `{ stored: true }` the slot is made and only its answer is lost.
   */
  failNextSlots: MemoryUploads['failNextSlots']
  /**
   * Make the next `count` puts of a file's bytes fail with `error` (a retryable network error by
   * default); with `{ stored: true }` the bytes are stored and only the answer is lost.
   *
   * @example
   * backend.failNextPuts(1, undefined, { stored: true })
   */
  failNextPuts: MemoryUploads['failNextPuts']
  /** Every upload slot handed out so far expires: a put to it answers 410, asking again gives a fresh one. */
  expireSlots(): void
  /** Make each put take `ms` per quarter of the file (0, the default: as fast as it can). */
  slowPuts(ms: number): void
  /**
   * What the backend knows of a visitor besides their conversations: the attributes `update()`
   * set, the page they were last on, the events they tracked (the newest 100, oldest first).
   *
   * @example
   * expect(backend.visitor(client.$session.get()!.visitorId).attributes).toEqual({ plan: 'pro' })
   */
  visitor(visitorId: string): VisitorDetails
  /**
   * Make the next `count` visitor updates and tracked events fail with `error` (a retryable network
   * error by default); with `{ stored: true }` each is stored first and only its answer is lost.
   */
  failNextUpdates(count: number, error?: Error, options?: { stored?: boolean }): void

  /** @internal The transport's side. */
  readonly internal: MemoryBackendInternal
}

/** @internal What {@link createMemoryTransport} calls. */
export interface MemoryBackendInternal {
  session(resumeKey: string | undefined, identityToken?: string): VisitorSession
  /** What the backend accepts as uploads. */
  readonly uploadLimits: UploadLimits
  requestUpload(visitorId: string, conversationId: string, request: UploadRequest, limits?: UploadLimits): UploadSlot
  putUpload: MemoryUploads['put']
  list(visitorId: string): Conversation[]
  create(visitorId: string, init: ConversationInit): Conversation
  get(visitorId: string, id: string): Conversation
  history(visitorId: string, id: string, query: HistoryQuery): HistoryPage
  send(visitorId: string, id: string, message: OutgoingMessage): Message
  postback(visitorId: string, id: string, postback: OutgoingPostback): void
  close(visitorId: string, id: string): Conversation
  setTyping(visitorId: string, id: string, typing: boolean): void
  updateVisitor(visitorId: string, update: VisitorUpdate): void
  trackEvent(visitorId: string, event: TrackedEvent): void
  search(visitorId: string, query: string, options: { conversationId?: string; limit?: number }): ArchiveHit[]
  replay(visitorId: string, after: number): { events: TransportEvent[]; reset: boolean }
  listen(listener: (visitorId: string, event: TransportEvent) => void): () => void
}

/** Make an in-memory backend. See {@link MemoryBackend}. */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const now = options.now ?? Date.now
  const verify =
    options.verifyIdentity ?? ((token: string) => (token.startsWith('user:') ? { id: token.slice(5) } : null))
  const visitors = new Map<string, string>()
  const threads = new Map<string, Thread>()
  const log: LoggedEvent[] = []
  let logStart = 0
  const listeners = new Set<(visitorId: string, event: TransportEvent) => void>()
  const messageListeners = new Set<(message: Message) => void>()
  const postbackListeners = new Set<(conversationId: string, postback: OutgoingPostback) => void>()
  let failures: { count: number; error: Error; stored: boolean } = { count: 0, error: new Error(), stored: false }
  const uploadLimits = options.uploadLimits ?? UPLOAD_DEFAULTS.limits
  const uploads = createMemoryUploads({
    now,
    limits: uploadLimits,
    slotTtl: options.uploadSlotTtl ?? UPLOAD_DEFAULTS.slotTtl,
    fileUrl: options.fileUrl ?? UPLOAD_DEFAULTS.fileUrl
  })
  const visitorDetails = createMemoryVisitors(now)
  /** Conversations whose visitor said they type. */
  const typingVisitors = new Set<string>()

  function thread(id: string, visitorId?: string): Thread {
    const found = threads.get(id)
    if (!found || (visitorId !== undefined && found.visitorId !== visitorId)) {
      throw createError('not-found', `Conversation ${id} does not exist`, { status: 404 })
    }
    return found
  }

  /** Log `event` with its cursor and send it live; `ephemeral`: live only, without a cursor. */
  function publish(visitorId: string, event: TransportEvent, ephemeral = false): void {
    const stamped = ephemeral ? event : ({ ...event, cursor: String(logStart + log.length + 1) } as TransportEvent)
    if (!ephemeral) log.push({ visitorId, event: stamped })
    for (const listener of listeners) listener(visitorId, stamped)
  }

  function store(target: Thread, content: MessageContent, author: Author, clientId?: string): Message {
    const message: Message = {
      ...content,
      id: `m_${randomId().slice(0, 8)}`,
      conversationId: target.conversation.id,
      seq: target.messages.length + 1,
      author,
      createdAt: now()
    }
    if (clientId !== undefined) {
      message.clientId = clientId
      target.byClientId.set(clientId, message)
    }
    target.messages.push(message)
    target.conversation = { ...target.conversation, updatedAt: message.createdAt, lastMessage: message }
    publish(target.visitorId, { type: 'message', message })
    for (const listener of messageListeners) listener(message)
    return message
  }

  const byActivity = (a: Conversation, b: Conversation) => b.updatedAt - a.updatedAt

  /** The failure aimed at this send, if any; one refused before anything happens is thrown now. */
  function takeFailure() {
    const failure = failures.count > 0 ? failures : undefined
    if (failure) failure.count--
    if (failure && !failure.stored) throw failure.error
    return failure
  }

  /**
   * A closed conversation takes nothing but its satisfaction survey, as the reference server: a
   * visitor's rating that answers a rating request of the conversation.
   */
  function refuseClosed(target: Thread, content?: MessageContent): void {
    const answer = content?.replyTo && content.parts?.some((part) => part.type === 'rating-response')
    const asked = answer && target.messages.find((m) => m.id === content.replyTo!.messageId)?.parts?.some((part) => part.type === 'rating')
    if (target.conversation.status === 'closed' && !asked) {
      throw createError('http', `Conversation ${target.conversation.id} is closed`, { status: 403, retryable: false })
    }
  }

  const internal: MemoryBackendInternal = {
    session(resumeKey, identityToken) {
      const known = resumeKey === undefined ? undefined : visitors.get(resumeKey)
      if (identityToken === undefined) {
        if (known !== undefined && resumeKey !== undefined) return { visitorId: known, resumeKey }
        const fresh = { visitorId: `v_${randomId().slice(0, 8)}`, resumeKey: randomId() }
        visitors.set(fresh.resumeKey, fresh.visitorId)
        return fresh
      }
      const user = verify(identityToken)
      if (!user) throw createError('unauthorized', 'The identity token was refused', { status: 401, retryable: false })
      const visitorId = `u_${user.id}`
      // The merge rule: an anonymous visitor who identifies hands their threads to the user, and
      // their resume key stops resuming anything.
      if (known !== undefined && known.startsWith('v_') && resumeKey !== undefined) {
        visitors.delete(resumeKey)
        visitorDetails.merge(known, visitorId)
        for (const thread of threads.values()) {
          if (thread.visitorId !== known) continue
          thread.visitorId = visitorId
          publish(visitorId, { type: 'conversation', conversation: thread.conversation })
        }
      }
      return { visitorId, identified: user }
    },
    uploadLimits,
    requestUpload(visitorId, id, request, limits) {
      const target = thread(id, visitorId)
      refuseClosed(target)
      return uploads.request(visitorId, id, request, limits)
    },
    putUpload: uploads.put,
    list(visitorId) {
      return [...threads.values()]
        .filter((t) => t.visitorId === visitorId)
        .map((t) => t.conversation)
        .sort(byActivity)
    },
    create(visitorId, init) {
      const at = now()
      const conversation: Conversation = {
        id: `c_${randomId().slice(0, 8)}`,
        mode: init.mode,
        status: 'open',
        createdAt: at,
        updatedAt: at
      }
      if (init.subject !== undefined) conversation.subject = init.subject
      threads.set(conversation.id, { conversation, visitorId, messages: [], byClientId: new Map(), postbacks: new Map() })
      publish(visitorId, { type: 'conversation', conversation })
      return conversation
    },
    get(visitorId, id) {
      return thread(id, visitorId).conversation
    },
    history(visitorId, id, query) {
      const { messages } = thread(id, visitorId)
      const limit = Math.max(1, Math.min(query.limit ?? 30, 100))
      let from: number
      let to: number
      if (query.before !== undefined) {
        to = Number(query.before) - 1
        from = Math.max(0, to - limit)
      } else if (query.after !== undefined) {
        from = Number(query.after)
        to = Math.min(messages.length, from + limit)
      } else {
        to = messages.length
        from = Math.max(0, to - limit)
      }
      const page = messages.slice(from, to)
      return {
        messages: page,
        before: from > 0 ? String(from + 1) : null,
        after: String(to)
      }
    },
    send(visitorId, id, outgoing) {
      const failure = takeFailure()
      const target = thread(id, visitorId)
      const { clientId, ...content } = outgoing
      const valid = checked(content, 'visitor')
      let message = target.byClientId.get(clientId)
      if (!message) {
        refuseClosed(target, valid)
        message = store(target, valid, { role: 'visitor', id: visitorId }, clientId)
      }
      // A lost answer: the message stays stored.
      if (failure) throw failure.error
      return message
    },
    postback(visitorId, id, given) {
      const failure = takeFailure()
      const target = thread(id, visitorId)
      const postback = checkedPostback(given)
      if (!target.postbacks.has(postback.clientId)) {
        refuseClosed(target)
        target.postbacks.set(postback.clientId, postback)
        for (const listener of postbackListeners) listener(id, structuredClone(postback))
      }
      if (failure) throw failure.error
    },
    close(visitorId, id) {
      const target = thread(id, visitorId)
      if (target.conversation.status === 'open') {
        target.conversation = { ...target.conversation, status: 'closed', updatedAt: now() }
        publish(target.visitorId, { type: 'conversation', conversation: target.conversation })
      }
      return target.conversation
    },
    setTyping(visitorId, id, typing) {
      thread(id, visitorId)
      if (typing) typingVisitors.add(id)
      else typingVisitors.delete(id)
    },
    updateVisitor: visitorDetails.update,
    trackEvent: visitorDetails.track,
    search(visitorId, query, { conversationId, limit = 20 }) {
      // The reference server's `GET /v1/search`: same matching, bounds and order.
      if (query.length === 0 || query.length > 200) {
        throw createError('http', 'The search query must be 1 to 200 characters long', { status: 400, retryable: false })
      }
      const match = archiveMatcher(query)
      const scanned =
        conversationId === undefined
          ? [...threads.values()].filter((t) => t.visitorId === visitorId)
          : [thread(conversationId, visitorId)]
      return scanned
        // The words a person reads (card titles, form answers, link labels), never markup or link targets.
        .flatMap((t) => t.messages.filter((m) => match(searchableText(m))))
        .sort((a, b) => b.createdAt - a.createdAt || b.seq! - a.seq!)
        .slice(0, Math.max(1, Math.min(limit, 50)))
        .map((message) => ({ message }))
    },
    replay(visitorId, after) {
      if (after < logStart) return { events: [], reset: true }
      const events = log
        .slice(after - logStart)
        .filter((entry) => entry.visitorId === visitorId)
        .map((entry) => entry.event)
      return { events, reset: false }
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }

  return {
    internal,
    conversations: () => [...threads.values()].map((t) => t.conversation).sort(byActivity),
    messages: (conversationId) => [...thread(conversationId).messages],
    reply(conversationId, content, author = { role: 'agent', name: 'Agent' }) {
      return store(thread(conversationId), checked(typeof content === 'string' ? { text: content } : content, 'agent'), author)
    },
    replyUnchecked(conversationId, content, author = { role: 'agent', name: 'Agent' }) {
      return store(thread(conversationId), structuredClone(content) as MessageContent, author)
    },
    postbacks: (conversationId) => [...thread(conversationId).postbacks.values()].map((postback) => structuredClone(postback)),
    onPostback(listener) {
      postbackListeners.add(listener)
      return () => postbackListeners.delete(listener)
    },
    typing(conversationId, typing, author = { role: 'agent', name: 'Agent' }) {
      const target = thread(conversationId)
      publish(target.visitorId, { type: 'typing', conversationId, author, typing }, true)
    },
    visitorTyping: (conversationId) => typingVisitors.has(conversationId),
    closeConversation(conversationId) {
      const target = thread(conversationId)
      return internal.close(target.visitorId, conversationId)
    },
    onMessage(listener) {
      messageListeners.add(listener)
      return () => messageListeners.delete(listener)
    },
    failNextSends(count, error = createError('network', 'Simulated network failure'), { stored = false } = {}) {
      failures = { count, error, stored }
    },
    uploads: uploads.list,
    upload: (url) => uploads.list().find((file) => file.url === url && file.blob),
    failNextSlots: uploads.failNextSlots,
    failNextPuts: uploads.failNextPuts,
    expireSlots: uploads.expireSlots,
    slowPuts: uploads.slowPuts,
    visitor: visitorDetails.details,
    failNextUpdates(count, error = createError('network', 'Simulated network failure'), { stored = false } = {}) {
      visitorDetails.failNext(count, error, stored)
    },
    truncateEvents(keep) {
      const drop = Math.max(0, log.length - keep)
      log.splice(0, drop)
      logStart += drop
    }
  }
}
