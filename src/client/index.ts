import { createIdbCache } from '../cache/idb.js'
import { createMemoryCache } from '../cache/memory.js'
import { personDatabase } from '../cache/partition.js'
import { withJournal } from '../cache/journal.js'
import { createLocalResumeKeyStore, safeLocalStorage, type ResumeKeyStore } from '../cache/resume-key.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import { createStores, mergeMessages, type ChatMessage } from '../store/index.js'
import { createTabChannel } from '../tabs/channel.js'
import type { Conversation } from '../transports/types.js'
import { createEmitter, type Emitter } from '../util/emitter.js'
import { randomId } from '../util/ids.js'
import { globalTimers } from '../util/timers.js'
import { isBlank } from '../util/text.js'
import { endChat } from './chat.js'
import { disconnect, start } from './connect.js'
import type { ClientContext, ClientEvents, NetworkWatch } from './context.js'
import { NOT_OPENED, wipe } from './person.js'
import { createPersister } from './persist.js'
import { createEcho, discard, fail, keep, retry, settled, stillQueued, submit, takeTurn } from './send.js'
import { joinTabs } from './tabs.js'
import { createLeaderElection } from '../tabs/leader.js'
import type { Client, ClientOptions } from './api.js'
import { jumpTo, search } from './search.js'
import { loadSearchEngine } from '../search/load.js'
import { catchUp, loadLatest, loadOlder, putConversation } from './sync.js'
import { clearUnread } from './unread.js'

export type { Client, ClientOptions } from './api.js'
export type { ClientEvents, Identity, NetworkWatch } from './context.js'
export type { Timers } from '../util/timers.js'
export type { Leadership } from './tabs.js'
export type { SearchOptions } from './search.js'


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
  // A listener's bug is reported once through `error` (a bug in an `error` listener goes to the page).
  const emitter: Emitter<ClientEvents> = createEmitter<ClientEvents>(
    (error, name) => name !== 'error' && emitter.emit('error', createError('internal', `A listener of the "${String(name)}" event threw`, { cause: error }))
  )
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
          (
            options.cache ??
            // Unsent messages are journaled in localStorage too: IndexedDB commits too late for a closing tab.
            (async (name: string) =>
              withJournal(await createIdbCache({ name, indexedDB: options.indexedDB, onError: onStorageError }), name, options.storage ?? safeLocalStorage()))
          )(personDatabase(site, person))
  const ctx: ClientContext = {
    transport,
    stores,
    emitter,
    mode: options.mode ?? 'messaging',
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    crypto: options.crypto ?? globalThis.crypto,
    timers: options.timers ?? globalTimers,
    maxSendAttempts: options.maxSendAttempts ?? Infinity,
    isVisible: options.isVisible ?? defaultVisible,
    sendQueues: new Map(),
    turns: Promise.resolve(),
    openTurns: [],
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
      if (isBlank(body)) throw createError('invalid-argument', 'A message needs some visible text')
      const generation = ctx.generation
      // Its place among this tab's messages is taken now, whatever it waits for below.
      const createdAt = ctx.now()
      const turn = takeTurn(ctx)
      const shownIn = () => {
        const open = stores.$active.get()
        return conversationId ?? (open?.status === 'open' ? open.id : undefined)
      }
      // Settled from the moment it shows: another tab may deliver it before this one's session starts.
      let done: Promise<ChatMessage> | undefined
      const show = (id: string) => {
        const shown = createEcho(ctx, clientId, id, body, createdAt)
        done = settled(ctx, shown)
        return shown
      }
      // Shown at once when the thread is known (painted from the cache, even offline); queued
      // until the connection is up.
      const known = shownIn()
      let echo = known === undefined ? undefined : show(known)
      // On the device (and with the leading tab, unless an earlier message must reach it first)
      // from the moment it shows: a tab closed while the session is still starting, or the backend
      // unreachable, must not lose it.
      let kept = echo && keep(ctx, echo, turn)
      try {
        const connected = connect()
        if (!echo) {
          // Called before the device painted: the open thread is known once it has, long before a
          // session may start.
          connected.catch(() => undefined)
          await ctx.conn.painting?.catch(() => undefined)
          const painted = generation === ctx.generation ? shownIn() : undefined
          if (painted !== undefined) kept = keep(ctx, (echo = show(painted)), turn)
        }
        await connected
        if (generation !== ctx.generation) throw createError('closed', 'The client was shut down before the message left')
        echo ??= show(await ensureConversation())
      } catch (caught) {
        turn.release()
        const error = toConfabError(caught, 'Could not start a conversation for the message')
        if (echo && generation !== ctx.generation) {
          // Stopped meanwhile. After a shutdown the message went with the data; after identify() it
          // is still shown and in the outbox, and goes out with the next session.
          return stillQueued(ctx, echo) ? done! : echo
        }
        emitter.emit('error', error)
        if (!echo) throw error
        return fail(ctx, echo, error.message)
      }
      return submit(ctx, echo, kept, turn, done)
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
        sync().catch((error) => emitter.emit('error', toConfabError(error, `Could not sync conversation ${id}`)))
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
