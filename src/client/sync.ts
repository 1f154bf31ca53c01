import type { Cache, CacheSnapshot } from '../cache/types.js'
import { createError, toConfabError } from '../errors/index.js'
import { indexOfMessage, mergeMessages, upsertConversation, upsertMessage, type ChatMessage, type ClientStores, type HistoryState } from '../store/index.js'
import type { Author, Conversation, ConversationMode, Message, Transport, TransportEvent, VisitorSession } from '../transports/types.js'
import type { Emitter } from '../util/emitter.js'
import type { ClientEvents } from './api.js'
import type { Persister } from './persist.js'

const PAGE = 30
/** Missing messages beyond which a gap is not read message by message: the thread reloads instead. */
const GAP_LIMIT = 100

/** What keeping the stores in step with the backend needs from the client around it. */
export interface SyncDeps {
  stores: ClientStores
  transport: Transport
  emitter: Emitter<ClientEvents>
  persist: Persister
  mode: ConversationMode
  /** The current person's cache. */
  cache: () => Cache
  /** The current session's signal: aborted when it stops; work under way then leaves the stores alone. */
  currentSignal: () => AbortSignal
  /** One of the visitor's messages was confirmed: a `send()` waiting for it settles. */
  settle: (message: ChatMessage) => void
  /** Something happened in a conversation (chat mode counts it as activity). */
  touch: (conversationId: string) => void
  /** A message from someone else arrived in `id`. */
  countUnread: (id: string, message: ChatMessage) => void
  /** A conversation changed on the backend. */
  conversationChanged: (conversation: Conversation) => void
  /** The backend sent the session again (a new resume key). */
  sessionChanged: (session: VisitorSession) => void
  /** Show who types in a conversation, or (`undefined`) that nobody does (see `showTyping`). */
  showTyping: (conversationId: string, author: Author | undefined) => void
}

/** The stores kept in step with the backend: history, events, gaps. */
export type Sync = ReturnType<typeof createSync>

/** The highest sequence number of each list of messages, once worked out (see `lastSeq`). */
const highest = new WeakMap<readonly ChatMessage[], number | undefined>()

/** The highest sequence number among the confirmed messages shown of a conversation. */
function lastSeq(list: readonly ChatMessage[]): number | undefined {
  if (highest.has(list)) return highest.get(list)
  let last: number | undefined
  for (const m of list) if (m.status === 'sent' && m.seq !== undefined && (last === undefined || m.seq > last)) last = m.seq
  highest.set(list, last)
  return last
}

/**
 * Keep the stores in step with the backend and the device: pages of history, live events, gaps
 * in sequence numbers, and what the cache holds.
 *
 * @example
 * const sync = createSync({ stores, transport, emitter, persist, mode: 'messaging', cache: () => cache,
 *   currentSignal: () => life.signal, settle, touch, countUnread, conversationChanged, sessionChanged })
 * await sync.loadLatest('c1')
 */
export function createSync(deps: SyncDeps) {
  const { stores, transport, emitter, persist } = deps
  /** Conversations being backfilled after a gap, each with whether another gap came meanwhile. */
  const backfills = new Map<string, { again: boolean }>()
  /** Conversations whose older messages may still be in the cache. */
  const cachedOlder = new Set<string>()

  /** Report an error through the `error` event, as a `ConfabError`. */
  const report = (error: unknown, message: string) => emitter.emit('error', toConfabError(error, message))

  /**
   * Fill a gap in a conversation: read forward from the newest cursor held, one backfill in flight
   * per conversation (a gap found meanwhile runs it once more); a gap too large reloads the thread.
   */
  async function backfill(id: string, missing: number): Promise<void> {
    const running = backfills.get(id)
    if (running) return void (running.again = true)
    const state = { again: false }
    backfills.set(id, state)
    const signal = deps.currentSignal()
    try {
      // Without reading forward from a cursor, only the newest page can fill it: start from there.
      const forward = transport.capabilities.historyNewer && stores.$history.get()[id]?.after
      if (missing > GAP_LIMIT || !forward) await reloadConversation(id)
      else await catchUp(id)
    } finally {
      if (backfills.get(id) === state) backfills.delete(id)
      if (state.again && !signal.aborted) void backfill(id, 1)
    }
  }

  /** Insert or replace a conversation in the stores and queue it for the cache. */
  function putConversation(conversation: Conversation): void {
    upsertConversation(stores, conversation)
    persist.conversations([conversation])
  }

  /** Merge messages into a conversation's list and queue them for the cache. */
  function putMessages(id: string, messages: Message[]): void {
    const { $messages } = stores
    $messages.setKey(id, mergeMessages($messages.get()[id] ?? [], messages))
    persist.messages(messages)
  }

  /** Update a conversation's paging state, keeping the cursors in the cache. */
  function setHistory(id: string, state: HistoryState): void {
    const { $history } = stores
    const previous = $history.get()[id]
    $history.setKey(id, state)
    if (previous?.before !== state.before || previous?.after !== state.after) saveHistory()
  }

  /** Queue every conversation's history cursors for the cache. */
  function saveHistory(): void {
    const history: Record<string, { before: string | null; after: string | null }> = {}
    for (const [key, value] of Object.entries(stores.$history.get())) history[key] = { before: value.before, after: value.after }
    persist.meta({ history })
  }

  /**
   * Store a message the backend confirmed, and move its conversation's preview along. `isNew`: it
   * was not shown before, not even as the visitor's unsent copy.
   */
  function store(message: Message): { shown: ChatMessage; isNew: boolean } {
    const { $messages, $conversations } = stores
    const confirmed: ChatMessage = { ...message, status: 'sent' }
    const id = message.conversationId
    const before = $messages.get()[id] ?? []
    const last = lastSeq(before)
    const isNew = indexOfMessage(before, message) === -1
    const after = upsertMessage(before, confirmed)
    // A thousand messages a second into a long thread: each must not read the whole thread again.
    if (isNew && after !== before) highest.set(after, message.seq === undefined || (last !== undefined && last > message.seq) ? last : message.seq)
    $messages.setKey(id, after)
    // Sequence numbers go up by one: a jump (in an event or in a send's answer) means messages were
    // missed on the way.
    if (last !== undefined && message.seq !== undefined && message.seq > last + 1 && !before.some((m) => m.id === message.id)) {
      void backfill(id, message.seq - last - 1)
    }
    persist.messages([message])
    deps.settle(confirmed)
    const conversation = $conversations.get().find((c) => c.id === id)
    if (conversation && message.createdAt >= conversation.updatedAt) {
      putConversation({ ...conversation, updatedAt: message.createdAt, lastMessage: message })
    }
    deps.touch(id)
    return { shown: confirmed, isNew }
  }

  /** Store a message the backend confirmed (see `store`). */
  const applyMessage = (message: Message): ChatMessage => store(message).shown

  /** Load the newest page of a conversation's history, merged with what is already shown. */
  async function loadLatest(id: string): Promise<void> {
    const { $history, $messages } = stores
    const signal = deps.currentSignal()
    $history.setKey(id, { before: null, after: null, ...$history.get()[id], loading: true })
    try {
      const page = await transport.history(id, { limit: PAGE, signal })
      if (signal.aborted) return
      const shown = $messages.get()[id] ?? []
      const ids = new Set(shown.map((m) => m.id))
      if (page.before !== null && shown.some((m) => m.status === 'sent') && !page.messages.some((m) => ids.has(m.id))) {
        // The newest page does not reach what is shown: showing both would hide the gap between them.
        $messages.setKey(id, shown.filter((m) => m.status !== 'sent'))
      }
      putMessages(id, page.messages)
      // What the cache holds may not join up with this page: page back through the server.
      cachedOlder.delete(id)
      setHistory(id, { loading: false, before: page.before, after: page.after })
    } catch (error) {
      if (signal.aborted) return
      $history.setKey(id, { before: null, after: null, ...$history.get()[id], loading: false })
      report(error, `Could not load the history of conversation ${id}`)
    }
  }

  /**
   * Fetch what was missed while the stream was down, for transports that cannot replay their
   * stream: every loaded conversation (or `only`) is read forward from the newest cursor held.
   */
  async function catchUp(only?: string): Promise<void> {
    const { $history } = stores
    const signal = deps.currentSignal()
    for (const [id, state] of Object.entries($history.get())) {
      if (only !== undefined && id !== only) continue
      let after = state.after
      if (after === null || !transport.capabilities.historyNewer) {
        await loadLatest(id)
        continue
      }
      try {
        // Read forward until a short page says we reached the live end; a gap longer than the
        // guard allows is not worth reading message by message: show the newest page instead.
        let guard = 0
        for (; guard < 20; guard++) {
          const page = await transport.history(id, { after, limit: PAGE, signal })
          if (signal.aborted) return
          putMessages(id, page.messages)
          after = page.after ?? after
          setHistory(id, { ...($history.get()[id] ?? state), after })
          if (page.messages.length < PAGE) break
        }
        if (guard === 20) await loadLatest(id)
      } catch (error) {
        if (signal.aborted) return
        // The backend no longer knows the cursor (410 Gone): start the thread again from its newest page.
        if ((error as { status?: number }).status === 410) await reloadConversation(id)
        else report(error, `Could not catch up conversation ${id}`)
      }
    }
  }

  /** A message arrived for a conversation we did not list (started on another device): fetch it. */
  async function adoptConversation(id: string): Promise<void> {
    const signal = deps.currentSignal()
    try {
      const conversation = await transport.getConversation(id)
      if (signal.aborted) return
      putConversation(conversation)
      if (stores.$activeId.get() === null && conversation.mode === deps.mode) stores.$activeId.set(id)
    } catch (error) {
      if (!signal.aborted) report(error, `Could not load conversation ${id}`)
    }
  }

  /**
   * The backend could not replay what we missed: reload the conversation list and the newest page
   * of every loaded conversation. Unsent messages of the visitor are kept.
   */
  async function reload(): Promise<void> {
    const signal = deps.currentSignal()
    try {
      const page = await transport.listConversations()
      if (signal.aborted) return
      for (const conversation of page.conversations) putConversation(conversation)
    } catch (error) {
      report(error, 'Could not reload conversations')
    }
    for (const id of Object.keys(stores.$history.get())) {
      if (signal.aborted) return
      await reloadConversation(id)
    }
  }

  /**
   * Show a conversation from its newest page again, dropping what was shown of it (it may hide a
   * gap); the visitor's unsent messages stay.
   */
  async function reloadConversation(id: string): Promise<void> {
    const { $messages } = stores
    $messages.setKey(id, ($messages.get()[id] ?? []).filter((m) => m.status !== 'sent'))
    cachedOlder.delete(id)
    await loadLatest(id)
  }

  /** Show messages read from the cache; older ones may still be there. */
  function showCached(id: string, messages: Message[]): void {
    cachedOlder.add(id)
    stores.$messages.setKey(id, mergeMessages(stores.$messages.get()[id] ?? [], messages))
    // Another tab may have stored these after this tab's index was built.
    persist.announce(messages)
  }

  return {
    report,
    putConversation,
    saveHistory,
    applyMessage,
    loadLatest,
    catchUp,
    reload,
    showCached,

    /** Whether the cache may hold older messages of `id` than those shown. */
    hasCached: (id: string) => cachedOlder.has(id),

    /**
     * Load the page before the oldest message shown: from the device's cache while it has older
     * messages (this works offline), then from the server. Resolves to `false` when the start of
     * the conversation is already loaded (or a page is loading).
     */
    async loadOlder(id: string): Promise<boolean> {
      const { $history, $messages } = stores
      const state = $history.get()[id]
      if (!state || state.loading) return false
      const signal = deps.currentSignal()
      const oldest = ($messages.get()[id] ?? []).find((m) => m.status === 'sent')
      if (cachedOlder.has(id) && oldest) {
        const cached = await deps.cache().older(id, oldest, PAGE)
        if (signal.aborted) return false
        if (cached.length < PAGE) cachedOlder.delete(id)
        if (cached.length > 0) {
          showCached(id, cached)
          return true
        }
      }
      if (state.before === null) return false
      $history.setKey(id, { ...state, loading: true })
      try {
        const page = await transport.history(id, { before: state.before, limit: PAGE, signal })
        if (signal.aborted) return false
        putMessages(id, page.messages)
        setHistory(id, { ...state, loading: false, before: page.before })
        return true
      } catch (error) {
        if (!signal.aborted) {
          $history.setKey(id, { ...state, loading: false })
          report(error, `Could not load older messages of conversation ${id}`)
        }
        return false
      }
    },

    /**
     * After a merge, keep only the conversations the backend lists for the user (a stale resume key
     * merges nothing), and save them, their messages and where the customer was under the user.
     * Returns the unsent messages of the threads dropped.
     */
    keepListed(listed: Conversation[], lastActivity: number | undefined): ChatMessage[] {
      const ids = new Set(listed.map((c) => c.id))
      stores.$conversations.set(stores.$conversations.get().filter((c) => ids.has(c.id)))
      const dropped: ChatMessage[] = []
      for (const [id, list] of Object.entries(stores.$messages.get())) {
        if (ids.has(id)) {
          persist.messages(list)
          continue
        }
        stores.$messages.setKey(id, undefined as never)
        dropped.push(...list.filter((m) => m.status !== 'sent' && m.clientId))
      }
      if (!ids.has(stores.$activeId.get() ?? '')) stores.$activeId.set(null)
      persist.meta({ activeId: stores.$activeId.get(), lastActivity })
      saveHistory()
      return dropped
    },

    /** The conversation to show first: the newest open one of the client's mode. */
    pickActive: (conversations: Conversation[]) => conversations.find((c) => c.mode === deps.mode && c.status === 'open'),

    /** Show what a cache snapshot holds, under anything already shown. */
    paint(snapshot: CacheSnapshot): void {
      for (const conversation of snapshot.conversations) upsertConversation(stores, conversation)
      for (const [id, messages] of Object.entries(snapshot.messages)) {
        stores.$messages.setKey(id, mergeMessages(stores.$messages.get()[id] ?? [], messages))
        cachedOlder.add(id)
      }
      for (const [id, cursors] of Object.entries(snapshot.meta.history ?? {})) {
        if (!stores.$history.get()[id]) stores.$history.setKey(id, { loading: false, ...cursors })
      }
      // Unsent messages show where they were, and go out again with the same ids.
      for (const entry of snapshot.outbox) {
        stores.$messages.setKey(entry.conversationId, upsertMessage(stores.$messages.get()[entry.conversationId] ?? [], entry))
      }
      const active = snapshot.meta.activeId
      if (stores.$activeId.get() === null && active && snapshot.conversations.some((c) => c.id === active)) {
        stores.$activeId.set(active)
      }
    },

    /** Apply one event from the transport to the stores. */
    applyEvent(event: TransportEvent): void {
      switch (event.type) {
        case 'message': {
          const { message } = event
          const known = stores.$conversations.get().some((c) => c.id === message.conversationId)
          const { shown, isNew } = store(message)
          if (message.author.role !== 'visitor') {
            deps.showTyping(message.conversationId, undefined)
            if (isNew) {
              deps.countUnread(message.conversationId, shown)
              emitter.emit('message', shown)
            }
          }
          if (!known) void adoptConversation(message.conversationId)
          break
        }
        case 'conversation':
          putConversation(event.conversation)
          deps.conversationChanged(event.conversation)
          emitter.emit('conversation', event.conversation)
          break
        case 'typing':
          deps.showTyping(event.conversationId, event.typing ? event.author : undefined)
          break
        case 'read':
          emitter.emit('read', event)
          break
        case 'status': {
          const previous = stores.$status.get()
          stores.$status.set(event.status)
          emitter.emit('status', event.status)
          if (event.status === 'online' && previous === 'reconnecting' && !transport.capabilities.streamResume) {
            void catchUp()
          }
          break
        }
        case 'error':
          report(event.error, 'The transport reported an error')
          break
        case 'reset':
          void reload()
          break
        case 'session':
          deps.sessionChanged(event.session)
          stores.$session.set(event.session)
          break
        default:
          report(createError('malformed-event', 'Unknown event type', { data: event }), 'Unknown event')
      }
    },

    /** The person's data is gone, or another person's opens: nothing here is theirs. */
    reset(): void {
      backfills.clear()
      cachedOlder.clear()
    }
  }
}
