import { createIdbCache } from '../cache/idb.js'
import { withJournal } from '../cache/journal.js'
import { createMemoryCache } from '../cache/memory.js'
import { personDatabase } from '../cache/partition.js'
import { createLocalResumeKeyStore, safeLocalStorage, type ResumeKeyStore } from '../cache/resume-key.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import { loadSearchEngine } from '../search/load.js'
import { createStores, type ChatMessage, type OutgoingFile } from '../store/index.js'
import { createTabChannel, type WipeReason } from '../tabs/channel.js'
import { createLeaderElection } from '../tabs/leader.js'
import type { Conversation, OutgoingPostback, VisitorContent } from '../transports/types.js'
import { createEmitter, type Emitter } from '../util/emitter.js'
import { randomId } from '../util/ids.js'
import { globalTimers } from '../util/timers.js'
import type { Client, ClientEvents, ClientOptions, NetworkWatch } from './api.js'
import { createChatClock } from './chat.js'
import { createDrafts } from './compose.js'
import { formResponse, guardContent, ratingResponse, visitorContent } from './content.js'
import { browserPage, createVisitorContext } from './context.js'
import { createDisplay } from './display.js'
import { visitorMessage } from './files.js'
import { createHooks } from './hooks.js'
import { createIntegration } from './integration.js'
import { createOutbox } from './outbox.js'
import { createPersister } from './persist.js'
import { createReadReceipts } from './read.js'
import { createRecentEmoji } from './recent.js'
import { createSearch } from './search.js'
import { createSession, NOT_OPENED } from './session.js'
import { createSync } from './sync.js'
import { joinTabs } from './tabs.js'
import { createTyping, showTyping } from './typing.js'
import { createUnread } from './unread.js'
import { loadUploads } from './uploads/load.js'

export type {
  Attachment,
  Client,
  ClientEvents,
  ClientOptions,
  ClientView,
  FileFacts,
  FormValues,
  Identity,
  IntegrationEnvelope,
  IntegrationEvent,
  IntegrationEvents,
  IntegrationEventType,
  IntegrationPayloads,
  IntegrationSource,
  Leadership,
  MessageFacts,
  NetworkWatch,
  SearchOptions,
  SendDraft
} from './api.js'
export { forwardToDataLayer, type DataLayer } from './integration.js'
export type { Timers } from '../util/timers.js'

const defaultNetwork = (): NetworkWatch | undefined =>
  typeof window === 'undefined' || typeof navigator === 'undefined'
    ? undefined
    : {
        get onLine() {
          return navigator.onLine
        },
        addEventListener: (type, listener) => window.addEventListener(type, listener as (event: Event) => void)
      }

/** Added to `$storage.reason` while attached files wait in memory only. */
const FILES_AT_RISK = '; files attached meanwhile wait in memory only, and a reload would lose them'

const defaultVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden'

/**
 * Make a headless client. This is the top of `client/`: it builds the behaviours (outbox, sync,
 * search, chat clock, unread counts), the session that starts and stops them, joins the site's
 * other tabs, and offers the actions.
 *
 * @example
 * const client = createClient({ transport })
 * client.on('message', (m) => showNotification(m.author.name, m.text))
 * await client.connect()
 * await client.send('Hello!')
 */
export function createClient(options: ClientOptions): Client {
  const given = options.transport
  if (!given || typeof given.connect !== 'function') {
    throw createError('invalid-argument', 'createClient needs a transport (see createHttpTransport)')
  }
  const site = options.site ?? 'default'
  const mode = options.mode ?? 'messaging'
  const timers = options.timers ?? globalTimers
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const stores = createStores()
  // A listener's bug is reported once through `error` (a bug in an `error` listener goes to the page).
  const emitter: Emitter<ClientEvents> = createEmitter<ClientEvents>(
    (error, name) => name !== 'error' && emitter.emit('error', createError('internal', `A listener of the "${String(name)}" event threw`, { cause: error }))
  )
  // What the backend sends is cleaned before anything else sees it (content it cannot show is reported).
  const transport = guardContent(given, (error) => emitter.emit('error', error))
  const hooks = createHooks({ options, transport, timers, report: (error) => emitter.emit('error', error) })
  const display = createDisplay(stores, hooks, !!options.beforeDisplay)
  const local = (name: string): ResumeKeyStore => createLocalResumeKeyStore(`confab:${site}:${name}`, options.storage)
  /** `resumeKeyStore: null` keeps the resume key and the last person in memory only. */
  const kept = (name: string): ResumeKeyStore => (options.resumeKeyStore === null ? createLocalResumeKeyStore('', null) : local(name))
  // Storage can fail at any write (quota): the notice must follow, not only the first open.
  const onStorageError = (error: ConfabError) => {
    const { persistent, reason } = session.cache()
    stores.$storage.set(persistent ? { persistent } : { persistent, reason: reason ?? error.message })
    noteFiles()
    emitter.emit('error', error)
  }
  /** Files attached while storage holds nothing past this page: the notice says what a reload would cost. */
  const noteFiles = (attaching = false) => {
    const state = stores.$storage.get()
    if (state.persistent || state.reason?.endsWith(FILES_AT_RISK)) return
    if (attaching || outbox.unsent().some((m) => m.files?.some((file) => !file.url))) stores.$storage.set({ persistent: false, reason: `${state.reason ?? 'memory only'}${FILES_AT_RISK}` })
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
  const network = options.network === null ? undefined : options.network ?? defaultNetwork()
  const channel = createTabChannel(site, options.BroadcastChannel, randomId(options.crypto ?? globalThis.crypto))
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  const leadership =
    options.leadership !== undefined
      ? options.leadership
      : // Tabs share their outbox through IndexedDB: without it each tab sends its own and leads alone.
        locks || (typeof document !== 'undefined' && (options.indexedDB ?? globalThis.indexedDB))
        ? createLeaderElection({ name: `confab:${site}:leader`, Channel: options.BroadcastChannel })
        : null
  const leads = leadership ?? { isLeader: true, ready: Promise.resolve(), onChange: () => () => undefined, close() {} }
  // A tab that goes away for good leaves the election as the page hides, so the next tab leads at
  // once rather than when the browser has torn this document down (long on a busy device).
  network?.addEventListener('pagehide', (event) => event?.persisted || leads.close())

  // The behaviours know the session only through these: they are built before it, it starts and stops them.
  const cache = () => session.cache()
  const person = () => session.person()
  const signal = () => session.signal()
  const persist = createPersister(cache)
  const unread = createUnread(stores, options.isVisible ?? defaultVisible)
  const clock = createChatClock({
    stores,
    mode,
    now,
    timers,
    persist,
    timeout: (options.chatTimeoutMinutes ?? 30) * 60_000,
    expired: () => void endChat('expired')
  })
  const outbox = createOutbox({
    stores,
    transport,
    channel,
    emitter,
    timers,
    now,
    random,
    network,
    maxSendAttempts: options.maxSendAttempts ?? Infinity,
    cache,
    currentPerson: person,
    currentSignal: signal,
    startingSession: () => session.starting(),
    confirm: (message) => sync.applyMessage(message),
    touch: clock.touch,
    loadUploads: options.loadUploads ?? loadUploads,
    XMLHttpRequest: options.XMLHttpRequest
  })
  const sync = createSync({
    stores,
    transport,
    emitter,
    persist,
    mode,
    cache,
    currentSignal: signal,
    settle: outbox.settle,
    touch: clock.touch,
    // A message `beforeDisplay` hides is not unread: nobody can read it.
    countUnread: (id, message) => display.whenShown(message, () => unread.count(id)),
    conversationChanged: clock.changed,
    showTyping: showTyping(stores, timers),
    sessionChanged: (next) => {
      // Keep the key that resumes this visitor on the next visit.
      if (next.resumeKey && !next.identified) keys.set(next.resumeKey)
    },
    read: (event) => reads.apply(event)
  })
  const reads = createReadReceipts({ stores, transport, channel, emitter, timers, random, currentPerson: person, putConversation: sync.putConversation })
  const search = createSearch({
    stores,
    transport,
    persist,
    timers,
    load: options.loadSearch ?? loadSearchEngine,
    cache,
    painting: () => session.painting(),
    currentSignal: signal,
    open: (id) => client.openConversation(id),
    loadOlder: sync.loadOlder
  })
  const typing = createTyping({ stores, transport, timers, now, report: (error) => emitter.emit('error', error) })
  const keys = options.resumeKeyStore ?? kept('resume')
  const recentEmoji = createRecentEmoji(stores, kept('emoji'))
  const session = createSession({
    stores,
    transport,
    emitter,
    channel,
    timers,
    random,
    mode,
    persist,
    keys,
    lastPerson: kept('person'),
    openCache,
    placeholder: () => createMemoryCache(NOT_OPENED),
    identity: options.identity,
    leaderReady: leads.ready,
    outbox,
    sync,
    search,
    clock,
    recentEmoji
  })
  const { connect } = session
  const visitor = createVisitorContext({
    transport: given,
    connect,
    currentSignal: signal,
    $session: stores.$session,
    timers,
    random,
    now,
    crypto: options.crypto ?? globalThis.crypto,
    page: options.page === null ? () => undefined : options.page ?? browserPage,
    report: (error) => emitter.emit('error', error)
  })
  // Each session tells the backend which page the visitor is on.
  emitter.on('ready', visitor.started)
  const integration = createIntegration({ stores, emitter, channel, currentPerson: person, now, crypto: options.crypto, includeText: options.events?.includeText })

  /** End the chat: the stream says so before the backend hears of it (then the leader does not say it again). */
  function endChat(reason: 'ended' | 'expired'): Promise<void> {
    const chat = clock.liveChat() ?? stores.$active.get()
    if (chat?.status === 'open') integration.ended(chat, reason)
    return session.endChat(reason)
  }

  /** Counts openConversation() calls: the last thread asked for wins. */
  let opening = 0

  /** The conversation being started for a send: sends made meanwhile join it rather than start one each. */
  let starting: Promise<Conversation> | undefined

  async function ensureConversation(conversationId?: string): Promise<string> {
    if (conversationId !== undefined) return conversationId
    const active = stores.$active.get()
    if (active && active.status === 'open') return active.id
    return (await (starting ??= startConversation().finally(() => (starting = undefined)))).id
  }

  async function startConversation(init: { subject?: string } = {}): Promise<Conversation> {
    await connect()
    const conversation = await transport.createConversation({ mode, ...init })
    stores.$ended.set(null)
    sync.putConversation(conversation)
    integration.started(conversation)
    stores.$activeId.set(conversation.id)
    // An empty first page gives the cursor that catching up reads forward from.
    await sync.loadLatest(conversation.id)
    return conversation
  }

  const setPane = (open: boolean) => {
    if (stores.$pane.get().open === open) return
    stores.$pane.set({ ...stores.$pane.get(), open })
    if (open) {
      unread.clear()
      void connect().catch(() => undefined)
    }
    emitter.emit(open ? 'open' : 'close', undefined)
  }

  stores.$activeId.listen((id) => {
    // Whatever is shown in an open pane has been seen; and a reload reopens the same thread.
    unread.clear()
    if (session.person() !== null) persist.meta({ activeId: id })
    // A live session shown (started here or in another tab): the one that ended is history.
    if (stores.$active.get()?.status === 'open') stores.$ended.set(null)
  })

  // Coming back online wakes the sends that wait for it.
  network?.addEventListener('online', outbox.wake)
  // Another tab deleted the person's data: what waits to tell the backend about them goes too.
  const wiped = (reason: WipeReason) => (visitor.forget(), session.wiped(reason))
  joinTabs({ stores, channel, outbox, currentPerson: person, connect, lead: session.lead, applyEvent: session.relayed, wipe: wiped }, leads)

/**
 * Show, keep and deliver one of the visitor's messages (checked content), or with `postback` a
 * postback: kept and delivered the same way, shown nowhere.
 */
async function write(
    content: VisitorContent & { files?: OutgoingFile[] },
    conversationId?: string,
    postback?: Omit<OutgoingPostback, 'clientId'>,
    blobs: { id: string; blob: Blob }[] = []
  ): Promise<ChatMessage> {
    // The visitor has stopped typing: they sent it.
    typing.stop(conversationId)
    // The id exists before anything asynchronous, so every retry carries the same idempotency key.
    const clientId = randomId(options.crypto ?? globalThis.crypto)
    outbox.attach(blobs)
    if (blobs.length) noteFiles(true)
    const stopped = signal()
    // Its place among this tab's messages is taken now, whatever it waits for below.
    const createdAt = now()
    const turn = outbox.takeTurn()
    // The page's beforeSend sees it before it shows: a hook that answers at once delays nothing.
    let decided = postback ? undefined : hooks.beforeSend(content)
    if (decided instanceof Promise) decided = await decided
    if (decided === null) {
      turn.release()
      throw createError('cancelled', 'The message was not sent: the page’s beforeSend cancelled it')
    }
    if (decided) content = decided
    const shownIn = () => {
      const open = stores.$active.get()
      return conversationId ?? (open?.status === 'open' ? open.id : undefined)
    }
    // Settled from the moment it shows: another tab may deliver it before this one's session starts.
    let done: Promise<ChatMessage> | undefined
    const show = (id: string) => {
      const shown = outbox.createEcho(clientId, id, content, createdAt, postback)
      done = outbox.settled(shown)
      return shown
    }
    // Shown at once when the thread is known (painted from the cache, even offline); queued
    // until the connection is up.
    const known = shownIn()
    let echo = known === undefined ? undefined : show(known)
    // On the device (and with the leading tab, unless an earlier message must reach it first)
    // from the moment it shows: a tab closed while the session is still starting, or the backend
    // unreachable, must not lose it.
    let kept = echo && outbox.keep(echo, turn)
    try {
      const connected = connect()
      if (!echo) {
        // Called before the device painted: the open thread is known once it has, long before a
        // session may start.
        connected.catch(() => undefined)
        await session.painting()?.catch(() => undefined)
        const painted = stopped.aborted ? undefined : shownIn()
        if (painted !== undefined) kept = outbox.keep((echo = show(painted)), turn)
      }
      await connected
      if (stopped.aborted) throw createError('closed', 'The client was shut down before the message left')
      echo ??= show(await ensureConversation())
    } catch (caught) {
      turn.release()
      const error = toConfabError(caught, 'Could not start a conversation for the message')
      if (echo && stopped.aborted) {
        // Stopped meanwhile. After a shutdown the message went with the data; after identify() it
        // is still shown and in the outbox, and goes out with the next session.
        return outbox.stillQueued(echo) ? done! : echo
      }
      emitter.emit('error', error)
      if (!echo) throw error
      return outbox.fail(echo, error.message)
    }
    return outbox.submit(echo, kept, turn, done)
  }

  const client: Client = {
    ...stores,
    transport: given,
    mode,
    events: integration.events,
    $shown: display.$shown,
    shown: display.shown,
    connect,
    async send(content, { conversationId } = {}) {
      const { content: checked, blobs } = visitorMessage(content, transport, stores.$session.get()?.uploadLimits, options.crypto ?? globalThis.crypto)
      // The leading tab uploads: its upload step loads while the message is being kept.
      if (blobs.length && stores.$leader.get()) void outbox.preloadUploads()
      return write(checked, conversationId, undefined, blobs)
    },
    typing: typing.typing,
    stopTyping: typing.stop,
    cancelFile: (clientId, fileId) => outbox.cancelFile(clientId, fileId),
    preloadUploads: outbox.preloadUploads,
    async fileBlob(fileId) {
      // A page just opened reads the person's cache once it is open.
      await session.painting()?.catch(() => undefined)
      return outbox.fileBlob(fileId)
    },
    async act(message, action) {
      integration.clicked(message, action)
      switch (action.type) {
        case 'reply':
          await write(visitorContent({ text: action.label, replyTo: { messageId: message.id, actionId: action.id } }, transport), message.conversationId)
          return
        case 'postback': {
          if (!transport.postback) throw createError('unsupported', `The ${transport.name} transport does not deliver postbacks`)
          const postback = { payload: action.payload, messageId: message.id, actionId: action.id }
          const done = await write({ text: action.label }, message.conversationId, postback)
          if (done.status === 'failed') throw createError('http', done.error ?? 'The postback was refused')
          return
        }
        default:
          emitter.emit('action', { action, message })
          if (action.type === 'host') await hooks.action(action, message)
      }
    },
    // Answers are checked as any message is, and sent as text alone where the transport carries no answer parts.
    async submitForm(message, values) {
      const content = visitorContent(formResponse(message, values), transport)
      integration.submitted(message, values)
      return write(content, message.conversationId)
    },
    async rate(message, score, comment) {
      const content = visitorContent(ratingResponse(message, score, comment), transport)
      integration.rated(message, score, comment)
      return write(content, message.conversationId)
    },
    retry: outbox.retry,
    discard: (clientId) => outbox.discard(clientId),
    async openConversation(id) {
      if (id === null) {
        stores.$activeId.set(null)
        return
      }
      const stopped = signal()
      // The last thread asked for wins, however slowly an earlier one loads.
      const turn = ++opening
      const current = () => !stopped.aborted && turn === opening
      const known = stores.$conversations.get().some((c) => c.id === id)
      if (known) stores.$activeId.set(id)
      if (!stores.$messages.get()[id]?.length) {
        // Offline first: the newest cached page shows at once, the network catches up after.
        const cached = await cache().older(id, { createdAt: Infinity, id: '' }, 30)
        if (!current()) return
        if (cached.length) sync.showCached(id, cached)
      }
      const update = async () => {
        await connect()
        if (!current()) return
        if (!known) {
          const conversation = await transport.getConversation(id)
          if (!current()) return
          sync.putConversation(conversation)
        }
        stores.$activeId.set(id)
        if (!stores.$history.get()[id]) await sync.loadLatest(id)
        else if (sync.hasCached(id)) await sync.catchUp(id)
      }
      // A thread the device can show does not wait for a backend that is not there (offline).
      if (known && stores.$messages.get()[id]?.length && stores.$status.get() !== 'online') {
        update().catch((error) => emitter.emit('error', toConfabError(error, `Could not sync conversation ${id}`)))
      } else {
        await update()
      }
    },
    startConversation,
    loadOlder(conversationId = stores.$activeId.get() ?? undefined) {
      return conversationId === undefined ? Promise.resolve(false) : sync.loadOlder(conversationId)
    },
    open: () => setPane(true),
    close: () => setPane(false),
    toggle: () => setPane(!stores.$pane.get().open),
    show: () => stores.$pane.set({ ...stores.$pane.get(), launcher: true }),
    hide: () => stores.$pane.set({ ...stores.$pane.get(), launcher: false }),
    visibilityChanged: unread.clear,
    markRead: (conversationId, messageId) => reads.mark(conversationId, messageId),
    identify(identity) {
      if (!identity || typeof identity.id !== 'string' || !identity.id || typeof identity.token !== 'string' || !identity.token) {
        return Promise.reject(createError('invalid-argument', 'identify() needs { id, token } from your backend'))
      }
      return session.identify(identity)
    },
    endChat: () => endChat('ended'),
    async search(query, options) {
      const results = (await search.search(query, options)).filter((result) => display.shown(result.message) !== null)
      // Only the search that stands (not one a newer one replaced, nor clearing the field) is told.
      if (query.trim() && stores.$search.get().query === query) integration.searched(results, options?.conversationId)
      return results
    },
    jumpTo: search.jumpTo,
    clearHighlight: () => stores.$highlight.set(null),
    emojiUsed: recentEmoji.used,
    update: visitor.update,
    trackEvent: visitor.trackEvent,
    ...createDrafts({ stores, mode, open: () => setPane(true), openConversation: (id) => client.openConversation(id), startConversation }),
    on: emitter.on,
    off: emitter.off,
    async shutdown() {
      visitor.forget()
      stores.$pane.set({ ...stores.$pane.get(), open: false })
      await session.shutdown()
      emitter.emit('status', 'idle')
    }
  }
  return client
}
