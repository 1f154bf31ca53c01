import type { ConfabError } from '../errors/index.js'
import type { ClientStores, ClientStatus, ChatMessage } from '../store/index.js'
import type { Conversation, ConversationMode, Transport, TransportEvent, VisitorSession } from '../transports/types.js'
import type { Emitter } from '../util/emitter.js'

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

/** Timer functions, injectable so tests control time without patching globals. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
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
  /** The tail of each conversation's send queue. */
  sendQueues: Map<string, Promise<unknown>>
  /** Bumped on shutdown, so work started before it does not write into the next session. */
  generation: number
}
