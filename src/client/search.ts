import type { SearchEngine } from '../search/engine.js'
import type { SearchIndex } from '../search/index.js'
import { IDLE_SEARCH, mergeMessages, type SearchResult } from '../store/index.js'
import type { Cache } from '../cache/types.js'
import type { Message, Transport } from '../transports/types.js'
import type { Timers } from '../util/timers.js'
import type { ClientStores } from '../store/index.js'
import type { SearchOptions } from './api.js'
import type { Persister } from './persist.js'

/** The index of the current person's history, built on the first search and kept current after. */
export interface SearchSetup {
  engine: SearchEngine
  index: SearchIndex
  stop: () => void
}

/** What searching needs from the client around it. */
export interface SearchDeps {
  stores: ClientStores
  transport: Transport
  persist: Persister
  timers: Timers
  /** Loads the search module on first use. */
  load: () => Promise<SearchEngine>
  /** The current person's cache. */
  cache: () => Cache
  /** Painting from the cache under way, if it is: the index waits for the person's history to open. */
  painting: () => Promise<void> | undefined
  /** The current session's signal: a jump started before a stop leaves the stores alone. */
  currentSignal: () => AbortSignal
  /** Show a conversation (as `client.openConversation`). */
  open: (id: string) => Promise<void>
  /** Load the page before the oldest message shown (as `client.loadOlder`). */
  loadOlder: (id: string) => Promise<boolean>
}

/** Search of the customer's history (see `createSearch`). */
export type Search = ReturnType<typeof createSearch>

/**
 * Search of the customer's history: an index of what the device holds, built on the first search
 * and kept current after, then the backend's archive where the transport has one.
 *
 * @example
 * const search = createSearch({ stores, transport, persist, timers, load: loadSearchEngine,
 *   cache: () => cache, painting: () => undefined, currentSignal: () => life.signal, open, loadOlder })
 * await search.search('refund')
 */
export function createSearch(deps: SearchDeps) {
  const { stores } = deps
  /** The index of the current person, once a search asked for it. */
  let setup: Promise<SearchSetup> | undefined
  /** Bumped by every search and wipe, so a slow search does not overwrite a newer one. */
  let searches = 0
  /** Bumped by every jump to a search result, so a slow one does not take over a newer one. */
  let jumps = 0

  /**
   * Build the index once per person: every message the device holds, then every confirmed message
   * as it arrives or loads (the persister tells of each).
   */
  function indexFor(): Promise<SearchSetup> {
    const building = (setup ??= (async () => {
      const engine = await deps.load()
      // The person's history must be open first, or the index would start from nothing.
      await deps.painting()?.catch(() => undefined)
      const index = engine.createSearchIndex()
      const stop = deps.persist.watch((messages) => index.add(messages))
      index.add(await deps.cache().all())
      // What is shown but not stored (a memory-only device, pages not yet written).
      for (const list of Object.values(stores.$messages.get())) index.add(list.filter((m) => m.status === 'sent'))
      return { engine, index, stop }
    })())
    // A failed load (offline, blocked script) must not stick: the next search tries again.
    building.catch(() => {
      if (setup === building) setup = undefined
    })
    return building
  }

  return {
    /**
     * Forget the index: the person's data is gone (and searches under way are dropped), or another
     * person's history was just opened (`cancel` false: a search waiting for that opening goes on).
     */
    drop(cancel = true): void {
      void setup?.then(({ stop }) => stop(), () => undefined)
      setup = undefined
      if (cancel) searches++
    },

    /**
     * Search the person's history on the device (works offline), then, where the transport can,
     * the backend's archive for what the device never held; results found only there are marked
     * `'server'`.
     */
    async search(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
      const { $search } = stores
      const run = ++searches
      const signal = deps.currentSignal()
      const { limit = 20, conversationId } = options
      if (query.trim() === '') {
        $search.set(IDLE_SEARCH)
        return []
      }
      $search.set({ ...$search.get(), query, status: 'searching' })
      let ready: SearchSetup
      try {
        ready = await indexFor()
      } catch (error) {
        // The engine could not load (offline before its first use, a blocked script): say so, not "searching".
        if (run === searches) $search.set({ query, status: 'done', results: [], archive: 'none' })
        throw error
      }
      const { engine, index } = ready
      if (run !== searches) return []
      const scope = conversationId === undefined ? { limit } : { limit, conversationId }
      // Snippets are cut from the words the index read: plain text, never markup.
      let results: SearchResult[] = index.search(query, scope).map(({ message, text, score, ranges }) => ({
        message,
        score,
        snippet: engine.snippet(text, ranges),
        source: 'device'
      }))
      const { transport } = deps
      const archive = options.archive !== false && transport.capabilities.search && transport.searchArchive
      $search.set({ query, status: 'done', results, archive: archive ? 'searching' : 'none' })
      if (!archive) return results
      try {
        const hits = await archive.call(transport, query, { ...scope, signal })
        if (run !== searches) return results
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
          const found = one.search(query)[0] ?? { text: one.textOf(message), ranges: [] }
          results = [...results, { message, score: 0, snippet: engine.snippet(found.text, found.ranges), source: 'server' }]
        }
        $search.set({ query, status: 'done', results, archive: 'done' })
      } catch {
        if (run === searches) $search.set({ query, status: 'done', results, archive: 'failed' })
      }
      return results
    },

    /**
     * Open the thread of a search result with the messages around it loaded (paging back through
     * the device's history, then the server's), and mark it in `$highlight`.
     */
    async jumpTo(message: Message): Promise<void> {
      const { $messages, $highlight, $history } = stores
      const id = message.conversationId
      const signal = deps.currentSignal()
      const jump = ++jumps
      // A stop or a newer jump meanwhile: this one must leave the stores alone.
      const stale = () => signal.aborted || jump !== jumps
      const shown = () => ($messages.get()[id] ?? []).some((m) => m.id === message.id)
      await deps.open(id)
      for (let page = 0; page < 200 && !stale() && !shown(); page++) {
        if (await deps.loadOlder(id)) continue
        // A page already loading (a sync under way) is waited for; the start of the thread ends the search.
        if (!$history.get()[id]?.loading) break
        await new Promise((resolve) => deps.timers.setTimeout(resolve as () => void, 50))
      }
      if (stale()) return
      // Older than anything that pages in (an archive hit past the server's paging): show it in place.
      if (!shown()) $messages.setKey(id, mergeMessages($messages.get()[id] ?? [], [message]))
      $highlight.set(message.id)
    }
  }
}
