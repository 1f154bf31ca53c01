import { personOf } from '../cache/partition.js'
import { toConfabError } from '../errors/index.js'
import { backoffDelay } from '../util/backoff.js'
import { armExpiry, isExpired } from './chat.js'
import type { ClientContext } from './context.js'
import { discard, paint, usePerson } from './person.js'
import { dropSearch } from './search.js'
import { drain, toEntry } from './send.js'
import { applyEvent, catchUp, loadLatest, pickActive, putConversation, saveHistory } from './sync.js'
import { resetStores } from '../store/index.js'
import type { Conversation } from '../transports/types.js'

/** Stop the connection and every timer; work in flight is ignored from now on. */
export function disconnect(ctx: ClientContext): void {
  ctx.generation++
  const { conn } = ctx
  conn.stop?.()
  conn.stop = undefined
  conn.connecting = undefined
  if (conn.retryTimer !== undefined) ctx.timers.clearTimeout(conn.retryTimer)
  if (conn.expiryTimer !== undefined) ctx.timers.clearTimeout(conn.expiryTimer)
  conn.retryTimer = conn.expiryTimer = undefined
  // A connect() waiting out its backoff, and sends waiting for theirs, settle now instead of never.
  conn.wake?.()
  for (const wake of [...ctx.wakers]) wake()
  // Sends under way belong to the stopped session: the next start drains the outbox afresh.
  ctx.sending.clear()
  ctx.sendQueues.clear()
  // Sends still waiting for the stopped session do not hold up the next one's.
  ctx.turns = Promise.resolve()
  ctx.openTurns = []
  ctx.held = undefined
  try {
    ctx.transport.close()
  } catch (error) {
    ctx.emitter.emit('error', toConfabError(error, 'The transport failed to close'))
  }
  ctx.stores.$status.set('idle')
}

/**
 * Paint the person this device last showed, before the network answers (or with no network at all).
 * Data that must not be shown goes instead: a user's, when the page boots without that user's
 * identity (they signed out), and a chat session idle past its timeout.
 */
async function paintFromCache(ctx: ClientContext, generation: number): Promise<void> {
  const person = ctx.pointer.get()
  if (!person || ctx.person !== null) return
  const mine = ctx.identity ? person === `u-${ctx.identity.id}` || person.startsWith('v-') : person.startsWith('v-')
  if (!mine) return discard(ctx, person, 'switched')
  if (!(await usePerson(ctx, person, generation))) return
  const snapshot = await ctx.cache.load({ messagesPerConversation: 50 })
  if (generation !== ctx.generation) return
  const since = snapshot.meta.lastActivity
  if (isExpired(ctx, since)) {
    ctx.person = null
    ctx.cache.close()
    return discard(ctx, person, 'expired')
  }
  paint(ctx, snapshot)
  if (ctx.mode === 'chat' && since !== undefined) armExpiry(ctx, since)
}

/**
 * After a merge, keep only the conversations the backend lists for the user (a stale resume key
 * merges nothing), and save them, their messages and where the customer was under the user.
 */
function keepListed(ctx: ClientContext, listed: Conversation[]): void {
  const { stores } = ctx
  const ids = new Set(listed.map((c) => c.id))
  stores.$conversations.set(stores.$conversations.get().filter((c) => ids.has(c.id)))
  const dropped: string[] = []
  for (const [id, list] of Object.entries(stores.$messages.get())) {
    if (ids.has(id)) {
      ctx.persist.messages(list)
      continue
    }
    stores.$messages.setKey(id, undefined as never)
    // A thread the user does not have: its unsent messages cannot go, and their `send()` ends.
    for (const m of list) {
      if (m.status === 'sent' || !m.clientId) continue
      dropped.push(m.clientId)
      ctx.settlers.get(m.clientId)?.(m)
      ctx.settlers.delete(m.clientId)
    }
  }
  if (dropped.length) void ctx.cache.write({ unqueue: dropped })
  if (!ids.has(stores.$activeId.get() ?? '')) stores.$activeId.set(null)
  ctx.persist.meta({ activeId: stores.$activeId.get(), lastActivity: ctx.conn.lastActivity })
  saveHistory(ctx)
}

/**
 * Connect: paint from the cache, start or resume the session (moving to the person the backend
 * names), open the stream, then bring conversations and the open thread up to date. Retries
 * retryable failures with backoff until it succeeds or the client stops.
 */
export async function start(ctx: ClientContext, generation: number, attempt: number): Promise<void> {
  const { stores, transport, emitter } = ctx
  stores.$status.set(attempt === 0 ? 'connecting' : 'reconnecting')
  try {
    if (attempt === 0) await (ctx.conn.painting = paintFromCache(ctx, generation))
    if (generation !== ctx.generation) return
    const identity = ctx.identity
    const session = await transport.connect({
      resumeKey: ctx.keys.get() ?? undefined,
      identity: identity && {
        token: identity.token,
        refresh: identity.refresh && (async () => (identity.token = await identity.refresh!()))
      }
    })
    if (generation !== ctx.generation) return
    const person = personOf(session)
    const previous = ctx.person
    // An anonymous visitor who just identified: the backend moved their threads to the user, so
    // what is shown stays (pruned below to what the backend lists) and is saved under the user.
    let merged = false
    if (previous !== null && previous !== person) {
      merged = previous.startsWith('v-') && person.startsWith('u-')
      const old = ctx.cache
      ctx.person = null
      if (!(await usePerson(ctx, person, generation))) return
      // Unsent messages move to the user before the visitor's database goes: never without a copy.
      if (merged) await ctx.cache.write({ outbox: unsent(ctx).map(toEntry) })
      ctx.channel.post({ type: 'wipe', person: previous, reason: 'switched' })
      await old.destroy()
      if (!merged) {
        // Another person: nothing of the previous one may show, a search under way included.
        dropSearch(ctx)
        resetStores(stores)
      }
      paint(ctx, await ctx.cache.load({ messagesPerConversation: 50 }))
    } else if (await usePerson(ctx, person, generation)) {
      paint(ctx, await ctx.cache.load({ messagesPerConversation: 50 }))
    }
    if (generation !== ctx.generation) return
    if (session.identified || session.resumeKey === undefined) ctx.keys.remove()
    else ctx.keys.set(session.resumeKey)
    stores.$session.set(session)

    // Subscribe before reading, so nothing that happens in between is missed; merging by id
    // makes an event that is also in a page harmless. A retry replaces the previous stream.
    await ctx.leaderReady
    if (generation !== ctx.generation) return
    openStream(ctx, generation)
    const page = await transport.listConversations()
    if (generation !== ctx.generation) return
    for (const conversation of page.conversations) putConversation(ctx, conversation)
    if (merged) keepListed(ctx, page.conversations)
    const active = stores.$activeId.get() ?? pickActive(ctx, page.conversations)?.id ?? null
    stores.$activeId.set(active)
    if (active !== null) {
      // A thread painted from the cache is read forward from its cursor, which fills the gap
      // since the last visit; a thread we know nothing of starts from its newest page.
      if (stores.$history.get()[active]?.after) await catchUp(ctx, active)
      else await loadLatest(ctx, active)
    }
    if (generation !== ctx.generation) return
    // The leader sends what waits in the outbox; another tab's leader relays the connection state.
    if (stores.$leader.get()) void drain(ctx)
    else {
      if (stores.$status.get() !== 'online') stores.$status.set('online')
      ctx.channel.post({ type: 'hello', person: ctx.person! })
    }
    emitter.emit('ready', session)
  } catch (caught) {
    if (generation !== ctx.generation) return
    const error = toConfabError(caught, `Could not connect through the ${transport.name} transport`)
    emitter.emit('error', error)
    if (!error.retryable) {
      stores.$status.set('idle')
      ctx.conn.connecting = undefined
      throw error
    }
    await new Promise<void>((resolve) => {
      ctx.conn.wake = resolve
      ctx.conn.retryTimer = ctx.timers.setTimeout(resolve, backoffDelay(attempt, { random: ctx.random }))
    })
    ctx.conn.wake = undefined
    if (generation === ctx.generation) return start(ctx, generation, attempt + 1)
  }
}

/**
 * Open the realtime stream when this tab leads (replacing any previous one), resuming after the
 * last event applied; every event is applied here and relayed to the other tabs.
 */
export function openStream(ctx: ClientContext, generation: number): void {
  ctx.conn.stop?.()
  ctx.conn.stop = undefined
  if (!ctx.stores.$leader.get()) return
  ctx.conn.stop = ctx.transport.subscribe(
    (event) => {
      if (generation !== ctx.generation) return
      if (event.cursor !== undefined) {
        ctx.conn.cursor = event.cursor
        ctx.persist.meta({ streamCursor: event.cursor })
      }
      applyEvent(ctx, event)
      if (ctx.person !== null && event.type !== 'error' && event.type !== 'session') {
        ctx.channel.post({ type: 'event', person: ctx.person, event })
      }
    },
    ctx.conn.cursor === undefined ? {} : { cursor: ctx.conn.cursor }
  )
}

/** The visitor's messages shown but not confirmed, in every conversation. */
const unsent = (ctx: ClientContext) =>
  Object.values(ctx.stores.$messages.get()).flatMap((list) => list.filter((m) => m.status !== 'sent' && m.clientId))
