import type { ResumeKeyStore } from '../cache/resume-key.js'
import type { Cache } from '../cache/types.js'
import type { SearchEngine } from '../search/engine.js'
import type { UploadsModule } from './uploads/load.js'
import type { ReadableAtom } from 'nanostores'
import type { ConfabError, ConfabErrorCode } from '../errors/index.js'
import type { ChatEndReason, ChatMessage, ClientStatus, ClientStores, OutgoingFile, SearchResult } from '../store/index.js'
import type {
  Action,
  AuthorRole,
  Conversation,
  ConversationMode,
  JsonValue,
  Message,
  PageContext,
  PartType,
  Transport,
  TransportEvent,
  VisitorAttributeChanges,
  VisitorContent,
  VisitorSession
} from '../transports/types.js'
import type { Unsubscribe } from '../util/emitter.js'
import type { Timers } from '../util/timers.js'

/**
 * One of the site's users, as the site's backend vouches for them.
 *
 * @example
 * client.identify({ id: 'u_42', name: 'Ada', email: 'ada@example.com', token, refresh: () => fetchNewToken() })
 */
export interface Identity {
  /** The site's own user id (the token's `sub`). */
  id: string
  name?: string
  email?: string
  /** Signed by the site's backend (the reference server verifies an HS256 JWT). Kept in memory only. */
  token: string
  /** Called when the backend refuses the token (expired): resolve to a fresh one. */
  refresh?: () => Promise<string>
}

/**
 * Events a client emits. Subscribe with `client.on(name, listener)`.
 * - `ready`: a visitor session started or resumed.
 * - `message`: a message from someone else arrived live.
 * - `sent`: one of the visitor's messages was stored by the backend.
 * - `failed`: one of the visitor's messages could not be delivered; it stays visible with Retry.
 * - `conversation`: a conversation was created or changed.
 * - `status`: the connection status changed.
 * - `open` / `close`: the pane opened or closed.
 * - `read`: someone read the conversation up to a message: an agent (the visitor's messages show
 *   "Seen"), or the visitor on one of their devices. Once per position.
 * - `action`: the visitor used a `host` action (the site decides what it does, see `onAction`) or a `link` action.
 * - `upload`: a file of one of the visitor's messages moved on (progress, at most every 100 ms) or
 *   was stored (its `url` is set); emitted by the tab that uploads it (the leading tab). Every tab's
 *   store shows the same as `files[i].loaded` and `files[i].url`.
 * - `error`: something went wrong that Confab survived (a malformed event, a failed reconnect).
 */
export interface ClientEvents extends Record<string, unknown> {
  ready: VisitorSession
  message: ChatMessage
  sent: ChatMessage
  failed: ChatMessage
  conversation: Conversation
  status: ClientStatus
  open: undefined
  close: undefined
  read: Extract<TransportEvent, { type: 'read' }>
  action: { action: Extract<Action, { type: 'host' | 'link' }>; message: Message }
  upload: { message: ChatMessage; file: OutgoingFile }
  error: ConfabError
}

/**
 * Whose doing an event is.
 * - `'visitor'`: the customer did it (opened the messenger, sent a message, used a button, searched).
 * - `'backend'`: it arrived from the backend (an agent's or bot's message, their typing, a conversation they closed).
 * - `'widget'`: the widget's own (the connection, unread counts, an error, a chat that expired).
 */
export type IntegrationSource = 'visitor' | 'backend' | 'widget'

/** A message as events describe it: who wrote it and what it holds; its words only when the site opts in. */
export interface MessageFacts {
  author: { role: AuthorRole; name?: string }
  /** The type of each of its parts, in order (`['image', 'file']`). */
  parts: PartType[]
  /** The id the visitor's client chose, on the visitor's own messages. */
  clientId?: string
  /** Its text: only with `events: { includeText: true }`. */
  text?: string
}

/** A file of one of the visitor's messages as upload events describe it (never its name or bytes). */
export interface FileFacts {
  fileId: string
  /** The client id of the message it goes with. */
  clientId: string
  /** Bytes. */
  size: number
  /** MIME type. */
  mediaType: string
}

/**
 * What each event of the stream carries besides its envelope ({@link IntegrationEnvelope}).
 * - `messenger:opened` / `messenger:closed`: the pane opened or closed (in the tab where it did).
 * - `conversation:started`: the visitor started a conversation (with `startConversation` or a first message).
 * - `conversation:ended`: the visitor ended the chat (`ended`), it expired (`expired`, source `widget`)
 *   or the agent or backend closed it (`closed`, source `backend`).
 * - `message:sent` / `message:failed`: one of the visitor's messages was stored by the backend, or failed.
 * - `message:received`: a message from an agent, bot or the system arrived live.
 * - `unread:changed`: the unread counts, total and per conversation; once at boot by the leading tab,
 *   then on every change.
 * - `typing:started` / `typing:stopped`: an agent (or bot) started or stopped typing.
 * - `message:read`: a conversation was read up to a message (`messageId`): by an agent (source
 *   `backend`; the visitor's messages up to it show "Seen"), or by the visitor on one of their devices
 *   (source `visitor`). `readAt` when the backend knows the time.
 * - `action:clicked`: the visitor used a button or quick reply (any action type).
 * - `form:submitted`: the visitor sent a form: its field names, and their values only with `includeText`.
 * - `rating:submitted`: the visitor rated: the score, and the comment only with `includeText`.
 * - `search:performed`: the visitor searched: how many results (from the device, from the archive),
 *   never the query; `conversationId` when the search was within one conversation.
 * - `upload:started` / `upload:progress` / `upload:completed` / `upload:failed`: a file of one of
 *   the visitor's messages.
 * - `connection:changed`: the realtime connection's status changed.
 * - `error`: something went wrong that Confab survived (see `ConfabError`), a hook or listener that failed included.
 */
export interface IntegrationPayloads {
  'messenger:opened': {}
  'messenger:closed': {}
  'conversation:started': { mode: ConversationMode }
  'conversation:ended': { reason: ChatEndReason }
  'message:sent': MessageFacts
  'message:failed': MessageFacts & { reason: string; refused: boolean }
  'message:received': MessageFacts
  'unread:changed': { total: number; conversations: Record<string, number> }
  'typing:started': { author: { role: AuthorRole; name?: string } }
  'typing:stopped': { author: { role: AuthorRole; name?: string } }
  'message:read': { reader: { role: AuthorRole; name?: string }; readAt?: number }
  'action:clicked': { actionId: string; actionType: Action['type']; label: string; name?: string }
  'form:submitted': { fields: string[]; values?: FormValues }
  'rating:submitted': { score: number; comment?: string }
  'search:performed': { results: number; fromDevice: number; fromServer: number }
  'upload:started': FileFacts
  'upload:progress': FileFacts & { loaded: number }
  'upload:completed': FileFacts
  'upload:failed': FileFacts & { reason: string }
  'connection:changed': { status: ClientStatus; previous: ClientStatus }
  error: { code: ConfabErrorCode; message: string }
}

/** The name of an event of the stream: `namespace:verb`, or `error`. */
export type IntegrationEventType = keyof IntegrationPayloads

/** What every event of the stream has. */
export interface IntegrationEnvelope<T extends IntegrationEventType = IntegrationEventType> {
  /**
   * Unique per event. Events about one thing have one id in every tab (`message:received:<messageId>`,
   * `message:sent:<clientId>`, `conversation:ended:<conversationId>`, `upload:started:<fileId>` …), so a
   * collector can drop the rare double of a tab hand-over; the others are random.
   */
  id: string
  type: T
  /** When it was emitted, ms since the epoch. */
  at: number
  source: IntegrationSource
  conversationId?: string
  messageId?: string
}

/**
 * An event of the stream: its envelope and its payload, side by side.
 *
 * @example
 * { id: 'message:received:m_42', type: 'message:received', at: 1767225600000, source: 'backend',
 *   conversationId: 'c_7', messageId: 'm_42', author: { role: 'agent', name: 'Sam' }, parts: [] }
 */
export type IntegrationEvent<T extends IntegrationEventType = IntegrationEventType> = { [K in T]: IntegrationEnvelope<K> & IntegrationPayloads[K] }[T]

/**
 * The event stream for the site's integrations (`client.events`): each event once per site however
 * many tabs are open. What arrives from the backend, the connection, unread counts and deliveries come
 * from the leading tab; what the customer does comes from the tab where they did it.
 *
 * @example
 * client.events.on('message:received', (event) => analytics.track('Chat message received', event))
 * client.events.on('*', (event) => console.log(event.type, event))
 */
export interface IntegrationEvents {
  /** Listen to one type of event, or to all (`'*'`); returns the unsubscribe function. */
  on<T extends IntegrationEventType>(type: T, listener: (event: IntegrationEvent<T>) => void): Unsubscribe
  on(type: '*', listener: (event: IntegrationEvent) => void): Unsubscribe
  /** Stop listening. */
  off<T extends IntegrationEventType>(type: T, listener: (event: IntegrationEvent<T>) => void): void
  off(type: '*', listener: (event: IntegrationEvent) => void): void
}

/**
 * One of the visitor's messages as `beforeSend` sees it, before it shows: its content, and its files
 * (which the hook cannot change).
 */
export type SendDraft = VisitorContent & { files?: OutgoingFile[] }

/**
 * A file to send, with what the page knows of it. A `Blob` alone does too (a `File` gives its name).
 *
 * @example
 * client.send({ text: 'The error', files: [{ file: blob, name: 'screenshot.png', width: 1280, height: 720 }] })
 */
export interface Attachment {
  file: Blob
  /** Its name for the agent. Default: the `File`'s name, or `image.png`, `file.pdf` … from its type. */
  name?: string
  /** Pixels, for images: the thread reserves their space before they load. */
  width?: number
  height?: number
}

/** A visitor's answers to a form, by field name: a string, or an array of values for a multiselect. */
export type FormValues = Record<string, string | string[]>

/**
 * Whether the browser is online, its `online` event and the page's `pagehide` (the `window` and
 * `navigator` by default). Sends wait while `onLine` is `false`; a leading tab whose page goes away
 * for good leaves the election on `pagehide`.
 */
export interface NetworkWatch {
  readonly onLine: boolean
  /**
   * `online`: the browser is back online. `pagehide`: the page is going away (`persisted` when it may
   * come back from the back/forward cache).
   */
  addEventListener(type: 'online' | 'pagehide', listener: (event?: { persisted?: boolean }) => void): void
}

/** What the client needs from a leader election (see `createLeaderElection`). */
export interface Leadership {
  readonly isLeader: boolean
  /** Settles once this tab knows whether it leads. */
  readonly ready: Promise<void>
  onChange(listener: (isLeader: boolean) => void): () => void
  close(): void
}

/** Options of `client.search()`. */
export interface SearchOptions {
  /** Only this conversation. */
  conversationId?: string
  /** Most results from the device (and as many again from the archive). Default 20. */
  limit?: number
  /** Also ask the backend's archive, when the transport can. Default true. */
  archive?: boolean
}

/**
 * Options of {@link createClient}.
 *
 * @example
 * createClient({ transport: createHttpTransport({ url: 'https://chat.example.com' }), mode: 'messaging' })
 */
export interface ClientOptions {
  /** The backend adapter. */
  transport: Transport
  /** `'messaging'` (persistent threads, the default) or `'chat'` (a live session). */
  mode?: ConversationMode
  /**
   * Where the anonymous visitor's resume key is kept. Default: `localStorage` under
   * `confab:<site>:resume`, or memory where storage is unavailable. `null` keeps it in memory only.
   */
  resumeKeyStore?: ResumeKeyStore | null
  /** Names this site's data on the device, so two widgets on one origin do not mix. Default `'default'`. */
  site?: string
  /**
   * Where the resume key, the name of the last person shown and the write-ahead journal of unsent
   * messages are kept. Default: `localStorage` (memory where it is unavailable). The journal needs
   * `key` and `length` to list its records; storage without them keeps no journal.
   */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & Partial<Pick<Storage, 'key' | 'length'>>
  /**
   * How many times a send is tried before it is marked failed, for failures that may pass (no
   * answer, 408, 429, 5xx); time offline does not count. Default: no limit, the message stays
   * queued and is retried with backoff up to every 30 s. Refusals (other 4xx) fail at once.
   */
  maxSendAttempts?: number
  /** Whether the browser is online, and its `online` event. Default: `navigator.onLine` and `window`. */
  network?: NetworkWatch | null
  /**
   * Which tab of the site leads (holds the connection, sends for every tab). Default: an election
   * over Web Locks, with a `BroadcastChannel` lease where they are missing, in browsers; `null`
   * makes this client lead alone.
   */
  leadership?: Leadership | null
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number
  /** Random source in [0, 1) for backoff jitter. Default `Math.random`. */
  random?: () => number
  /** For message ids. Default `globalThis.crypto`. */
  crypto?: Crypto
  /** Default: the global `setTimeout`/`clearTimeout`. */
  timers?: Timers
  /** Whether the page is visible (unread counting). Default: `document.visibilityState`. */
  isVisible?: () => boolean
  /**
   * The signed-in user, when the page knows one at boot (pass it on every page of a signed-in
   * user). A boot without it, on a device that holds a user's data, deletes that data: the user
   * signed out. Kept in memory only.
   */
  identity?: Identity
  /**
   * Where history is kept. Default: IndexedDB, one database per site and person, degrading to memory
   * where IndexedDB is missing, blocked or full. A function receives the database name; `null` keeps
   * history in memory only.
   */
  cache?: ((name: string) => Promise<Cache>) | null
  /** The IndexedDB factory for the default cache. Default: the global `indexedDB`. */
  indexedDB?: IDBFactory
  /** How tabs of the site reach each other. Default: the global `BroadcastChannel`, if any. */
  BroadcastChannel?: typeof BroadcastChannel
  /** Chat mode: minutes of inactivity after which the session ends. Default 30. */
  chatTimeoutMinutes?: number
  /** Loads the search module on the first search. Default: a dynamic `import()` (a separate chunk). */
  loadSearch?: () => Promise<SearchEngine>
  /**
   * Loads the upload step with the first message that has files to upload (or {@link Client.preloadUploads}).
   * Default: a dynamic `import()` (a separate chunk). A failed load is retried as a send that got no answer.
   */
  loadUploads?: () => Promise<UploadsModule>
  /**
   * Puts files' bytes to upload slots of transports without their own `putUpload`. Default: the
   * global `XMLHttpRequest` (with upload progress); where there is none (Node), `fetch`.
   */
  XMLHttpRequest?: typeof XMLHttpRequest
  /**
   * The page the visitor is on, told to the backend with every `update()` and once each session
   * starts (see {@link Client.update}). Default: in a browser, `location` and `document` (the URL's
   * origin and path, the title, the referrer's origin); `null` tells no page.
   */
  page?: (() => PageContext | undefined) | null
  /**
   * The integration event stream (`client.events`): `includeText` puts the words of messages, form
   * answers and rating comments in its events. Default: no words, only what happened.
   */
  events?: { includeText?: boolean }
  /**
   * Change or cancel one of the visitor's messages before it shows (a sent text, a quick reply's
   * answer, a form, a rating): answer with the draft changed (its `text`, `parts`, `metadata`,
   * checked by the content rules as `send()` checks them; its files and what it answers stay), or
   * `false` / `null` to cancel it (`send()` then rejects with code `'cancelled'`). Answering nothing
   * sends it as it is. Called in the tab where it was written, before the message shows or is kept
   * on the device: an answer given at once (not a promise) delays nothing; a promise holds the
   * message back, unseen and not yet kept, until it settles or `hookTimeout` passes.
   *
   * @example
   * beforeSend: (draft) => ({ ...draft, text: draft.text.replace(/\b\d{13,19}\b/g, '[card number removed]') })
   */
  beforeSend?: (draft: SendDraft) => SendDraft | VisitorContent | false | null | void | Promise<SendDraft | VisitorContent | false | null | void>
  /**
   * Change or hide a message from an agent, bot or the system before it shows: answer with the
   * message changed (its content, cleaned by the content rules as the backend's is), or `null` /
   * `false` to hide it. Answering nothing shows it as it is. Applied to every such message however it
   * came (live, a history page, the device's cache, another tab), once per message and content; the
   * stored copy, `$messages` and the events keep it as it came. Unread counts and the chime leave
   * hidden messages out, and search results too. A promise keeps the message unseen until it settles
   * or `hookTimeout` passes.
   *
   * @example
   * beforeDisplay: (message) => (message.metadata?.internal ? null : message)
   */
  beforeDisplay?: (message: Message) => Message | false | null | void | Promise<Message | false | null | void>
  /**
   * Handle a `host` action (a "Buy" button: `{ type: 'host', name: 'buy', data: { amount, currency } }`)
   * on the page: resolve once the page has taken it over (its checkout dialog is open). The `action`
   * event fires as well. Confab only passes the action on and never sees what the page does with it.
   *
   * @example
   * onAction: async (action) => { if (action.name === 'buy') openCheckout(action.data) }
   */
  onAction?: (action: Extract<Action, { type: 'host' }>, message: Message) => void | Promise<void>
  /**
   * How long `beforeSend`, `beforeDisplay` and `onAction` may take, in ms. A hook that takes longer,
   * throws or answers with something Confab cannot use is reported as an `error` and changes nothing:
   * a broken hook never loses a message. Default 3000.
   */
  hookTimeout?: number
}

/**
 * The client's stores, to read and to subscribe to (`$messages.get()`, `useStore($messages)`). They
 * change only through the client's actions, so what they hold always agrees with the device and
 * the backend.
 */
export type ClientView = { readonly [K in keyof ClientStores]: ReadableAtom<ReturnType<ClientStores[K]['get']>> }

/**
 * A headless Confab client: state in nanostores, behaviour in actions, events through `on`.
 * It renders nothing; the widget (or your own UI) reads its stores.
 */
export interface Client extends ClientView {
  readonly transport: Transport
  readonly mode: ConversationMode
  /**
   * The event stream for the site's integrations (analytics, a CRM, a tag manager): every event once
   * per site however many tabs are open, in an envelope `{ id, type, at, source, conversationId?,
   * messageId? }` with its payload. See `IntegrationPayloads` for what each carries.
   *
   * @example
   * client.events.on('message:sent', (event) => analytics.track('Chat message sent', event))
   * client.events.on('*', (event) => collector.push(event))
   */
  readonly events: IntegrationEvents
  /**
   * Messages per conversation as the widget shows them: `$messages` with `beforeDisplay` applied
   * (messages it hides, or is still deciding on, left out). `$messages` itself without the hook.
   */
  readonly $shown: ReadableAtom<Record<string, ChatMessage[]>>
  /** A message as the widget shows it (see `$shown`): changed, `null` when hidden, `undefined` while `beforeDisplay` decides. */
  shown<T extends Message>(message: T): T | null | undefined
  /**
   * Start or resume the visitor session, load conversations and the newest history, and open the
   * event stream. Safe to call many times: later calls return the same promise. Retries on its own
   * while the backend is unreachable.
   */
  connect(): Promise<void>
  /**
   * Send a message in the open conversation (one is started if none is open). The message is shown
   * at once and resolves once delivered or failed; it never rejects for network trouble: a failed
   * message stays in the list with status `'failed'` for {@link Client.retry} or {@link Client.discard}.
   *
   * With `files` (`Blob`s or {@link Attachment}s; the text may then be empty), it first rejects with
   * `'unsupported'` when the transport takes no uploads and with `'invalid-argument'` naming the file
   * and the limit when one is too large, of a type the backend does not accept (the session's
   * `uploadLimits`), or too many. The message then shows with its `files` at once; their bytes are
   * kept on the device with it (IndexedDB), uploaded by the leading tab, and the message goes once
   * every file is stored, with an image or file part for each. A file the backend refuses for good
   * fails the message with `refused` set. The code that uploads loads with the first such message
   * (or {@link Client.preloadUploads}); while it cannot be loaded, the message waits as offline.
   *
   * @example
   * await client.send({ text: 'Here is the receipt', files: [input.files[0]] })
   */
  send(content: string | (VisitorContent & { files?: readonly (Blob | Attachment)[] }), options?: { conversationId?: string }): Promise<ChatMessage>
  /**
   * The visitor is typing (call it on each input of your composer): the backend hears `typing: true`
   * at once, then again every 3 s while calls keep coming (one lost on the way is made good), and
   * `false` after 5 s without a call, on {@link Client.stopTyping}, when a message is sent (from any
   * of the visitor's actions) and when another thread opens. Default: the open conversation. Does
   * nothing where the transport does not declare `capabilities.typing`, for a conversation that is
   * not open, or offline; never throws, and a failed call goes to the `error` event only. Told from
   * the tab where the visitor types.
   *
   * @example
   * field.addEventListener('input', () => (field.value.trim() ? client.typing() : client.stopTyping()))
   * field.addEventListener('blur', () => client.stopTyping())
   */
  typing(conversationId?: string): void
  /**
   * The visitor stopped typing (the composer lost focus, its draft was emptied): the backend hears
   * `typing: false`, if it was told they type. Default: wherever they were typing.
   */
  stopTyping(conversationId?: string): void
  /**
   * Take a file off an unsent message, stopping its upload in whichever tab runs it. A message left
   * with no text and no file goes altogether (its `send()` resolves with it as it was). Unknown ids
   * are ignored.
   */
  cancelFile(clientId: string, fileId: string): void
  /** The bytes of a file attached to an unsent message, while they are on the device (for a preview, in any tab). */
  fileBlob(fileId: string): Promise<Blob | undefined>
  /**
   * Load the code that uploads files now, rather than with the first message that has files: call
   * it when the visitor picks a file, so that the send does not wait for it. Resolves once loaded,
   * or once a load failed (the send then loads it again; nothing is lost).
   *
   * @example
   * input.addEventListener('change', () => void client.preloadUploads())
   */
  preloadUploads(): Promise<void>
  /**
   * Use an action of a message (a button, a quick reply, a card's button):
   * - `reply`: sends its label as a visible message answering `message` (`replyTo`), like `send`.
   * - `postback`: delivers its payload once (kept on the device until the backend has it, like a
   *   message) and shows nothing. Rejects with `'unsupported'` when the transport has no `postback`.
   * - `link` and `host`: emit an `action` event; the page (or the widget, for links) does the rest. A
   *   `host` action also goes to the `onAction` hook, when the page gave one.
   * Resolves once the answer is delivered or failed (`reply`), delivered (`postback`), once `onAction`
   * has taken it (`host`), or at once.
   */
  act(message: Message, action: Action): Promise<void>
  /**
   * Submit the form of `message`: checks `values` against its fields (required, type, choices,
   * length; rejects with `'invalid-argument'` naming the field) and sends a form response message
   * answering it, as `send` does.
   */
  submitForm(message: Message, values: FormValues): Promise<ChatMessage>
  /** Answer the rating request of `message` with a score of 1 to 5 and an optional comment, as `send` does. */
  rate(message: Message, score: number, comment?: string): Promise<ChatMessage>
  /** Send a failed message again with the same id. */
  retry(clientId: string): Promise<ChatMessage>
  /** Remove a failed message. */
  discard(clientId: string): void
  /**
   * Show a conversation, loading its newest history if needed; `null` shows the conversation list
   * (messaging mode).
   */
  openConversation(id: string | null): Promise<void>
  /** Start a new conversation and show it. */
  startConversation(options?: { subject?: string }): Promise<Conversation>
  /** Load the page before the oldest message shown; resolves `false` at the start of the conversation. */
  loadOlder(conversationId?: string): Promise<boolean>
  /** Open the pane. */
  open(): void
  /** Close the pane. */
  close(): void
  /** Open the pane if closed, close it if open. */
  toggle(): void
  /** Show the launcher button. */
  show(): void
  /** Hide the launcher button (the pane can still be opened with `open()`). */
  hide(): void
  /** Tell the client the page became visible or hidden (clears unread while the visitor looks). */
  visibilityChanged(): void
  /**
   * The customer saw conversation `conversationId` up to message `messageId` (from an agent or bot,
   * by the backend's id): call it when the message is on screen for them, in your own UI (the widget
   * does it for messages in view in an open pane of a visible page). Positions only move forward and
   * each goes once: the leading tab tells the backend the newest one after half a second, or when
   * it is back online (`capabilities.readReceipts`; without it, nothing is sent). A position that
   * covers the newest message from others also clears the conversation's unread count. Agents see
   * "Seen"; how far they read is in `$agentRead`.
   *
   * @example
   * const observer = new IntersectionObserver((entries) => {
   *   for (const entry of entries) if (entry.isIntersecting && !document.hidden) client.markRead(conversationId, entry.target.dataset.id)
   * })
   */
  markRead(conversationId: string, messageId: string): void
  /**
   * Identify the visitor as one of the site's users, with a token the site's backend signed. The
   * anonymous visitor's threads move to the user (see the server's merge rule); history then follows
   * the user to any device. The token stays in memory only. Identifying as a different user than
   * before first deletes the previous person's data on this device, in every tab.
   */
  identify(identity: Identity): Promise<void>
  /**
   * End the chat session (chat mode): the backend closes the conversation and every local trace of
   * the session is deleted, in every open tab. `$ended` becomes `'ended'`; the next message starts a
   * new session.
   */
  endChat(): Promise<void>
  /**
   * Search the customer's history: on the device first (offline too), then the backend's archive
   * where the transport offers it. Also fills `$search`. Results are most relevant first, newer
   * first among equals.
   */
  search(query: string, options?: SearchOptions): Promise<SearchResult[]>
  /** Open the thread of a result with the messages around it loaded, and mark it in `$highlight`. */
  jumpTo(message: Message): Promise<void>
  /** Stop marking the message a search jumped to (`$highlight` becomes `null`). */
  clearHighlight(): void
  /**
   * Remember that the visitor used `emoji` (picked it, or completed a `:shortcode:`): it comes first
   * in `$recentEmoji`, which keeps 24 on the device (in memory with `resumeKeyStore: null`) until the
   * person's data is wiped (`shutdown()`, End chat, another user).
   */
  emojiUsed(emoji: string): void
  /**
   * Set custom attributes of the visitor for agents and the backend (a value sets its key, `null`
   * deletes it, other keys stay; the backend keeps the last write of each key), and tell it which
   * page the visitor is on (see {@link ClientOptions.page}): a single-page app calls `update()` after
   * it navigated. Checked first: rejects with `'invalid-argument'` naming the limit broken (at most 50
   * keys of 1 to 64 letters, digits, `_`, `.` or `-`; a string of at most 500 characters, a finite
   * number or a boolean; 4,096 bytes as JSON), with `'unsupported'` when the transport has no
   * `updateVisitor`. Resolves once the backend has them; retried with backoff while the failure may
   * pass, while the session lives (`'closed'` once it ended: shutdown, `identify()` as another user).
   * Updates go in order; those made while one is on its way go together in the next.
   *
   * @example
   * await client.update({ plan: 'pro', company: 'Acme', seats: 12, trial: null })
   */
  update(attributes?: VisitorAttributeChanges): Promise<void>
  /**
   * Record something the visitor did, for the agents' timeline of the visitor: a name of 1 to 64
   * ASCII letters, digits, spaces, `_`, `.`, `:` or `-`, and optional metadata (a JSON object of at
   * most 2,048 bytes). Rejects as {@link Client.update} does. The event gets its client id at once
   * and keeps it through every retry, so the backend stores it once.
   *
   * @example
   * await client.trackEvent('order:placed', { orderId: 42, total: 99.5 })
   */
  trackEvent(name: string, metadata?: { [key: string]: JsonValue }): Promise<void>
  /**
   * Open the pane at the composer, holding `text` (not sent), the caret after it. In messaging mode
   * with no thread open, the newest open thread is opened (a new one started if all are closed).
   *
   * @example
   * await client.compose('Hi, about order 42: ')
   */
  compose(text?: string): Promise<void>
  /** The text {@link Client.compose} left for the composer, once (`$draft` is `null` after): for a composer as it shows. */
  takeDraft(): string | null
  /** Listen to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(name: K, listener: (payload: ClientEvents[K]) => void): Unsubscribe
  /** Stop listening. */
  off<K extends keyof ClientEvents>(name: K, listener: (payload: ClientEvents[K]) => void): void
  /**
   * End the visitor's presence on this device, in every tab: close the stream, delete their stored
   * history, forget the resume key and the identity. Resolves once the data is deleted. The client can
   * `connect()` again afterwards as a new visitor.
   */
  shutdown(): Promise<void>
}
