import { personOf } from '../cache/partition.js'
import type { ResumeKeyStore } from '../cache/resume-key.js'
import type { Cache, CacheSnapshot } from '../cache/types.js'
import { toConfabError } from '../errors/index.js'
import { resetStores, type ClientStores } from '../store/index.js'
import type { TabChannel, WipeReason } from '../tabs/channel.js'
import type { ConversationMode, Transport, TransportEvent } from '../transports/types.js'
import { backoffDelay } from '../util/backoff.js'
import type { Emitter, Unsubscribe } from '../util/emitter.js'
import type { Timers } from '../util/timers.js'
import type { ClientEvents, Identity } from './api.js'
import type { ChatClock } from './chat.js'
import type { Outbox } from './outbox.js'
import type { Persister } from './persist.js'
import type { RecentEmoji } from './recent.js'
import type { Search } from './search.js'
import type { Sync } from './sync.js'

/** The placeholder cache before anyone's data is opened, and its reason. */
export const NOT_OPENED = 'not opened yet'

/** What the session needs: the client's edges and the behaviours it starts and stops. */
export interface SessionDeps {
  stores: ClientStores
  transport: Transport
  emitter: Emitter<ClientEvents>
  channel: TabChannel
  timers: Timers
  random: () => number
  mode: ConversationMode
  persist: Persister
  /** The anonymous visitor's resume key on the device. */
  keys: ResumeKeyStore
  /** The person whose data the device showed last, so it can paint before the network answers. */
  lastPerson: ResumeKeyStore
  /** Opens a person's cache. */
  openCache: (person: string) => Promise<Cache>
  /** The cache before any person's is open. */
  placeholder: () => Cache
  /** The identified user at boot, in memory only. */
  identity: Identity | undefined
  /** Settles once this tab knows whether it leads the site's tabs. */
  leaderReady: Promise<void>
  outbox: Outbox
  sync: Sync
  search: Search
  clock: ChatClock
  /** The visitor's recently used emoji, which go with their data. */
  recentEmoji: Pick<RecentEmoji, 'forget'>
}

/**
 * The session's life, and the only place that tears down: connect (paint from the device, start
 * or resume the session, open the stream, catch up, drain the outbox), identify, end a chat, wipe
 * and shut down. Each start runs under one `AbortController`; stopping aborts it, which cancels the
 * requests and reads that belong to it (they all take its signal).
 *
 * @example
 * const session = createSession({ stores, transport, emitter, channel, timers, random, mode, persist,
 *   keys, lastPerson, openCache, placeholder, identity, leaderReady, outbox, sync, search, clock, recentEmoji })
 * await session.connect()
 */
export function createSession(deps: SessionDeps) {
  const { stores, transport, emitter, channel, persist, outbox, sync, search, clock } = deps
  let life = new AbortController()
  let cache = deps.placeholder()
  /** The current person (`personOf`), or `null` before the first session. */
  let person: string | null = null
  let identity = deps.identity
  let connecting: Promise<void> | undefined
  /** Painting from the cache on connect (a search waits for it, to index the right person). */
  let painting: Promise<void> | undefined
  let stopStream: Unsubscribe | undefined
  let retryTimer: unknown
  /** Ends the backoff wait of a start early (on stop). */
  let wake: (() => void) | undefined
  /** Where the event stream resumes. */
  let cursor: string | undefined

  /** Stop the connection and every timer; work under way is cancelled. */
  function stop(): void {
    life.abort()
    life = new AbortController()
    stopStream?.()
    stopStream = undefined
    connecting = undefined
    if (retryTimer !== undefined) deps.timers.clearTimeout(retryTimer)
    retryTimer = undefined
    clock.stop()
    // A start waiting out its backoff, and sends waiting for theirs, settle now instead of never.
    wake?.()
    outbox.reset()
    try {
      transport.close()
    } catch (error) {
      emitter.emit('error', toConfabError(error, 'The transport failed to close'))
    }
    stores.$status.set('idle')
  }

  /**
   * Make `next` the one whose data the client reads and writes: open their cache (closing the
   * previous one) and remember them on the device. Resolves `true` when the person changed, `false`
   * when they already were the person or when the session stopped meanwhile.
   */
  async function usePerson(next: string, signal = life.signal): Promise<boolean> {
    if (person === next) return false
    await persist.flush()
    const opened = await deps.openCache(next)
    if (signal.aborted) {
      // A shutdown or wipe came first: this person's data must not come back.
      opened.close()
      return false
    }
    cache.close()
    cache = opened
    person = next
    // An index built before the person was known holds nothing of theirs.
    search.drop(false)
    deps.lastPerson.set(next)
    stores.$storage.set(cache.persistent ? { persistent: true } : { persistent: false, reason: cache.reason ?? 'memory only' })
    return true
  }

  /** Show the person's data from the device, and resume the stream where the device left it. */
  function show(snapshot: CacheSnapshot): void {
    sync.paint(snapshot)
    cursor ??= snapshot.meta.streamCursor
  }

  /** Read the person's data from the device and show it. */
  const paint = async () => show(await cache.load({ messagesPerConversation: 50 }))

  /**
   * Paint the person this device last showed, before the network answers (or with no network at
   * all). Data that must not be shown goes instead: a user's, when the page boots without that
   * user's identity (they signed out), and a chat session idle past its timeout.
   */
  async function paintFromCache(signal: AbortSignal): Promise<void> {
    const last = deps.lastPerson.get()
    if (!last || person !== null) return
    const mine = identity ? last === `u-${identity.id}` || last.startsWith('v-') : last.startsWith('v-')
    if (!mine) return discard(last, 'switched')
    if (!(await usePerson(last, signal))) return
    const snapshot = await cache.load({ messagesPerConversation: 50 })
    if (signal.aborted) return
    const since = snapshot.meta.lastActivity
    if (clock.isExpired(since)) {
      person = null
      cache.close()
      return discard(last, 'expired')
    }
    show(snapshot)
    if (deps.mode === 'chat' && since !== undefined) clock.arm(since)
  }

  /**
   * Open the realtime stream when this tab leads (replacing any previous one), resuming after the
   * last event applied; every event is applied here and relayed to the other tabs, if any is open.
   */
  function openStream(signal = life.signal): void {
    stopStream?.()
    stopStream = undefined
    if (!stores.$leader.get()) return
    stopStream = transport.subscribe(
      (event) => {
        if (signal.aborted) return
        if (event.cursor !== undefined) {
          cursor = event.cursor
          persist.meta({ streamCursor: event.cursor })
        }
        sync.applyEvent(event)
        if (person !== null && channel.others && event.type !== 'error' && event.type !== 'session') {
          channel.post({ type: 'event', person, event })
        }
      },
      cursor === undefined ? {} : { cursor }
    )
  }

  /**
   * Connect: paint from the cache, start or resume the session (moving to the person the backend
   * names), open the stream, then bring conversations and the open thread up to date. Retries
   * retryable failures with backoff until it succeeds or the session stops.
   */
  async function start(signal: AbortSignal, attempt: number): Promise<void> {
    stores.$status.set(attempt === 0 ? 'connecting' : 'reconnecting')
    try {
      if (attempt === 0) await (painting = paintFromCache(signal))
      if (signal.aborted) return
      const known = identity
      const session = await transport.connect({
        resumeKey: deps.keys.get() ?? undefined,
        identity: known && {
          token: known.token,
          refresh: known.refresh && (async () => (known.token = await known.refresh!()))
        },
        signal
      })
      if (signal.aborted) return
      const next = personOf(session)
      const previous = person
      // An anonymous visitor who just identified: the backend moved their threads to the user, so
      // what is shown stays (pruned below to what the backend lists) and is saved under the user.
      let merged = false
      if (previous !== null && previous !== next) {
        merged = previous.startsWith('v-') && next.startsWith('u-')
        const old = cache
        person = null
        if (!(await usePerson(next, signal))) return
        // Unsent messages (their files' bytes too) move to the user before the visitor's database goes: never without a copy.
        if (merged) await cache.write(await outbox.carried(old))
        channel.post({ type: 'wipe', person: previous, reason: 'switched' })
        await old.destroy()
        if (!merged) {
          // Another person: nothing of the previous one may show, a search under way included.
          search.drop()
          resetStores(stores)
        }
        await paint()
      } else if (await usePerson(next, signal)) {
        await paint()
      }
      if (signal.aborted) return
      if (session.identified || session.resumeKey === undefined) deps.keys.remove()
      else deps.keys.set(session.resumeKey)
      stores.$session.set(session)

      // Subscribe before reading, so nothing that happens in between is missed; merging by id
      // makes an event that is also in a page harmless. A retry replaces the previous stream.
      await deps.leaderReady
      if (signal.aborted) return
      openStream(signal)
      const page = await transport.listConversations()
      if (signal.aborted) return
      for (const conversation of page.conversations) sync.putConversation(conversation)
      if (merged) {
        // A thread the user does not have: its unsent messages cannot go, and their `send()` ends.
        const dropped = sync.keepListed(page.conversations, clock.lastActivity())
        dropped.forEach(outbox.abandon)
        if (dropped.length) void cache.write({ unqueue: dropped.map((m) => m.clientId!) })
      }
      const active = stores.$activeId.get() ?? sync.pickActive(page.conversations)?.id ?? null
      stores.$activeId.set(active)
      if (active !== null) {
        // A thread painted from the cache is read forward from its cursor, which fills the gap
        // since the last visit; a thread we know nothing of starts from its newest page.
        if (stores.$history.get()[active]?.after) await sync.catchUp(active)
        else await sync.loadLatest(active)
      }
      if (signal.aborted) return
      // The leader sends what waits in the outbox; another tab's leader relays the connection state.
      if (stores.$leader.get()) void outbox.drain()
      else {
        if (stores.$status.get() !== 'online') stores.$status.set('online')
        channel.post({ type: 'hello', person: person! })
      }
      emitter.emit('ready', session)
    } catch (caught) {
      if (signal.aborted) return
      const error = toConfabError(caught, `Could not connect through the ${transport.name} transport`)
      emitter.emit('error', error)
      if (!error.retryable) {
        stores.$status.set('idle')
        connecting = undefined
        throw error
      }
      await new Promise<void>((resolve) => {
        wake = resolve
        retryTimer = deps.timers.setTimeout(resolve, backoffDelay(attempt, { random: deps.random }))
      })
      wake = undefined
      if (!signal.aborted) return start(signal, attempt + 1)
    }
  }

  /**
   * Forget the current person on this device: stop the connection, delete their database (when
   * this tab is the one deciding), the resume key and the pointer, and empty the stores. With
   * `broadcast`, every other tab showing the same person does the same.
   */
  async function wipe(reason: WipeReason, broadcast: boolean): Promise<void> {
    // Before the first session opened anything, the device may still hold the last person's data.
    const gone = person ?? deps.lastPerson.get()
    const opened = person !== null
    stop()
    persist.drop()
    search.drop()
    const old = cache
    cache = deps.placeholder()
    person = null
    sync.reset()
    clock.reset()
    outbox.forget()
    cursor = undefined
    deps.keys.remove()
    deps.lastPerson.remove()
    deps.recentEmoji.forget()
    resetStores(stores)
    if (broadcast) {
      if (gone) channel.post({ type: 'wipe', person: gone, reason })
      await old.destroy()
      if (!opened && gone) await (await deps.openCache(gone)).destroy()
    } else {
      old.close()
    }
  }

  /** Delete a person's data that this device should not show (someone else's, or an expired chat). */
  async function discard(gone: string, reason: WipeReason): Promise<void> {
    channel.post({ type: 'wipe', person: gone, reason })
    await (await deps.openCache(gone)).destroy()
    deps.lastPerson.remove()
    deps.keys.remove()
    deps.recentEmoji.forget()
  }

  /** Start the session (or join the start under way). */
  function connect(): Promise<void> {
    return (connecting ??= start(life.signal, 0))
  }

  return {
    connect,
    stop,
    wipe,
    openStream,

    /** The current person's cache (a memory one until the person is known). */
    cache: () => cache,
    person: () => person,
    signal: () => life.signal,
    /** The start under way, if any. */
    starting: () => connecting,
    painting: () => painting,

    /** This tab leads now, or follows: it holds the stream and sends for every tab, or lets go. */
    lead(leader: boolean): void {
      // What a leader was sending is the new leader's now: its uploads stop here at once.
      if (!leader) outbox.standDown()
      // Not connected yet: connecting opens the stream and drains the outbox of a leader.
      if (!stores.$session.get()) return
      if (leader) {
        openStream()
        void outbox.drain()
      } else {
        stopStream?.()
        stopStream = undefined
      }
    },

    /** An event the leading tab relayed. */
    relayed(event: TransportEvent): void {
      if (event.cursor !== undefined) cursor = event.cursor
      sync.applyEvent(event)
    },

    /** Another tab deleted the person's data. */
    wiped(reason: WipeReason): void {
      // Signed out or replaced in another tab: this tab must not sign the user back in.
      if (reason === 'shutdown' || reason === 'switched') identity = undefined
      void wipe(reason, false).then(() => {
        if (deps.mode === 'chat' && (reason === 'ended' || reason === 'expired')) stores.$ended.set(reason)
      })
    },

    /** Identify the visitor as one of the site's users (see `client.identify`). */
    async identify(next: Identity): Promise<void> {
      const previous = identity
      identity = next
      const session = stores.$session.get()
      if (previous?.id === next.id && session?.identified?.id === next.id) return
      if (person?.startsWith('u-') && person !== `u-${next.id}`) await wipe('switched', true)
      else stop()
      await connect()
    },

    /**
     * End the chat session: the backend closes it (best effort: an unreachable backend must not
     * keep the customer's traces on the device), then every local trace goes, in every tab.
     */
    async endChat(reason: 'ended' | 'expired'): Promise<void> {
      const chat = clock.liveChat() ?? stores.$active.get()
      if (chat && transport.closeConversation) {
        try {
          await transport.closeConversation(chat.id)
        } catch {
          // The session ends on this device regardless; the backend closes idle chats on its own terms.
        }
      }
      await wipe(reason, true)
      stores.$ended.set(reason)
    },

    /** End the visitor's presence on this device, in every tab. */
    async shutdown(): Promise<void> {
      identity = undefined
      await wipe('shutdown', true)
    }
  }
}
