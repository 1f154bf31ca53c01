import { createIdbCache } from '../cache/idb.js'
import { createMemoryCache } from '../cache/memory.js'
import { personDatabase } from '../cache/partition.js'
import { createLocalResumeKeyStore, type ResumeKeyStore } from '../cache/resume-key.js'
import type { Cache } from '../cache/types.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import { createStores, mergeMessages, type ChatMessage, type ClientStores, type SearchResult } from '../store/index.js'
import { createTabChannel } from '../tabs/channel.js'
import type { Conversation, ConversationMode, Message, Transport } from '../transports/types.js'
import { createEmitter, type Unsubscribe } from '../util/emitter.js'
import { randomId } from '../util/ids.js'
import { endChat } from './chat.js'
import { disconnect, start } from './connect.js'
import type { ClientContext, ClientEvents, Identity, NetworkWatch, Timers } from './context.js'
import { NOT_OPENED, wipe } from './person.js'
import { createPersister } from './persist.js'
import { createEcho, discard, fail, retry, submit, toEntry } from './send.js'
import { joinTabs, type Leadership } from './tabs.js'
import { createLeaderElection } from '../tabs/leader.js'
import { jumpTo, search, type SearchOptions } from './search.js'
import { loadSearchEngine } from '../search/load.js'
import type { SearchEngine } from '../search/engine.js'
import { catchUp, loadLatest, loadOlder, putConversation } from './sync.js'
import { clearUnread } from './unread.js'

export type { ClientEvents, Identity, NetworkWatch, Timers } from './context.js'
export type { Leadership } from './tabs.js'
export type { SearchOptions } from './search.js'

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
   * Where the resume key and the name of the last person shown are kept. Default: `localStorage`
   * (memory where it is unavailable).
   */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
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
}

/**
 * A headless Confab client: state in nanostores, behaviour in actions, events through `on`.
 * It renders nothing; the widget (or your own UI) reads its stores.
 */
export interface Client extends ClientStores {
  readonly transport: Transport
  readonly mode: ConversationMode
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
   */
  send(text: string, options?: { conversationId?: string }): Promise<ChatMessage>
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

const defaultNetwork = (): NetworkWatch | undefined =>
  typeof window === 'undefined' || typeof navigator === 'undefined'
    ? undefined
    : {
        get onLine() {
          return navigator.onLine
        },
        addEventListener: (type, listener) => window.addEventListener(type, listener)
      }

const defaultVisible = () =>
  typeof document === 'undefined' || document.visibilityState !== 'hidden'

/**
 * Make a headless client.
 *
 * @example
 * const client = createClient({ transport })
 * client.on('message', (m) => showNotification(m.author.name, m.text))
 * await client.connect()
 * await client.send('Hello!')
 */
export function createClient(options: ClientOptions): Client {
  const { transport } = options
  if (!transport || typeof transport.connect !== 'function') {
    throw createError('invalid-argument', 'createClient needs a transport (see createHttpTransport)')
  }
  const site = options.site ?? 'default'
  const stores = createStores()
  const emitter = createEmitter<ClientEvents>()
  const local = (name: string): ResumeKeyStore => createLocalResumeKeyStore(`confab:${site}:${name}`, options.storage)
  // Storage can fail at any write (quota): the notice must follow, not only the first open.
  const onStorageError = (error: ConfabError) => {
    const { persistent, reason } = ctx.cache
    stores.$storage.set(persistent ? { persistent } : { persistent, reason: reason ?? error.message })
    emitter.emit('error', error)
  }
  const openCache =
    options.cache === null
      ? async () => createMemoryCache()
      : (person: string) =>
          (options.cache ?? ((name: string) => createIdbCache({ name, indexedDB: options.indexedDB, onError: onStorageError })))(
            personDatabase(site, person)
          )
  const ctx: ClientContext = {
    transport,
    stores,
    emitter,
    mode: options.mode ?? 'messaging',
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    crypto: options.crypto ?? globalThis.crypto,
    timers: options.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
    },
    maxSendAttempts: options.maxSendAttempts ?? Infinity,
    isVisible: options.isVisible ?? defaultVisible,
    sendQueues: new Map(),
    sending: new Set(),
    settlers: new Map(),
    wakers: new Set(),
    network: options.network === null ? undefined : options.network ?? defaultNetwork(),
    backfills: new Map(),
    leaderReady: Promise.resolve(),
    generation: 0,
    site,
    keys: options.resumeKeyStore === null ? createLocalResumeKeyStore('', null) : options.resumeKeyStore ?? local('resume'),
    pointer: options.resumeKeyStore === null ? createLocalResumeKeyStore('', null) : local('person'),
    openCache,
    cache: createMemoryCache(NOT_OPENED),
    person: null,
    persist: createPersister(() => ctx.cache),
    channel: createTabChannel(site, options.BroadcastChannel),
    identity: options.identity,
    chatTimeout: (options.chatTimeoutMinutes ?? 30) * 60_000,
    cachedOlder: new Set(),
    conn: {},
    loadSearch: options.loadSearch ?? loadSearchEngine,
    search: undefined,
    searchRun: 0,
    jumpRun: 0
  }

  /** Counts openConversation() calls. */
  let opening = 0

  function connect(): Promise<void> {
    ctx.conn.connecting ??= start(ctx, ctx.generation, 0)
    return ctx.conn.connecting
  }

  async function ensureConversation(conversationId?: string): Promise<string> {
    if (conversationId !== undefined) return conversationId
    const active = stores.$active.get()
    if (active && active.status === 'open') return active.id
    return (await startConversation()).id
  }

  async function startConversation(init: { subject?: string } = {}): Promise<Conversation> {
    await connect()
    const conversation = await transport.createConversation({ mode: ctx.mode, ...init })
    stores.$ended.set(null)
    putConversation(ctx, conversation)
    stores.$activeId.set(conversation.id)
    // An empty first page gives the cursor that catching up reads forward from.
    await loadLatest(ctx, conversation.id)
    return conversation
  }

  const setPane = (open: boolean) => {
    if (stores.$pane.get().open === open) return
    stores.$pane.set({ ...stores.$pane.get(), open })
    if (open) {
      clearUnread(ctx)
      void connect().catch(() => undefined)
    }
    emitter.emit(open ? 'open' : 'close', undefined)
  }

  stores.$activeId.listen((id) => {
    // Whatever is shown in an open pane has been seen; and a reload reopens the same thread.
    clearUnread(ctx)
    if (ctx.person !== null) ctx.persist.meta({ activeId: id })
    // A live session shown (started here or in another tab): the one that ended is history.
    if (stores.$active.get()?.status === 'open') stores.$ended.set(null)
  })

  // Coming back online wakes the sends that wait for it.
  ctx.network?.addEventListener('online', () => {
    for (const wake of [...ctx.wakers]) wake()
  })
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  const leadership =
    options.leadership !== undefined
      ? options.leadership
      : // Tabs share their outbox through IndexedDB: without it each tab sends its own and leads alone.
        locks || (typeof document !== 'undefined' && (options.indexedDB ?? globalThis.indexedDB))
        ? createLeaderElection({ name: `confab:${site}:leader`, Channel: options.BroadcastChannel })
        : null
  joinTabs(ctx, leadership ?? { isLeader: true, ready: Promise.resolve(), onChange: () => () => undefined, close() {} }, () => connect())

  const client: Client = {
    ...stores,
    transport,
    mode: ctx.mode,
    connect,
    async send(text, { conversationId } = {}) {
      // The id exists before anything asynchronous, so every retry carries the same idempotency key.
      const clientId = randomId(ctx.crypto)
      const body = typeof text === 'string' ? text.trim() : ''
      if (body === '') throw createError('invalid-argument', 'A message needs some text')
      const generation = ctx.generation
      // Shown at once when the thread is known (painted from the cache, even offline); queued
      // until the connection is up.
      const open = stores.$active.get()
      const known = conversationId ?? (open?.status === 'open' ? open.id : undefined)
      let echo = known === undefined ? undefined : createEcho(ctx, clientId, known, body)
      // On the device from the moment it shows: a reload while the session is still starting (or the
      // backend unreachable) must not lose it. `submit` writes the same record again.
      if (echo) void ctx.cache.write({ outbox: [toEntry(echo)] })
      try {
        await connect()
        if (generation !== ctx.generation) throw createError('closed', 'The client was shut down before the message left')
        echo ??= createEcho(ctx, clientId, await ensureConversation(), body)
      } catch (caught) {
        const error = toConfabError(caught, 'network', 'Could not start a conversation for the message')
        emitter.emit('error', error)
        if (!echo) throw error
        return fail(ctx, echo, error.message)
      }
      return submit(ctx, echo)
    },
    retry: (clientId) => retry(ctx, clientId),
    discard: (clientId) => discard(ctx, clientId),
    async openConversation(id) {
      if (id === null) {
        stores.$activeId.set(null)
        return
      }
      const generation = ctx.generation
      // The last thread asked for wins, however slowly an earlier one loads.
      const turn = ++opening
      const current = () => generation === ctx.generation && turn === opening
      const known = stores.$conversations.get().some((c) => c.id === id)
      if (known) stores.$activeId.set(id)
      if (!stores.$messages.get()[id]?.length) {
        // Offline first: the newest cached page shows at once, the network catches up after.
        const cached = await ctx.cache.older(id, { createdAt: Infinity, id: '' }, 30)
        if (!current()) return
        if (cached.length) {
          ctx.cachedOlder.add(id)
          stores.$messages.setKey(id, mergeMessages([], cached))
          ctx.persist.announce(cached)
        }
      }
      const sync = async () => {
        await connect()
        if (!current()) return
        if (!known) {
          const conversation = await transport.getConversation(id)
          if (!current()) return
          putConversation(ctx, conversation)
        }
        stores.$activeId.set(id)
        if (!stores.$history.get()[id]) await loadLatest(ctx, id)
        else if (ctx.cachedOlder.has(id)) await catchUp(ctx, id)
      }
      // A thread the device can show does not wait for a backend that is not there (offline).
      if (known && stores.$messages.get()[id]?.length && stores.$status.get() !== 'online') {
        sync().catch((error) => emitter.emit('error', toConfabError(error, 'network', `Could not sync conversation ${id}`)))
      } else {
        await sync()
      }
    },
    startConversation,
    loadOlder(conversationId = stores.$activeId.get() ?? undefined) {
      return conversationId === undefined ? Promise.resolve(false) : loadOlder(ctx, conversationId)
    },
    open: () => setPane(true),
    close: () => setPane(false),
    toggle: () => setPane(!stores.$pane.get().open),
    show: () => stores.$pane.set({ ...stores.$pane.get(), launcher: true }),
    hide: () => stores.$pane.set({ ...stores.$pane.get(), launcher: false }),
    visibilityChanged: () => clearUnread(ctx),
    async identify(identity) {
      if (!identity || typeof identity.id !== 'string' || !identity.id || typeof identity.token !== 'string' || !identity.token) {
        throw createError('invalid-argument', 'identify() needs { id, token } from your backend')
      }
      const previous = ctx.identity
      ctx.identity = identity
      const session = stores.$session.get()
      if (previous?.id === identity.id && session?.identified?.id === identity.id) return
      if (ctx.person?.startsWith('u-') && ctx.person !== `u-${identity.id}`) await wipe(ctx, 'switched', true)
      else disconnect(ctx)
      await connect()
    },
    endChat: () => endChat(ctx, 'ended'),
    search: (query, searchOptions) => search(ctx, query, searchOptions),
    jumpTo: (message) => jumpTo(ctx, message, client.openConversation),
    on: emitter.on,
    off: emitter.off,
    async shutdown() {
      ctx.identity = undefined
      stores.$pane.set({ ...stores.$pane.get(), open: false })
      await wipe(ctx, 'shutdown', true)
      emitter.emit('status', 'idle')
    }
  }
  return client
}
