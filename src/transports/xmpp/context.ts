import type { ConfabError } from '../../errors/index.js'
import type { ConnectionStatus, Conversation, Message, TransportEvent, UploadLimits, UploadSlot, VisitorSession } from '../types.js'
import type { XmppConnection } from './connection.js'
import { callSafely } from './errors.js'
import { randomHex, type Visitor } from './identity.js'
import type { RoomContext } from './messages.js'
import type { Settings } from './options.js'
import { createWaiters, type Waiters } from './waiters.js'

/** One of the visitor's conversations: its MUC room, as the adapter keeps it for one session. */
export interface Room extends RoomContext {
  index: number
  conversation: Conversation
  /** The nick joined with on `joinedOn` (the visitor's, or the visitor's with a `~n` suffix). */
  nick: string
  joinedOn?: XmppConnection
  joining?: Promise<void>
  /** Newest archive id seen; `undefined` when the archive was empty when the room was loaded. */
  lastId?: string
  /** A reconnect's catch-up has not read the archive up to now yet: only its pages move `lastId`. */
  behind?: boolean
  seen: Set<string>
  indexing?: Promise<void>
  indexed: boolean
  /** Nicks of the occupants who are not the visitor: agents (or bots), read as `authorOf` reads their messages. */
  agents: Set<string>
  /** Configured agents invited since one last came into the room: not invited again until then. */
  invited: Set<string>
  /** When the agents were last invited into the room (see `inviteAgents`). */
  invitedAt: number
  /** The connection on which the room was last told the visitor is composing, until told otherwise. */
  composing?: XmppConnection | undefined
}

/** The HTTP File Upload (XEP-0363) service service discovery found, and what it takes. */
export interface UploadService {
  jid: string
  limits: UploadLimits
}

/** An upload slot asked for one file (see uploads.ts): its answer, and whether its bytes are in. */
export interface PendingSlot {
  answer: Promise<UploadSlot>
  stored?: boolean
}

/** The settings and the state the parts of one XMPP transport share, and its events. */
export interface XmppContext extends Settings {
  listeners: Set<(event: TransportEvent) => void>
  status: ConnectionStatus
  /** Bumped by connect() and close(): work of an older session stops at its next step. */
  generation: number
  visitor?: Visitor | undefined
  connection?: XmppConnection | undefined
  rooms: Map<string, Room>
  byJid: Map<string, Room>
  /** The highest room number found taken by a room the visitor cannot use (destroyed, refusing), or 0. */
  skipped: number
  probing?: Promise<void> | undefined
  /** Calls waiting for the connection to come back. */
  ready: Waiters<object, XmppConnection>
  joins: Waiters<string, { created: boolean }>
  reflections: Waiters<string, Message>
  archives: Map<string, { jid: string; results: Element[] }>
  /** Messages stored on the server, by conversation and client id. */
  stored: Map<string, Message>
  sending: Map<string, Promise<Message>>
  /**
   * Sends whose outcome is unknown (the answer was lost), with the room's `lastId` when they were
   * written: the archive after it is read before sending again.
   */
  uncertain: Map<string, string | undefined>
  /** The server's upload service, found when connecting; `undefined` when it has none. */
  upload?: UploadService | undefined
  /** Upload slots by conversation and client id, for this session. */
  slots: Map<string, PendingSlot>
  /** The conversation being created: creations go one at a time, each taking the next room number. */
  creating: Promise<unknown>
  /**
   * When the last live message arrived: servers stamp only archived copies, and one stream delivers in
   * the room's order, so arrival times made strictly increasing keep that order for a client that
   * sorts by time (two messages often arrive within one millisecond).
   */
  lastArrival: number
  /** The timers that tell again that an agent types, by conversation and nick (see typing.ts). */
  typing: Map<string, unknown>
  /** Aborted by close() and connect(): stops the session's reconnect loop. */
  life?: AbortController
  /** Ends the reconnect loop's current attempt: its connection was lost. */
  lose?: ((error: Error) => void) | undefined
  /** A fresh id for a stanza or a query. */
  newId(): string
  emit(event: TransportEvent): void
  setStatus(next: ConnectionStatus, error?: Error): void
  report(error: ConfabError): void
}

/** The shared state of a transport that has not connected yet. */
export function createContext(settings: Settings): XmppContext {
  const ctx: XmppContext = {
    ...settings,
    listeners: new Set(),
    status: 'connecting',
    generation: 0,
    rooms: new Map(),
    byJid: new Map(),
    skipped: 0,
    ready: createWaiters(settings.timers),
    joins: createWaiters(settings.timers),
    reflections: createWaiters(settings.timers),
    archives: new Map(),
    stored: new Map(),
    sending: new Map(),
    uncertain: new Map(),
    slots: new Map(),
    creating: Promise.resolve(),
    lastArrival: 0,
    typing: new Map(),
    newId: () => randomHex(settings.crypto(), 9),
    emit(event) {
      // A throwing listener must not stop the others or the stream.
      for (const listener of [...ctx.listeners]) callSafely(() => listener(event))
    },
    setStatus(next, error) {
      if (next === ctx.status) return
      ctx.status = next
      ctx.emit(error ? { type: 'status', status: next, error } : { type: 'status', status: next })
    },
    report: (error) => ctx.emit({ type: 'error', error })
  }
  return ctx
}

/** The key of a message in `stored`, `sending`, `uncertain` and `reflections`. */
export const keyOf = (conversationId: string, clientId: string) => `${conversationId}\n${clientId}`

/** What `connect()` answers for `who`, with what the server's upload service takes. */
export const sessionOf = (who: Visitor, upload: UploadService | undefined): VisitorSession => ({
  visitorId: who.visitorId,
  resumeKey: who.resumeKey,
  name: who.nick,
  ...(upload ? { uploadLimits: upload.limits } : {})
})
