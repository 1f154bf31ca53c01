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
export interface Message extends MessageContent {
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
  /**
   * The message as text, always present: markdown (see {@link MessageContent.text}) that reads well
   * as it is, used by search, notifications, XMPP `<body>` and any client that does not know a part.
   */
  text: string
  /** When the backend stored it, in ms since the Unix epoch. */
  createdAt: number
}

/** A value of `metadata` and of a host action's `data`: anything JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/**
 * What a button, a quick reply or a card's button does when the visitor uses it.
 * - `'reply'`: sends `label` as a visible visitor message (answering the message with `replyTo`).
 * - `'postback'`: sends `payload` to the backend (its bot) without a visible message.
 * - `'link'`: opens `url` (`http:`, `https:`, `mailto:` or `tel:`) in a new tab.
 * - `'host'`: handed to the page (`action` event, `onAction` hook): the site decides what happens,
 *   e.g. a checkout for `name: 'buy'` with `data: { amount: 2500, currency: 'EUR' }`. Confab only
 *   passes it on and never sees payment details.
 *
 * `id` is unique within its message; a visitor's answer names it in `replyTo.actionId`.
 *
 * @example
 * { type: 'reply', id: 'yes', label: 'Yes, please' }
 * { type: 'postback', id: 'talk', label: 'Talk to a person', payload: 'HANDOFF' }
 * { type: 'link', id: 'docs', label: 'Open the guide', url: 'https://example.com/guide' }
 * { type: 'host', id: 'buy', label: 'Buy for €25', name: 'buy', data: { amount: 2500, currency: 'EUR' } }
 */
export type Action =
  | { type: 'reply'; id: string; label: string; payload?: string }
  | { type: 'postback'; id: string; label: string; payload: string }
  | { type: 'link'; id: string; label: string; url: string }
  | { type: 'host'; id: string; label: string; name: string; data?: { [key: string]: JsonValue } }

/** An image: shown inline, with its size reserved before it loads when `width` and `height` are known. */
export interface ImagePart {
  type: 'image'
  /** `https:` or `http:` (a `blob:` URL for the visitor's own preview). */
  url: string
  /** What the image shows, for screen readers. */
  alt?: string
  width?: number
  height?: number
  /** MIME type, e.g. `image/png`. */
  mediaType?: string
  name?: string
  /** Bytes. */
  size?: number
}

/** A file to download. */
export interface FilePart {
  type: 'file'
  url: string
  name: string
  /** Bytes. */
  size?: number
  /** MIME type, e.g. `application/pdf`. */
  mediaType?: string
}

/** A place, shown with a link to a map. */
export interface LocationPart {
  type: 'location'
  /** Degrees, −90 to 90. */
  latitude: number
  /** Degrees, −180 to 180. */
  longitude: number
  name?: string
  address?: string
}

/** One card of a {@link CardsPart}. */
export interface Card {
  title: string
  description?: string
  /** `https:` or `http:`. */
  imageUrl?: string
  imageAlt?: string
  /** 1 to 3 buttons. */
  actions?: Action[]
}

/** 1 to 10 cards: side by side and scrolled sideways (`'carousel'`), or one under the other (`'list'`). */
export interface CardsPart {
  type: 'cards'
  layout: 'carousel' | 'list'
  items: Card[]
}

/**
 * A field of a {@link FormPart}.
 * - `'text'`, `'email'`, `'number'`: a text box (`maxLength`, `min`, `max` where they apply).
 * - `'select'`: one of `options`; `'multiselect'`: any of them (an array of values).
 */
export interface FormField {
  /** Key of the answer in the form response; unique within the form. */
  name: string
  label: string
  type: 'text' | 'email' | 'number' | 'select' | 'multiselect'
  required?: boolean
  placeholder?: string
  /** For `'select'` and `'multiselect'`: 1 to 20 choices. */
  options?: { value: string; label: string }[]
  /** For `'text'` and `'email'`: the longest answer (at most 1,000, the default). */
  maxLength?: number
  /** For `'number'`. */
  min?: number
  max?: number
}

/** A form the visitor fills in; submitting it sends a message with a {@link FormResponsePart}. */
export interface FormPart {
  type: 'form'
  /** 1 to 10 fields. */
  fields: FormField[]
  /** The submit button's label; default "Submit". */
  submitLabel?: string
}

/** The visitor's answers to a form (the message's `replyTo.messageId` names the form's message). */
export interface FormResponsePart {
  type: 'form-response'
  /** One entry per answered field, in the form's order, with the field's label for readers that do not have the form. */
  fields: { name: string; label: string; value: string | string[] }[]
}

/** A satisfaction rating request: 1 to 5 stars, with an optional comment. */
export interface RatingPart {
  type: 'rating'
  /** Default "How would you rate this conversation?". */
  question?: string
  /** Offer a comment box. */
  comment?: boolean
}

/** The visitor's rating (the message's `replyTo.messageId` names the request). */
export interface RatingResponsePart {
  type: 'rating-response'
  score: 1 | 2 | 3 | 4 | 5
  comment?: string
}

/** Everything a message may carry besides its text. */
export type Part =
  | ImagePart
  | FilePart
  | LocationPart
  | CardsPart
  | FormPart
  | FormResponsePart
  | RatingPart
  | RatingResponsePart

/** The name of each kind of {@link Part}, as listed in `capabilities.content`. */
export type PartType = Part['type']

/**
 * What a message says, besides who wrote it and when: the same on the wire, in the store and in the
 * cache. Only `text` is required; an adapter passes on every part type it lists in
 * `capabilities.content` and the client shows `text` in place of the others.
 *
 * @example
 * {
 *   text: 'Which plan do you want? **Pro** is the most popular.',
 *   replies: [
 *     { type: 'reply', id: 'basic', label: 'Basic' },
 *     { type: 'reply', id: 'pro', label: 'Pro' }
 *   ],
 *   blockComposer: true
 * }
 */
export interface MessageContent {
  /**
   * Always present and never blank: markdown, read as plain text wherever it is not rendered.
   * Rendered: `**bold**`, `*italic*` / `_italic_`, `~~strikethrough~~`, `` `code` ``, fenced code
   * blocks, `-` / `1.` lists, `>` quotes, `[links](https://…)`, bare `https://` URLs, line breaks.
   * HTML is shown as text, never interpreted.
   */
  text: string
  /** Up to 10 parts, shown under the text. */
  parts?: Part[]
  /**
   * Quick replies (`reply` and `postback` actions, up to 10): chips under the message, gone once
   * one is used or the visitor writes anything after it.
   */
  replies?: Action[]
  /** Buttons under the text (up to 3). */
  actions?: Action[]
  /**
   * The visitor must answer with a quick reply, the form or the rating of this message: the composer
   * is disabled while this is the newest message.
   */
  blockComposer?: boolean
  /**
   * What this message answers: the message whose quick reply was chosen (`actionId`), whose form
   * was submitted or whose rating was given.
   */
  replyTo?: { messageId: string; actionId?: string }
  /** The site's own data, at most 4 KB as JSON. Not shown. */
  metadata?: { [key: string]: JsonValue }
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
  /** What the backend accepts as uploads; present when the transport declares `capabilities.uploads`. */
  uploadLimits?: UploadLimits
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
export interface OutgoingMessage extends VisitorContent {
  /**
   * Chosen by the client before anything asynchronous happens (a UUID). The backend must treat it as
   * an idempotency key: sending the same `clientId` twice stores one message and answers with it.
   */
  clientId: string
}

/**
 * What a visitor may send: text, and as parts only files, images, locations and answers to a form
 * or a rating. Cards, forms, rating requests and actions come from agents and bots.
 */
export type VisitorContent = Omit<MessageContent, 'parts' | 'replies' | 'actions' | 'blockComposer'> & {
  parts?: (ImagePart | FilePart | LocationPart | FormResponsePart | RatingResponsePart)[]
}

/**
 * A postback: a payload for the backend (its bot) that shows no message, e.g. from a
 * `{ type: 'postback' }` button. Idempotent per `clientId`, like a message.
 */
export interface OutgoingPostback {
  clientId: string
  payload: string
  /** The message whose action was used, and the action. */
  messageId?: string
  actionId?: string
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
  /**
   * Someone else (an agent, a bot) types, or stopped. Of the moment: a backend sends `typing: true`
   * again every few seconds while they type, and need not replay it; the client hides it 7 s after
   * the last one, or when their message arrives.
   */
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
  /**
   * `requestUpload` works: the visitor can attach files, within the session's
   * {@link VisitorSession.uploadLimits}. It may depend on the server: an adapter that learns it
   * there (XMPP service discovery) settles it when `connect()` resolves, in this same record, so
   * read it after connecting.
   */
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
  /**
   * The part types the adapter carries both ways, unchanged (see {@link Part}). Absent or empty: text
   * only. The client drops (and reports) parts of other types and shows the text instead. Markdown
   * text, `replies`, `actions`, `blockComposer`, `replyTo` and `metadata` travel with every adapter
   * that lists any part type.
   */
  content?: readonly PartType[]
}

/**
 * What the backend accepts as uploads, announced with the session ({@link VisitorSession.uploadLimits}).
 * The client refuses a file outside them before any byte leaves, naming the limit.
 *
 * @example
 * { maxBytes: 25 * 1024 * 1024, types: ['image/*', 'application/pdf', 'text/plain'] }
 */
export interface UploadLimits {
  /** The largest file, in bytes. */
  maxBytes: number
  /** MIME types accepted: exact (`application/pdf`) or a family (`image/*`). Empty: any type. */
  types: readonly string[]
}

/** What the client asks an upload slot for: one file of one of the visitor's messages. */
export interface UploadRequest {
  /**
   * Chosen by the client (a UUID) when the file is attached. An idempotency key, like a message's:
   * asking again with it answers with the same file's slot (a fresh one if the first expired), or
   * with `stored` once the backend holds its bytes.
   */
  clientId: string
  /** The file's name on the visitor's device. */
  name: string
  /** Bytes. */
  size: number
  /** MIME type, e.g. `image/jpeg`. */
  type: string
}

/**
 * Where to put a file's bytes and where it is read from afterwards: the shape of an S3 or GCS
 * presigned URL and of an XMPP HTTP File Upload (XEP-0363) slot, so one client path serves all of them.
 *
 * @example
 * { putUrl: 'https://chat.example.com/v1/uploads/u_1?token=…', headers: { 'Content-Type': 'image/png' },
 *   getUrl: 'https://chat.example.com/v1/files/u_1/screenshot.png', expiresAt: 1765000000000 }
 */
export interface UploadSlot {
  /** The URL to `PUT` the bytes to. */
  putUrl: string
  /** Headers the `PUT` must carry (its `Content-Type`, an authorization that came with the slot). */
  headers?: Record<string, string>
  /** The URL the file is read from once stored: the message's image or file part points at it. */
  getUrl: string
  /** When (ms since the epoch) `putUrl` stops working; past it, the client asks for the slot again. */
  expiresAt?: number
  /** The backend holds this file's bytes already (asked again after a lost answer): nothing to put. */
  stored?: boolean
}

/** Options of {@link Transport.putUpload}. */
export interface PutUploadOptions {
  signal?: AbortSignal
  /** Bytes sent so far; called as they go. */
  onProgress?: (loaded: number) => void
}

/**
 * A custom attribute of a visitor, as the site sets it: a string (at most 500 characters), a finite
 * number or a boolean.
 */
export type VisitorAttributeValue = string | number | boolean

/**
 * A visitor's custom attributes, merged on the backend: at most 50 keys of 1 to 64 letters, digits,
 * `_`, `.` or `-`, at most 4,096 bytes as JSON (see `VISITOR_LIMITS`).
 *
 * @example
 * { plan: 'pro', company: 'Acme', seats: 12, trial: false }
 */
export type VisitorAttributes = { [key: string]: VisitorAttributeValue }

/**
 * Changes to a visitor's attributes: a value sets its key (the last write wins), `null` deletes it,
 * and keys not named stay as they are.
 *
 * @example
 * { plan: 'pro', trial: null }
 */
export type VisitorAttributeChanges = { [key: string]: VisitorAttributeValue | null }

/**
 * The page the visitor is on, as the widget tells the backend: never a query string or a fragment,
 * which may hold tokens.
 *
 * @example
 * { url: 'https://shop.example/orders/42', title: 'Order 42', referrer: 'https://www.google.com' }
 */
export interface PageContext {
  /** The page's origin and path (`http:` or `https:`), at most 2,048 characters. */
  url: string
  /** The document's title, at most 200 characters. */
  title?: string
  /** The origin of the page the visitor came from. */
  referrer?: string
}

/** What {@link Transport.updateVisitor} delivers: changes to the attributes, and the page, when known. */
export interface VisitorUpdate {
  attributes: VisitorAttributeChanges
  page?: PageContext
}

/**
 * Something the visitor did that the site wants agents to see (`Confab('trackEvent', name, metadata)`).
 *
 * @example
 * { clientId: '9f0c…', name: 'order:placed', metadata: { orderId: 42, total: 99.5 }, at: 1767225600000 }
 */
export interface TrackedEvent {
  /**
   * Chosen by the client (a UUID) when the site tracks it: the backend's idempotency key, as a
   * message's. Sending the same `clientId` again stores nothing new.
   */
  clientId: string
  /** 1 to 64 ASCII letters, digits, spaces, `_`, `.`, `:` or `-` (no space first or last). */
  name: string
  /** The site's data about it, at most 2,048 bytes as JSON. */
  metadata?: { [key: string]: JsonValue }
  /** When it happened on the visitor's device, ms since the epoch. */
  at: number
}

/**
 * What a backend knows of a visitor besides their conversations, as agents see it (and the
 * conformance kit's `agent.visitor` answers).
 */
export interface VisitorDetails {
  attributes: VisitorAttributes
  /** The page the visitor was last on, and when the backend heard of it (ms since the epoch). */
  page?: PageContext & { at: number }
  /** The events the backend keeps, oldest first. */
  events: TrackedEvent[]
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

  /**
   * Deliver a postback. Safe to call again with the same `clientId`: the backend takes it once.
   * Optional: without it, `postback` actions are not offered.
   */
  postback?(conversationId: string, postback: OutgoingPostback, options?: { signal?: AbortSignal }): Promise<void>

  /**
   * Tell the backend the visitor is (or stopped) typing. Present when `capabilities.typing`. The
   * client calls it again with `true` every 3 s while the visitor types, for a backend that lets a
   * state lapse; an adapter whose protocol forbids repeats (XMPP chat states) drops them.
   */
  setTyping?(conversationId: string, typing: boolean): Promise<void>

  /** Tell the backend the visitor read up to `messageId`. Present when `capabilities.readReceipts`. */
  markRead?(conversationId: string, messageId: string): Promise<void>

  /**
   * Ask for the slot one file of a message is put to. Present when `capabilities.uploads`. Safe to
   * call again with the same `clientId` (see {@link UploadRequest}). A file the backend will not take
   * rejects with status 413 (too large) or 415 (type refused) and `retryable: false`.
   */
  requestUpload?(conversationId: string, request: UploadRequest, options?: { signal?: AbortSignal }): Promise<UploadSlot>

  /**
   * Put a file's bytes to a slot from {@link requestUpload}. Optional: without it the client puts
   * them itself with `XMLHttpRequest` (the browser API with upload progress), which suits any slot
   * reached over HTTP. An adapter whose slots are not URLs (the memory transport) brings its own.
   * A slot that expired rejects with status 403 or 410, after which the client asks for it again.
   */
  putUpload?(slot: UploadSlot, file: Blob, options?: PutUploadOptions): Promise<void>

  /**
   * Merge changes into the visitor's attributes (the last write wins per key, `null` deletes one) and
   * record the page the visitor is on. Safe to send again: the same update leaves the same state. A
   * refused update (a limit broken) rejects with status 400 or 413 and `retryable: false`.
   * Optional: without it, the client's `update()` rejects with `'unsupported'`.
   */
  updateVisitor?(update: VisitorUpdate, options?: { signal?: AbortSignal }): Promise<void>

  /**
   * Record something the visitor did, for agents. Safe to call again with the same `clientId`: the
   * backend keeps it once. Optional: without it, the client's `trackEvent()` rejects with `'unsupported'`.
   */
  trackEvent?(event: TrackedEvent, options?: { signal?: AbortSignal }): Promise<void>

  /** Search the backend's archive. Present when `capabilities.search`. */
  searchArchive?(query: string, options?: { conversationId?: string; limit?: number; signal?: AbortSignal }): Promise<ArchiveHit[]>

  /** Stop streams and release connections. The transport may be connected again afterwards. */
  close(): void
}
