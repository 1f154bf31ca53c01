import { createError, toConfabError } from '../errors/index.js'
import { mergeMessages, upsertConversation, upsertMessage, type ChatMessage } from '../store/index.js'
import type { Conversation, Message, TransportEvent } from '../transports/types.js'
import type { HistoryState } from '../store/index.js'
import { countUnread } from './unread.js'
import { conversationChanged, touch } from './chat.js'
import type { ClientContext } from './context.js'

const PAGE = 30
/** Missing messages beyond which a gap is not read message by message: the thread reloads instead. */
const GAP_LIMIT = 100

/** Tell a `send()` waiting for this message how it ended. */
export function settle(ctx: ClientContext, message: ChatMessage): void {
  if (message.status !== 'sent' && message.status !== 'failed') return
  const done = message.clientId === undefined ? undefined : ctx.settlers.get(message.clientId)
  if (!done) return
  ctx.settlers.delete(message.clientId!)
  done(message)
}

/** The highest sequence number among the confirmed messages shown of a conversation. */
function lastSeq(list: readonly ChatMessage[]): number | undefined {
  let last: number | undefined
  for (const m of list) if (m.status === 'sent' && m.seq !== undefined && (last === undefined || m.seq > last)) last = m.seq
  return last
}

/**
 * Fill a gap in a conversation: read forward from the newest cursor held, one backfill in flight per
 * conversation (a gap found meanwhile runs it once more); a gap too large reloads the thread.
 */
export async function backfill(ctx: ClientContext, id: string, missing: number): Promise<void> {
  if (ctx.backfills.has(id)) {
    ctx.backfills.set(id, true)
    return
  }
  ctx.backfills.set(id, false)
  const generation = ctx.generation
  try {
    // Without reading forward from a cursor, only the newest page can fill it: start from there.
    const forward = ctx.transport.capabilities.historyNewer && ctx.stores.$history.get()[id]?.after
    if (missing > GAP_LIMIT || !forward) await reloadConversation(ctx, id)
    else await catchUp(ctx, id)
  } finally {
    const again = ctx.backfills.get(id)
    ctx.backfills.delete(id)
    if (again && generation === ctx.generation) void backfill(ctx, id, 1)
  }
}

/** Insert or replace a conversation in the stores and queue it for the cache. */
export function putConversation(ctx: ClientContext, conversation: Conversation): void {
  upsertConversation(ctx.stores, conversation)
  ctx.persist.conversations([conversation])
}

/** Merge messages into a conversation's list and queue them for the cache. */
function putMessages(ctx: ClientContext, id: string, messages: Message[]): void {
  const { $messages } = ctx.stores
  $messages.setKey(id, mergeMessages($messages.get()[id] ?? [], messages))
  ctx.persist.messages(messages)
}

/** Update a conversation's paging state, keeping the cursors in the cache. */
export function setHistory(ctx: ClientContext, id: string, state: HistoryState): void {
  const { $history } = ctx.stores
  const previous = $history.get()[id]
  $history.setKey(id, state)
  if (previous?.before !== state.before || previous?.after !== state.after) saveHistory(ctx)
}

/** Queue every conversation's history cursors for the cache. */
export function saveHistory(ctx: ClientContext): void {
  const history: Record<string, { before: string | null; after: string | null }> = {}
  for (const [key, value] of Object.entries(ctx.stores.$history.get())) history[key] = { before: value.before, after: value.after }
  ctx.persist.meta({ history })
}

/** Report an error through the `error` event, as a `ConfabError`. */
export function report(ctx: ClientContext, error: unknown, message: string): void {
  ctx.emitter.emit('error', toConfabError(error, message))
}

/** Store a message the backend confirmed, and move its conversation's preview along. */
export function applyMessage(ctx: ClientContext, message: Message): ChatMessage {
  const { $messages, $conversations } = ctx.stores
  const confirmed: ChatMessage = { ...message, status: 'sent' }
  const id = message.conversationId
  const before = $messages.get()[id] ?? []
  const last = lastSeq(before)
  $messages.setKey(id, upsertMessage(before, confirmed))
  // Sequence numbers go up by one: a jump (in an event or in a send's answer) means messages were
  // missed on the way.
  if (last !== undefined && message.seq !== undefined && message.seq > last + 1 && !before.some((m) => m.id === message.id)) {
    void backfill(ctx, id, message.seq - last - 1)
  }
  ctx.persist.messages([message])
  settle(ctx, confirmed)
  const conversation = $conversations.get().find((c) => c.id === id)
  if (conversation && message.createdAt >= conversation.updatedAt) {
    putConversation(ctx, { ...conversation, updatedAt: message.createdAt, lastMessage: message })
  }
  touch(ctx, id)
  return confirmed
}

/** Load the newest page of a conversation's history, merged with what is already shown. */
export async function loadLatest(ctx: ClientContext, id: string): Promise<void> {
  const { $history, $messages } = ctx.stores
  const generation = ctx.generation
  $history.setKey(id, { before: null, after: null, ...$history.get()[id], loading: true })
  try {
    const page = await ctx.transport.history(id, { limit: PAGE })
    if (generation !== ctx.generation) return
    const shown = $messages.get()[id] ?? []
    const ids = new Set(shown.map((m) => m.id))
    if (page.before !== null && shown.some((m) => m.status === 'sent') && !page.messages.some((m) => ids.has(m.id))) {
      // The newest page does not reach what is shown: showing both would hide the gap between them.
      $messages.setKey(id, shown.filter((m) => m.status !== 'sent'))
    }
    putMessages(ctx, id, page.messages)
    // What the cache holds may not join up with this page: page back through the server.
    ctx.cachedOlder.delete(id)
    setHistory(ctx, id, { loading: false, before: page.before, after: page.after })
  } catch (error) {
    if (generation !== ctx.generation) return
    $history.setKey(id, { before: null, after: null, ...$history.get()[id], loading: false })
    report(ctx, error, `Could not load the history of conversation ${id}`)
  }
}

/**
 * Load the page before the oldest message shown: from the device's cache while it has older
 * messages (this works offline), then from the server. Resolves to `false` when the start of the
 * conversation is already loaded (or a page is loading).
 */
export async function loadOlder(ctx: ClientContext, id: string): Promise<boolean> {
  const { $history, $messages } = ctx.stores
  const state = $history.get()[id]
  if (!state || state.loading) return false
  const generation = ctx.generation
  const oldest = ($messages.get()[id] ?? []).find((m) => m.status === 'sent')
  if (ctx.cachedOlder.has(id) && oldest) {
    const cached = await ctx.cache.older(id, oldest, PAGE)
    if (generation !== ctx.generation) return false
    if (cached.length < PAGE) ctx.cachedOlder.delete(id)
    if (cached.length > 0) {
      $messages.setKey(id, mergeMessages($messages.get()[id] ?? [], cached))
      // Another tab may have stored these after this tab's index was built.
      ctx.persist.announce(cached)
      return true
    }
  }
  if (state.before === null) return false
  $history.setKey(id, { ...state, loading: true })
  try {
    const page = await ctx.transport.history(id, { before: state.before, limit: PAGE })
    if (generation !== ctx.generation) return false
    putMessages(ctx, id, page.messages)
    setHistory(ctx, id, { ...state, loading: false, before: page.before })
    return true
  } catch (error) {
    if (generation === ctx.generation) {
      $history.setKey(id, { ...state, loading: false })
      report(ctx, error, `Could not load older messages of conversation ${id}`)
    }
    return false
  }
}

/**
 * Fetch what was missed while the stream was down, for transports that cannot replay their stream:
 * every loaded conversation is read forward from the newest cursor we hold.
 */
export async function catchUp(ctx: ClientContext, only?: string): Promise<void> {
  const { $history } = ctx.stores
  const generation = ctx.generation
  for (const [id, state] of Object.entries($history.get())) {
    if (only !== undefined && id !== only) continue
    let after = state.after
    if (after === null || !ctx.transport.capabilities.historyNewer) {
      await loadLatest(ctx, id)
      continue
    }
    try {
      // Read forward until a short page says we reached the live end; a gap longer than the
      // guard allows is not worth reading message by message: show the newest page instead.
      let guard = 0
      for (; guard < 20; guard++) {
        const page = await ctx.transport.history(id, { after, limit: PAGE })
        if (generation !== ctx.generation) return
        putMessages(ctx, id, page.messages)
        after = page.after ?? after
        setHistory(ctx, id, { ...($history.get()[id] ?? state), after })
        if (page.messages.length < PAGE) break
      }
      if (guard === 20) await loadLatest(ctx, id)
    } catch (error) {
      // The backend no longer knows the cursor (410 Gone): start the thread again from its newest page.
      if ((error as { status?: number }).status === 410) await reloadConversation(ctx, id)
      else report(ctx, error, `Could not catch up conversation ${id}`)
    }
  }
}

/** The conversation to show first: the newest open one of the client's mode. */
export function pickActive(ctx: ClientContext, conversations: Conversation[]): Conversation | undefined {
  return conversations.find((c) => c.mode === ctx.mode && c.status === 'open')
}

/** Apply one event from the transport to the stores. */
export function applyEvent(ctx: ClientContext, event: TransportEvent): void {
  const { stores, emitter } = ctx
  switch (event.type) {
    case 'message': {
      const { message } = event
      const known = stores.$conversations.get().some((c) => c.id === message.conversationId)
      const before = stores.$messages.get()[message.conversationId] ?? []
      const isNew = !before.some((m) => m.id === message.id || (message.clientId && m.clientId === message.clientId))
      const shown = applyMessage(ctx, message)
      if (message.author.role !== 'visitor') {
        stores.$typing.setKey(message.conversationId, undefined)
        if (isNew) {
          countUnread(ctx, message.conversationId)
          emitter.emit('message', shown)
        }
      }
      if (!known) void adoptConversation(ctx, message.conversationId)
      break
    }
    case 'conversation':
      putConversation(ctx, event.conversation)
      conversationChanged(ctx, event.conversation)
      emitter.emit('conversation', event.conversation)
      break
    case 'typing':
      stores.$typing.setKey(event.conversationId, event.typing ? event.author : undefined)
      break
    case 'read':
      emitter.emit('read', event)
      break
    case 'status': {
      const previous = stores.$status.get()
      stores.$status.set(event.status)
      emitter.emit('status', event.status)
      if (event.status === 'online' && previous === 'reconnecting' && !ctx.transport.capabilities.streamResume) {
        void catchUp(ctx)
      }
      break
    }
    case 'error':
      report(ctx, event.error, 'The transport reported an error')
      break
    case 'reset':
      void reload(ctx)
      break
    case 'session':
      // Keep the key that resumes this visitor on the next visit.
      if (event.session.resumeKey && !event.session.identified) ctx.keys.set(event.session.resumeKey)
      stores.$session.set(event.session)
      break
    default:
      report(ctx, createError('malformed-event', 'Unknown event type', { data: event }), 'Unknown event')
  }
}

/** A message arrived for a conversation we did not list (started on another device): fetch it. */
async function adoptConversation(ctx: ClientContext, id: string): Promise<void> {
  const generation = ctx.generation
  try {
    const conversation = await ctx.transport.getConversation(id)
    if (generation !== ctx.generation) return
    putConversation(ctx, conversation)
    if (ctx.stores.$activeId.get() === null && conversation.mode === ctx.mode) ctx.stores.$activeId.set(id)
  } catch (error) {
    if (generation === ctx.generation) report(ctx, error, `Could not load conversation ${id}`)
  }
}

/**
 * The backend could not replay what we missed: reload the conversation list and the newest page of
 * every loaded conversation. Unsent messages of the visitor are kept.
 */
export async function reload(ctx: ClientContext): Promise<void> {
  const { $messages, $history } = ctx.stores
  const generation = ctx.generation
  try {
    const page = await ctx.transport.listConversations()
    if (generation !== ctx.generation) return
    for (const conversation of page.conversations) putConversation(ctx, conversation)
  } catch (error) {
    report(ctx, error, 'Could not reload conversations')
  }
  for (const id of Object.keys($history.get())) {
    if (generation !== ctx.generation) return
    await reloadConversation(ctx, id)
  }
}

/**
 * Show a conversation from its newest page again, dropping what was shown of it (it may hide a
 * gap); the visitor's unsent messages stay.
 */
async function reloadConversation(ctx: ClientContext, id: string): Promise<void> {
  const { $messages } = ctx.stores
  $messages.setKey(id, ($messages.get()[id] ?? []).filter((m) => m.status !== 'sent'))
  ctx.cachedOlder.delete(id)
  await loadLatest(ctx, id)
}
