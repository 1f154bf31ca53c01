/**
 * The transport contract: everything the Confab core needs from a backend, and nothing more.
 *
 * The core never knows which backend it talks to. An adapter turns these calls into a protocol
 * (REST + server-sent events, WebSocket, XMPP, a vendor API) and turns what the backend pushes
 * into {@link TransportEvent}s. Cursors are opaque strings the adapter mints and the core hands back
 * unchanged, so any paging or resume scheme fits: sequence numbers, archive ids, timestamps.
 *
 * Adapters report failures as `ConfabError`s (see `confab`'s `createError`): `retryable` tells the
 * core whether trying again may help, `status` and `retryAfter` carry what the server said.
 *
 * @example
 * const transport: Transport = {
 *   name: 'acme',
 *   capabilities: { typing: false, readReceipts: false, uploads: false, search: false,
 *                   streamResume: false, historyNewer: true },
 *   connect: async ({ resumeKey }) => acme.login(resumeKey),
 *   listConversations: async () => ({ conversations: await acme.threads(), next: null }),
 *   createConversation: async (init) => acme.newThread(init),
 *   getConversation: async (id) => acme.thread(id),
 *   history: async (id, query) => acme.page(id, query),
 *   send: async (id, draft) => acme.post(id, draft),
 *   subscribe: (listener) => acme.listen(listener),
 *   close: () => acme.disconnect()
 * }
 */

/** Remove a listener or stop a stream. Calling it twice is harmless. */
export type Unsubscribe = () => void

/**
 * How a conversation behaves.
 * - `'chat'`: synchronous and session-based; it ends after inactivity or when the customer ends it.
 * - `'messaging'`: asynchronous and persistent; the thread lives on and is resumed across visits.
 */
export type ConversationMode = 'chat' | 'messaging'

/**
 * Who wrote a message.
 * - `'visitor'`: the customer using the widget.
 * - `'agent'`: a person answering for the site.
 * - `'bot'`: an automated answer.
 * - `'system'`: a notice from the backend (conversation assigned, ended …).
 */
export type AuthorRole = 'visitor' | 'agent' | 'bot' | 'system'

/** The author of a message, as the backend knows it. */
export interface Author {
  role: AuthorRole
  /** Stable id of the author on the backend, when it has one. */
  id?: string
  /** Display name. */
  name?: string
}

/**
 * A message as the backend stored it.
 *
 * @example
 * { id: 'm_42', clientId: '3b1f…', conversationId: 'c_7', seq: 42, text: 'Hi!',
 *   author: { role: 'visitor' }, createdAt: 1767225600000 }
 */
export interface Message {
  /** The backend's id for the message. Unique within the conversation. */
  id: string
  /** The id the client chose when sending; the backend's idempotency key. Absent on messages not sent by a Confab client. */
  clientId?: string
  conversationId: string
  /**
   * Position in the conversation, strictly increasing by one per message, when the backend numbers
   * messages. Lets the core notice a gap. Absent when the protocol has no such number (XMPP).
   */
  seq?: number
  author: Author
  /** Plain text; the core renders a safe subset of markdown and never interprets HTML. */
  text: string
  /** When the backend stored it, in ms since the Unix epoch. */
  createdAt: number
}

/**
 * A conversation (a thread in messaging mode, a session in chat mode).
 */
export interface Conversation {
  id: string
  mode: ConversationMode
  /**
   * - `'open'`: messages can be sent.
   * - `'closed'`: ended (a chat session that expired, a resolved thread); read-only.
   */
  status: 'open' | 'closed'
  /** Optional title shown in the conversation list. */
  subject?: string
  /** Creation time, ms since the epoch. */
  createdAt: number
  /** Time of the latest change (usually the latest message), ms since the epoch. */
  updatedAt: number
  /** The newest message, for previews in a conversation list. */
  lastMessage?: Message
  /**
   * Whether an agent is in the conversation right now, from backends that can tell
   * (`capabilities.agentPresence`); absent when the backend does not say.
   * - `'waiting'`: no agent (or bot) is in it; the visitor's messages wait for one to come.
   * - `'present'`: an agent is in it and sees new messages as they arrive.
   */
  agentPresence?: 'waiting' | 'present'
}

/** What the client asks for when it starts a session. */
export interface ConnectInput {
  /**
   * The key a previous {@link VisitorSession} returned, so the same anonymous visitor comes back.
   * The only credential Confab keeps on the device; absent on a first visit.
   */
  resumeKey?: string
  /**
   * A signed identity from the site's backend, for an identified user. Kept in memory only.
   * `refresh` is called when the backend refuses the token (expired): it resolves to a new one.
   */
  identity?: { token: string; refresh?: () => Promise<string> }
  /** Aborts the attempt. */
  signal?: AbortSignal
}

/** The session the backend granted. */
export interface VisitorSession {
  /** The backend's id of this visitor (or identified user). */
  visitorId: string
  /**
   * Opaque key to resume this anonymous visitor on a later visit; the client stores it on the
   * device. Absent for an identified user, who resumes with a fresh identity token instead.
   */
  resumeKey?: string
  /** Display name, if the backend knows one. */
  name?: string
  /** Present when the session belongs to an identified user (the site's own user id). */
  identified?: { id: string; name?: string; email?: string }
}

/** A page of conversations, newest activity first. */
export interface ConversationPage {
  conversations: Conversation[]
  /** Cursor for the next page, or `null` when there is none. */
  next: string | null
}

/** What a new conversation starts with. */
export interface ConversationInit {
  mode: ConversationMode
  subject?: string
}

/**
 * Which slice of a conversation's history to read. Pass at most one of `before` and `after`;
 * with neither, the newest page is returned.
 */
export interface HistoryQuery {
  /** Return messages older than this cursor (from a previous page's `before`). */
  before?: string
  /** Return messages newer than this cursor (from a previous page's `after`). */
  after?: string
  /** Page size the client wants; the adapter may return fewer. Default 30. */
  limit?: number
  signal?: AbortSignal
}

/** A page of history. */
export interface HistoryPage {
  /** Oldest first. */
  messages: Message[]
  /** Cursor to read the page before this one, or `null` when this page starts the conversation. */
  before: string | null
  /** Cursor to read what came after this page (usable even when nothing newer exists yet). */
  after: string | null
}

/** A message the client wants delivered. */
export interface OutgoingMessage {
  /**
   * Chosen by the client before anything asynchronous happens (a UUID). The backend must treat it as
   * an idempotency key: sending the same `clientId` twice stores one message and answers with it.
   */
  clientId: string
  text: string
}

/**
 * The states of the realtime connection.
 * - `'connecting'`: the first attempt is under way.
 * - `'online'`: events flow.
 * - `'reconnecting'`: the connection dropped; the adapter is retrying on its own.
 * - `'offline'`: the device has no network; the adapter waits for it.
 * - `'closed'`: stopped on purpose; no more events.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'closed'

/**
 * Something the backend pushed. Every event may carry a `cursor`: the position in the event stream
 * after this event, which the client passes back to {@link Transport.subscribe} to resume without
 * losing or repeating events (when `capabilities.streamResume` is true).
 */
export type TransportEvent =
  | { type: 'message'; message: Message; cursor?: string }
  | { type: 'conversation'; conversation: Conversation; cursor?: string }
  | { type: 'typing'; conversationId: string; author: Author; typing: boolean; cursor?: string }
  | {
      type: 'read'
      conversationId: string
      /** Who read. */
      reader: Author
      /** Everything up to and including this message was read. */
      messageId: string
      cursor?: string
    }
  | {
      type: 'status'
      status: ConnectionStatus
      /** Why the connection dropped, when it did. */
      error?: Error
      cursor?: undefined
    }
  | {
      /**
       * Something went wrong that the adapter survived: a malformed event it dropped, a failed
       * reconnect attempt. Reported so the site can log it; never fatal.
       */
      type: 'error'
      error: Error
      cursor?: undefined
    }
  | {
      /**
       * The adapter had to start the session again on its own (the token expired) and the backend
       * answered with another visitor or resume key: the client stores the new key.
       */
      type: 'session'
      session: VisitorSession
      cursor?: undefined
    }
  | {
      /**
       * The backend no longer knows the cursor the stream resumed from (events expired): the client
       * should reload what it shows from `history` instead of trusting its gap-free view.
       */
      type: 'reset'
      cursor?: string
    }

/** Options of {@link Transport.subscribe}. */
export interface SubscribeOptions {
  /** Resume after this event cursor (the `cursor` of the last event the client applied). */
  cursor?: string
}

/**
 * Optional features, declared honestly: the core and the UI only offer what the adapter says it has.
 */
export interface TransportCapabilities {
  /** `setTyping` works and `typing` events arrive. */
  typing: boolean
  /** `markRead` works and `read` events arrive. */
  readReceipts: boolean
  /** `upload` works. */
  uploads: boolean
  /** `searchArchive` works (server-side search of history older than the device's cache). */
  search: boolean
  /** Events carry cursors and `subscribe({ cursor })` replays what was missed. */
  streamResume: boolean
  /** `history` honours `after` (paging towards newer messages). */
  historyNewer: boolean
  /**
   * Conversations carry `agentPresence`, and a `conversation` event tells when it changes. Optional
   * (absent means false): backends that cannot tell whether an agent is there need not declare it.
   */
  agentPresence?: boolean
}

/** A file the backend accepted. */
export interface UploadedFile {
  url: string
  name: string
  size: number
  type: string
}

/** One hit of a server-side search. */
export interface ArchiveHit {
  message: Message
}

/**
 * The adapter. Methods other than `subscribe` and `close` return promises that reject with a
 * `ConfabError` when they fail.
 */
export interface Transport {
  /** Short name for logs and error messages ("http", "memory", "xmpp"). */
  readonly name: string
  readonly capabilities: TransportCapabilities

  /**
   * Start a visitor session, or resume the one `resumeKey` names. Called before anything else, and
   * again after `close()` if the client restarts. A resume key the backend no longer knows must not
   * fail: start a fresh visitor and return its key.
   */
  connect(input: ConnectInput): Promise<VisitorSession>

  /** The visitor's conversations, newest activity first. */
  listConversations(options?: { cursor?: string; limit?: number }): Promise<ConversationPage>

  /** Start a conversation. */
  createConversation(init: ConversationInit): Promise<Conversation>

  /** Open one conversation by id (rejects with code `'not-found'` if it does not exist). */
  getConversation(id: string): Promise<Conversation>

  /** Read a page of a conversation's history. */
  history(conversationId: string, query?: HistoryQuery): Promise<HistoryPage>

  /**
   * Deliver a message and resolve with the message as stored. Safe to call again with the same
   * `clientId` after a timeout or a lost response: the backend stores it once and answers with the
   * stored message. The same message may also arrive as a `message` event, before or after this
   * resolves; the core merges them by `clientId`.
   */
  send(conversationId: string, message: OutgoingMessage, options?: { signal?: AbortSignal }): Promise<Message>

  /**
   * Start receiving events, resuming after `options.cursor` where supported. The adapter owns its
   * reconnects and reports them as `status` events. Returns the function that stops the stream.
   */
  subscribe(listener: (event: TransportEvent) => void, options?: SubscribeOptions): Unsubscribe

  /**
   * End a conversation on the visitor's behalf (the "End chat" button). Optional: without it, ending
   * a chat only forgets it on the device.
   */
  closeConversation?(id: string): Promise<Conversation>

  /** Tell the backend the visitor is (or stopped) typing. Present when `capabilities.typing`. */
  setTyping?(conversationId: string, typing: boolean): Promise<void>

  /** Tell the backend the visitor read up to `messageId`. Present when `capabilities.readReceipts`. */
  markRead?(conversationId: string, messageId: string): Promise<void>

  /** Upload a file for a message. Present when `capabilities.uploads`. */
  upload?(conversationId: string, file: Blob & { name?: string }): Promise<UploadedFile>

  /** Search the backend's archive. Present when `capabilities.search`. */
  searchArchive?(query: string, options?: { conversationId?: string; limit?: number; signal?: AbortSignal }): Promise<ArchiveHit[]>

  /** Stop streams and release connections. The transport may be connected again afterwards. */
  close(): void
}
