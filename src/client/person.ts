import { createMemoryCache } from '../cache/memory.js'
import type { CacheSnapshot } from '../cache/types.js'
import { mergeMessages, resetStores, upsertConversation, upsertMessage } from '../store/index.js'
import type { WipeReason } from '../tabs/channel.js'
import type { ClientContext } from './context.js'
import { disconnect } from './connect.js'
import { dropSearch } from './search.js'

/** The placeholder before anyone's data is opened. */
export const NOT_OPENED = 'not opened yet'

/**
 * Make `person` the one whose data the client reads and writes: open their cache (closing the
 * previous one) and remember them on the device. Resolves `true` when the person changed, `false`
 * when they already were the person or when the client stopped meanwhile (`generation` moved on).
 */
export async function usePerson(ctx: ClientContext, person: string, generation = ctx.generation): Promise<boolean> {
  if (ctx.person === person) return false
  await ctx.persist.flush()
  const opened = await ctx.openCache(person)
  if (generation !== ctx.generation) {
    // A shutdown or wipe came first: this person's data must not come back.
    opened.close()
    return false
  }
  ctx.cache.close()
  ctx.cache = opened
  ctx.person = person
  // An index built before the person was known holds nothing of theirs.
  dropSearch(ctx, false)
  ctx.pointer.set(person)
  ctx.stores.$storage.set(
    ctx.cache.persistent ? { persistent: true } : { persistent: false, reason: ctx.cache.reason ?? 'memory only' }
  )
  return true
}

/** Show what a cache snapshot holds, under anything already shown. */
export function paint(ctx: ClientContext, snapshot: CacheSnapshot): void {
  const { stores } = ctx
  for (const conversation of snapshot.conversations) upsertConversation(stores, conversation)
  for (const [id, messages] of Object.entries(snapshot.messages)) {
    stores.$messages.setKey(id, mergeMessages(stores.$messages.get()[id] ?? [], messages))
    ctx.cachedOlder.add(id)
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
  ctx.conn.cursor ??= snapshot.meta.streamCursor
}

/**
 * Forget the current person on this device: stop the connection, delete their database (when this
 * tab is the one deciding), the resume key and the pointer, and empty the stores. With `broadcast`,
 * every other tab showing the same person does the same.
 */
export async function wipe(ctx: ClientContext, reason: WipeReason, broadcast: boolean): Promise<void> {
  // Before the first session opened anything, the device may still hold the last person's data.
  const person = ctx.person ?? ctx.pointer.get()
  const opened = ctx.person !== null
  disconnect(ctx)
  ctx.persist.drop()
  dropSearch(ctx)
  const cache = ctx.cache
  ctx.cache = createMemoryCache(NOT_OPENED)
  ctx.person = null
  ctx.cachedOlder.clear()
  ctx.sendQueues.clear()
  ctx.sending.clear()
  ctx.backfills.clear()
  // `send()` calls still waiting resolve with their message as it was: it went with the data.
  for (const done of ctx.settlers.values()) done()
  ctx.settlers.clear()
  ctx.conn.cursor = undefined
  ctx.conn.lastActivity = undefined
  ctx.keys.remove()
  ctx.pointer.remove()
  resetStores(ctx.stores)
  ctx.stores.$session.set(null)
  if (broadcast) {
    if (person) ctx.channel.post({ type: 'wipe', person, reason })
    await cache.destroy()
    if (!opened && person) await (await ctx.openCache(person)).destroy()
  } else {
    cache.close()
  }
}

/** Delete a person's data that this device should not show (someone else's, or an expired chat). */
export async function discard(ctx: ClientContext, person: string, reason: WipeReason): Promise<void> {
  ctx.channel.post({ type: 'wipe', person, reason })
  const cache = await ctx.openCache(person)
  await cache.destroy()
  ctx.pointer.remove()
  ctx.keys.remove()
}
