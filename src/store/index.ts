import { atom, computed, map, type MapStore, type ReadableAtom, type WritableAtom } from 'nanostores'
import type { Author, Conversation, ConnectionStatus, Message, ReadMark, VisitorSession } from '../transports/types.js'
import type { ChatMessage } from './messages.js'
import { laterReads } from './read.js'

export { indexOfMessage, mergeMessages, upsertMessage } from './messages.js'
export { lastSeen, notBehind } from './read.js'
export type { ChatMessage, DeliveryStatus, OutgoingFile } from './messages.js'

/**
 * The client's connection as the UI shows it: the transport's status, or `'idle'` before the
 * first connection and after `shutdown()`.
 */
export type ClientStatus = ConnectionStatus | 'idle'

/** Paging state of one conversation's history. */
export interface HistoryState {
  /** A page is being loaded. */
  loading: boolean
  /** Cursor for the next older page; `null` once the start of the conversation is loaded. */
  before: string | null
  /** Cursor after the newest message we have, for catching up. */
  after: string | null
}

/** The pane and launcher as the visitor sees them. */
export interface PaneState {
  open: boolean
  /** Whether the launcher button is shown (`show`/`hide` commands). */
  launcher: boolean
}

/**
 * Where this person's history is kept.
 * - `persistent: true`: on the device (IndexedDB); it survives reloads and works offline.
 * - `persistent: false`: in memory only, because storage is missing, blocked, full or broken; `reason`
 *   says which, in words. The UI shows a small notice that history is not saved on this device.
 */
export interface StorageState {
  persistent: boolean
  reason?: string
}

/**
 * Why a chat session ended (chat mode only).
 * - `'ended'`: the customer pressed "End chat" (here or in another tab).
 * - `'expired'`: no message for longer than the inactivity timeout.
 * - `'closed'`: the agent or backend closed the conversation.
 */
export type ChatEndReason = 'ended' | 'expired' | 'closed'

/** One search result: a message, why it matched, and where it came from. */
export interface SearchResult {
  message: Message
  /** Relevance within this search (higher first); archive results have 0. */
  score: number
  /** A short window of the text with the ranges to highlight (`[start, end)` offsets in `snippet.text`). */
  snippet: { text: string; ranges: [number, number][] }
  /** `'device'`: found in the history on this device (offline too); `'server'`: only in the backend's archive. */
  source: 'device' | 'server'
}

/**
 * The current search, for a results list.
 * - `status`: `'idle'` (no query), `'searching'`, or `'done'`.
 * - `archive`: the backend's archive search: `'none'` (not asked: offline-only transport or turned
 *   off), `'searching'`, `'done'` or `'failed'` (device results still stand).
 */
export interface SearchState {
  query: string
  status: 'idle' | 'searching' | 'done'
  results: SearchResult[]
  archive: 'none' | 'searching' | 'done' | 'failed'
}

/**
 * Every store of one client: the single source of truth the UI reads. Each client has its own set;
 * nothing is shared between clients on one page.
 *
 * @example
 * client.$activeMessages.subscribe((messages) => render(messages))
 */
export interface ClientStores {
  $status: WritableAtom<ClientStatus>
  $session: WritableAtom<VisitorSession | null>
  /** Conversations, newest activity first. */
  $conversations: WritableAtom<Conversation[]>
  $activeId: WritableAtom<string | null>
  /** Messages per conversation id, in display order. */
  $messages: MapStore<Record<string, ChatMessage[]>>
  $history: MapStore<Record<string, HistoryState>>
  /** Who is typing, per conversation id. */
  $typing: MapStore<Record<string, Author | undefined>>
  /** Unread messages per conversation id. */
  $unread: MapStore<Record<string, number>>
  $pane: WritableAtom<PaneState>
  $storage: WritableAtom<StorageState>
  /** Set when a chat session ended; cleared when the next one starts. Always `null` in messaging mode. */
  $ended: WritableAtom<ChatEndReason | null>
  $search: WritableAtom<SearchState>
  /** The message a search jumped to, marked in the thread until the next jump or search. */
  $highlight: WritableAtom<string | null>
  /**
   * Whether this tab leads the site's tabs: it holds the realtime connection, drains the outbox and
   * is the one tab that plays the notification sound. `true` where tabs cannot coordinate.
   */
  $leader: WritableAtom<boolean>
  /**
   * The emoji the visitor used last, most recent first (see `client.emojiUsed`): kept on the device
   * until the person's data is wiped.
   */
  $recentEmoji: WritableAtom<string[]>
  /**
   * Text `compose()` left for the composer (`Confab('showNewMessage', text)`), not sent: the composer
   * takes it once (`takeDraft()`) as it shows. `null` when none waits.
   */
  $draft: WritableAtom<string | null>
  /** The open conversation, or `null`. */
  $active: ReadableAtom<Conversation | null>
  /** Messages of the open conversation, as a thread shows them: without postbacks waiting to go. */
  $activeMessages: ReadableAtom<ChatMessage[]>
  /** Unread messages across conversations: the launcher badge. */
  $unreadTotal: ReadableAtom<number>
  /**
   * How far the agents have read each conversation, by conversation id (its `read.agent`, from `read`
   * events and from every copy of the conversation the backend sends, never moving back): "Seen"
   * shows under the visitor's last message at or before it (see `lastSeen`). Empty unless the
   * transport declares `capabilities.readReceipts`.
   *
   * @example
   * const seen = lastSeen(client.$activeMessages.get(), client.$agentRead.get()[id])
   */
  $agentRead: ReadableAtom<Record<string, ReadMark>>
}

const EMPTY: ChatMessage[] = []

/** No search under way. */
export const IDLE_SEARCH: SearchState = { query: '', status: 'idle', results: [], archive: 'none' }

/** Make a fresh set of stores. */
export function createStores(): ClientStores {
  const $conversations = atom<Conversation[]>([])
  const $activeId = atom<string | null>(null)
  const $messages = map<Record<string, ChatMessage[]>>({})
  const $unread = map<Record<string, number>>({})
  return {
    $status: atom<ClientStatus>('idle'),
    $session: atom<VisitorSession | null>(null),
    $conversations,
    $activeId,
    $messages,
    $history: map<Record<string, HistoryState>>({}),
    $typing: map<Record<string, Author | undefined>>({}),
    $unread,
    $pane: atom<PaneState>({ open: false, launcher: true }),
    $storage: atom<StorageState>({ persistent: false, reason: 'not opened yet' }),
    $ended: atom<ChatEndReason | null>(null),
    $search: atom<SearchState>(IDLE_SEARCH),
    $highlight: atom<string | null>(null),
    $leader: atom(true),
    $recentEmoji: atom<string[]>([]),
    $draft: atom<string | null>(null),
    $active: computed([$conversations, $activeId], (list, id) => list.find((c) => c.id === id) ?? null),
    $activeMessages: computed([$messages, $activeId], (all, id) => {
      const list = id ? all[id] ?? EMPTY : EMPTY
      // A postback is never shown; the same list is handed on when there is none, so nothing repaints.
      return list.some((m) => m.postback) ? list.filter((m) => !m.postback) : list
    }),
    $unreadTotal: computed($unread, (counts) => Object.values(counts).reduce((sum, n) => sum + n, 0)),
    $agentRead: computed($conversations, (list) => {
      const read: Record<string, ReadMark> = {}
      for (const c of list) if (c.read?.agent) read[c.id] = c.read.agent
      return read
    })
  }
}

/** Forget every conversation and message (the pane and the storage state stay as they are). */
export function resetStores(stores: ClientStores): void {
  stores.$status.set('idle')
  stores.$session.set(null)
  stores.$conversations.set([])
  stores.$activeId.set(null)
  stores.$messages.set({})
  stores.$history.set({})
  stores.$typing.set({})
  stores.$unread.set({})
  stores.$ended.set(null)
  stores.$search.set(IDLE_SEARCH)
  stores.$highlight.set(null)
  stores.$draft.set(null)
}

/**
 * Insert or replace a conversation, keeping newest activity first. Read positions only move forward:
 * an older copy of the conversation keeps the positions already known (see `laterReads`). Returns
 * the conversation as stored.
 */
export function upsertConversation(stores: ClientStores, conversation: Conversation): Conversation {
  const list = stores.$conversations.get()
  const known = list.find((c) => c.id === conversation.id)
  const read = laterReads(stores.$messages.get()[conversation.id] ?? [], known?.read, conversation.read)
  const stored = read === conversation.read ? conversation : { ...conversation, read }
  stores.$conversations.set([stored, ...list.filter((c) => c !== known)].sort((a, b) => b.updatedAt - a.updatedAt))
  return stored
}
