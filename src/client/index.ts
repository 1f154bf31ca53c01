import { createLocalResumeKeyStore, type ResumeKeyStore } from '../cache/resume-key.js'
import { createError, toConfabError } from '../errors/index.js'
import { createStores, resetStores, upsertConversation, type ChatMessage, type ClientStores } from '../store/index.js'
import type { Conversation, ConversationMode, Transport } from '../transports/types.js'
import { backoffDelay } from '../util/backoff.js'
import { createEmitter, type Unsubscribe } from '../util/emitter.js'
import { randomId } from '../util/ids.js'
import type { ClientContext, ClientEvents, Timers } from './context.js'
import { createEcho, discard, enqueue, retry } from './send.js'
import { applyEvent, loadLatest, loadOlder, pickActive, report } from './sync.js'
import { clearUnread } from './unread.js'

export type { ClientEvents, Timers } from './context.js'

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
  /** How many times a send is tried before it is marked failed. Default 5. */
  maxSendAttempts?: number
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
  /** Show a conversation, loading its newest history if needed. */
  openConversation(id: string): Promise<void>
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
  /** Listen to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(name: K, listener: (payload: ClientEvents[K]) => void): Unsubscribe
  /** Stop listening. */
  off<K extends keyof ClientEvents>(name: K, listener: (payload: ClientEvents[K]) => void): void
  /**
   * End the visitor's presence on this device: close the stream, forget the resume key and every
   * message in memory. The client can `connect()` again afterwards as a new visitor.
   */
  shutdown(): void
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
  const stores = createStores()
  const emitter = createEmitter<ClientEvents>()
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
    maxSendAttempts: options.maxSendAttempts ?? 5,
    isVisible: options.isVisible ?? defaultVisible,
    sendQueues: new Map(),
    generation: 0
  }
  const keys: ResumeKeyStore =
    options.resumeKeyStore === null
      ? createLocalResumeKeyStore('', null)
      : options.resumeKeyStore ?? createLocalResumeKeyStore(`confab:${options.site ?? 'default'}:resume`)

  let connecting: Promise<void> | undefined
  let stopStream: Unsubscribe | undefined
  let retryTimer: unknown
  let cursor: string | undefined

  async function start(generation: number, attempt: number): Promise<void> {
    stores.$status.set(attempt === 0 ? 'connecting' : 'reconnecting')
    try {
      const session = await transport.connect({ resumeKey: keys.get() ?? undefined })
      if (generation !== ctx.generation) return
      keys.set(session.resumeKey)
      stores.$session.set(session)
      // Subscribe before reading, so nothing that happens in between is missed; merging by id
      // makes an event that is also in the page harmless.
      stopStream = transport.subscribe(
        (event) => {
          if (generation !== ctx.generation) return
          if (event.cursor !== undefined) cursor = event.cursor
          applyEvent(ctx, event)
        },
        cursor === undefined ? {} : { cursor }
      )
      const page = await transport.listConversations()
      if (generation !== ctx.generation) return
      for (const conversation of page.conversations) upsertConversation(stores, conversation)
      const active = stores.$activeId.get() ?? pickActive(ctx, page.conversations)?.id ?? null
      stores.$activeId.set(active)
      if (active !== null) await loadLatest(ctx, active)
      emitter.emit('ready', session)
    } catch (caught) {
      if (generation !== ctx.generation) return
      const error = toConfabError(caught, 'network', `Could not connect through the ${transport.name} transport`)
      emitter.emit('error', error)
      if (!error.retryable) {
        stores.$status.set('idle')
        connecting = undefined
        throw error
      }
      await new Promise<void>((resolve) => {
        retryTimer = ctx.timers.setTimeout(resolve, backoffDelay(attempt, { random: ctx.random }))
      })
      if (generation === ctx.generation) return start(generation, attempt + 1)
    }
  }

  function connect(): Promise<void> {
    connecting ??= start(ctx.generation, 0)
    return connecting
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
    upsertConversation(stores, conversation)
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

  // Whatever is shown in an open pane has been seen.
  stores.$activeId.listen(() => clearUnread(ctx))

  return {
    ...stores,
    transport,
    mode: ctx.mode,
    connect,
    async send(text, { conversationId } = {}) {
      // The id exists before anything asynchronous, so every retry carries the same idempotency key.
      const clientId = randomId(ctx.crypto)
      const body = typeof text === 'string' ? text.trim() : ''
      if (body === '') throw createError('invalid-argument', 'A message needs some text')
      let id: string
      try {
        await connect()
        id = await ensureConversation(conversationId)
      } catch (caught) {
        const error = toConfabError(caught, 'network', 'Could not start a conversation for the message')
        emitter.emit('error', error)
        throw error
      }
      return enqueue(ctx, createEcho(ctx, clientId, id, body))
    },
    retry: (clientId) => retry(ctx, clientId),
    discard: (clientId) => discard(ctx, clientId),
    async openConversation(id) {
      await connect()
      if (!stores.$conversations.get().some((c) => c.id === id)) {
        upsertConversation(stores, await transport.getConversation(id))
      }
      stores.$activeId.set(id)
      if (!stores.$history.get()[id]) await loadLatest(ctx, id)
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
    on: emitter.on,
    off: emitter.off,
    shutdown() {
      ctx.generation++
      stopStream?.()
      stopStream = undefined
      if (retryTimer !== undefined) ctx.timers.clearTimeout(retryTimer)
      try {
        transport.close()
      } catch (error) {
        report(ctx, error, 'The transport failed to close')
      }
      keys.remove()
      cursor = undefined
      connecting = undefined
      ctx.sendQueues.clear()
      resetStores(stores)
      emitter.emit('status', 'idle')
    }
  }
}
