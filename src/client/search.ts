import type { SearchEngine } from '../search/engine.js'
import type { SearchIndex } from '../search/index.js'
import { IDLE_SEARCH, mergeMessages, type SearchResult } from '../store/index.js'
import type { Message } from '../transports/types.js'
import type { ClientContext } from './context.js'
import { loadOlder } from './sync.js'

/** The index of the current person's history, built on the first search and kept current after. */
export interface SearchSetup {
  engine: SearchEngine
  index: SearchIndex
  stop: () => void
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
 * Build the index once per person: every message the device holds, then every confirmed message as
 * it arrives or loads (the persister tells of each).
 */
function indexFor(ctx: ClientContext): Promise<SearchSetup> {
  ctx.search ??= (async () => {
    const engine = await ctx.loadSearch()
    // The person's history must be open first, or the index would start from nothing.
    await ctx.conn.painting?.catch(() => undefined)
    const index = engine.createSearchIndex()
    const stop = ctx.persist.watch((messages) => index.add(messages))
    index.add(await ctx.cache.all())
    // What is shown but not stored (a memory-only device, pages not yet written).
    for (const list of Object.values(ctx.stores.$messages.get())) index.add(list.filter((m) => m.status === 'sent'))
    return { engine, index, stop }
  })()
  // A failed load (offline, blocked script) must not stick: the next search tries again.
  ctx.search.catch(() => (ctx.search = undefined))
  return ctx.search
}

/**
 * Forget the index: the person's data is gone (and searches under way are dropped), or another
 * person's history was just opened (`cancel` false: a search waiting for that opens goes on).
 */
export function dropSearch(ctx: ClientContext, cancel = true): void {
  void ctx.search?.then(({ stop }) => stop(), () => undefined)
  ctx.search = undefined
  if (cancel) ctx.searchRun++
}

/**
 * Search the person's history on the device (works offline), then, where the transport can, the
 * backend's archive for what the device never held; results found only there are marked `'server'`.
 */
export async function search(ctx: ClientContext, query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
  const { $search } = ctx.stores
  const run = ++ctx.searchRun
  const { limit = 20, conversationId } = options
  if (query.trim() === '') {
    $search.set(IDLE_SEARCH)
    return []
  }
  $search.set({ ...$search.get(), query, status: 'searching' })
  let setup: SearchSetup
  try {
    setup = await indexFor(ctx)
  } catch (error) {
    // The engine could not load (offline before its first use, a blocked script): say so, not "searching".
    if (run === ctx.searchRun) $search.set({ query, status: 'done', results: [], archive: 'none' })
    throw error
  }
  const { engine, index } = setup
  if (run !== ctx.searchRun) return []
  const scope = conversationId === undefined ? { limit } : { limit, conversationId }
  let results: SearchResult[] = index.search(query, scope).map(({ message, score, ranges }) => ({
    message,
    score,
    snippet: engine.snippet(message.text, ranges),
    source: 'device'
  }))
  const archive = options.archive !== false && ctx.transport.capabilities.search && ctx.transport.searchArchive
  $search.set({ query, status: 'done', results, archive: archive ? 'searching' : 'none' })
  if (!archive) return results
  try {
    const hits = await archive.call(ctx.transport, query, scope)
    if (run !== ctx.searchRun) return results
    // Everything the device holds that matches, not only its best `limit`: those are not "archive".
    const seen = new Set(
      index.search(query, { ...scope, limit: index.size }).map((h) => `${h.message.conversationId}\u0000${h.message.id}`)
    )
    for (const { message } of hits) {
      const key = `${message.conversationId}\u0000${message.id}`
      if (seen.has(key)) continue
      seen.add(key)
      // The archive says which messages match, not where: find the words with a one-message index.
      const one = engine.createSearchIndex()
      one.add([message])
      results = [...results, { message, score: 0, snippet: engine.snippet(message.text, one.search(query)[0]?.ranges ?? []), source: 'server' }]
    }
    $search.set({ query, status: 'done', results, archive: 'done' })
  } catch {
    if (run === ctx.searchRun) $search.set({ query, status: 'done', results, archive: 'failed' })
  }
  return results
}

/**
 * Open the thread of a search result with the messages around it loaded (paging back through the
 * device's history, then the server's), and mark it in `$highlight`.
 */
export async function jumpTo(
  ctx: ClientContext,
  message: Message,
  open: (id: string) => Promise<void>
): Promise<void> {
  const { $messages, $highlight, $history } = ctx.stores
  const id = message.conversationId
  const generation = ctx.generation
  const jump = ++ctx.jumpRun
  // A wipe or a newer jump meanwhile: this one must leave the stores alone.
  const stale = () => generation !== ctx.generation || jump !== ctx.jumpRun
  const shown = () => ($messages.get()[id] ?? []).some((m) => m.id === message.id)
  await open(id)
  for (let page = 0; page < 200 && !stale() && !shown(); page++) {
    if (await loadOlder(ctx, id)) continue
    // A page already loading (a sync under way) is waited for; the start of the thread ends the search.
    if (!$history.get()[id]?.loading) break
    await new Promise((resolve) => ctx.timers.setTimeout(resolve as () => void, 50))
  }
  if (stale()) return
  // Older than anything that pages in (an archive hit past the server's paging): show it in place.
  if (!shown()) $messages.setKey(id, mergeMessages($messages.get()[id] ?? [], [message]))
  $highlight.set(message.id)
}
