import type { ResumeKeyStore } from '../cache/resume-key.js'
import type { Cache } from '../cache/types.js'
import type { ConfabError } from '../errors/index.js'
import type { TabChannel } from '../tabs/channel.js'
import type { ClientStores, ClientStatus, ChatMessage } from '../store/index.js'
import type { Conversation, ConversationMode, Transport, TransportEvent, VisitorSession } from '../transports/types.js'
import type { Emitter, Unsubscribe } from '../util/emitter.js'
import type { Timers } from '../util/timers.js'
import type { Persister } from './persist.js'
import type { Turn } from './send.js'
import type { SearchSetup } from './search.js'
import type { SearchEngine } from '../search/engine.js'

/**
 * One of the site's users, as the site's backend vouches for them.
 *
 * @example
 * client.identify({ id: 'u_42', name: 'Ada', email: 'ada@example.com', token, refresh: () => fetchNewToken() })
 */
export interface Identity {
  /** The site's own user id (the token's `sub`). */
  id: string
  name?: string
  email?: string
  /** Signed by the site's backend (the reference server verifies an HS256 JWT). Kept in memory only. */
  token: string
  /** Called when the backend refuses the token (expired): resolve to a fresh one. */
  refresh?: () => Promise<string>
}

/**
 * Events a client emits. Subscribe with `client.on(name, listener)`.
 * - `ready`: a visitor session started or resumed.
 * - `message`: a message from someone else arrived live.
 * - `sent`: one of the visitor's messages was stored by the backend.
 * - `failed`: one of the visitor's messages could not be delivered; it stays visible with Retry.
 * - `conversation`: a conversation was created or changed.
 * - `status`: the connection status changed.
 * - `open` / `close`: the pane opened or closed.
 * - `read`: someone read the conversation up to a message.
 * - `error`: something went wrong that Confab survived (a malformed event, a failed reconnect).
 */
export interface ClientEvents extends Record<string, unknown> {
  ready: VisitorSession
  message: ChatMessage
  sent: ChatMessage
  failed: ChatMessage
  conversation: Conversation
  status: ClientStatus
  open: undefined
  close: undefined
  read: Extract<TransportEvent, { type: 'read' }>
  error: ConfabError
}

/**
 * Whether the browser is online, and its `online` event (the `window` and `navigator` by default).
 * Sends wait while `onLine` is `false`.
 */
export interface NetworkWatch {
  readonly onLine: boolean
  addEventListener(type: 'online', listener: () => void): void
}

/** @internal What the client's behaviours share. */
export interface ClientContext {
  transport: Transport
  stores: ClientStores
  emitter: Emitter<ClientEvents>
  mode: ConversationMode
  now: () => number
  random: () => number
  crypto: Crypto | undefined
  timers: Timers
  maxSendAttempts: number
  isVisible: () => boolean
  site: string
  /** The anonymous visitor's resume key on the device. */
  keys: ResumeKeyStore
  /** Which person's data the device holds (`personOf`), so it can paint before the network answers. */
  pointer: ResumeKeyStore
  /** Opens a person's cache. */
  openCache: (person: string) => Promise<Cache>
  /** The current person's cache (a memory one until the person is known). */
  cache: Cache
  /** The current person, or `null` before the first session. */
  person: string | null
  persist: Persister
  channel: TabChannel
  /** The identified user, in memory only. */
  identity: Identity | undefined
  /** Chat mode: inactivity in ms after which the session ends. */
  chatTimeout: number
  /** Conversations whose older messages may still be in the cache. */
  cachedOlder: Set<string>
  /** The connection's moving parts. */
  conn: {
    connecting?: Promise<void>
    stop?: Unsubscribe
    retryTimer?: unknown
    /** Painting from the cache on connect (a search waits for it, to index the right person). */
    painting?: Promise<void>
    /** Ends the backoff wait of a connect() early (on disconnect). */
    wake?: () => void
    expiryTimer?: unknown
    cursor?: string
    /** Chat mode: latest activity in the session, ms since the epoch. */
    lastActivity?: number
  }
  /** Loads the search module on first use. */
  loadSearch: () => Promise<SearchEngine>
  /** The search index of the current person, once a search asked for it. */
  search: Promise<SearchSetup> | undefined
  /** Bumped by every search and wipe, so a slow search does not overwrite a newer one. */
  searchRun: number
  /** Bumped by every jump to a search result, so a slow one does not take over a newer one. */
  jumpRun: number
  /** The tail of each conversation's send queue. */
  sendQueues: Map<string, Promise<unknown>>
  /** Client ids this tab is sending (in a queue). */
  sending: Set<string>
  /** `send()` calls waiting for their message to be sent or to fail, by client id. */
  settlers: Map<string, (message?: ChatMessage) => void>
  /** Sends waiting for the network or for their backoff, woken early by `online` and by stopping. */
  wakers: Set<() => void>
  /** Where the browser says whether it is online. */
  network: NetworkWatch | undefined
  /** Settles once the last `send()` so far has handed its message over: the order of sends (see `takeTurn`). */
  turns: Promise<void>
  /** The sends that have not handed their message over yet, oldest first. */
  openTurns: Turn[]
  /** While the leader reads the outbox: messages handed to it meanwhile, sorted in afterwards. */
  held?: ChatMessage[] | undefined
  /** Settles once this tab knows whether it leads the site's tabs. */
  leaderReady: Promise<void>
  /** Conversations being backfilled after a gap, with whether another gap came meanwhile. */
  backfills: Map<string, boolean>
  /** Bumped on shutdown, so work started before it does not write into the next session. */
  generation: number
}
