import { createError, toConfabError } from '../errors/index.js'
import { notBehind, type ClientStores } from '../store/index.js'
import type { TabChannel } from '../tabs/channel.js'
import type { Conversation, ReadMark, Transport, TransportEvent } from '../transports/types.js'
import { backoffDelay } from '../util/backoff.js'
import type { Emitter } from '../util/emitter.js'
import type { Timers } from '../util/timers.js'
import type { ClientEvents } from './api.js'

/**
 * How long the customer's reads gather before one goes: a customer scrolling down a long thread
 * sends where they got to, once, rather than every message on the way.
 */
export const READ_SETTLE = 500

/** What read receipts need from the client around them. */
export interface ReadDeps {
  stores: ClientStores
  transport: Transport
  channel: TabChannel
  emitter: Emitter<ClientEvents>
  timers: Timers
  random: () => number
  /** The current person, or `null` before the first session. */
  currentPerson: () => string | null
  /** Store a conversation (read positions only move forward, see `upsertConversation`) and keep it in the cache. */
  putConversation: (conversation: Conversation) => void
}

type ReadEvent = Extract<TransportEvent, { type: 'read' }>

/** Read receipts (see `createReadReceipts`). */
export type ReadReceipts = ReturnType<typeof createReadReceipts>

/**
 * Read receipts both ways. The customer's: each tab notes how far the customer read a conversation
 * (`mark`), forward only and once per position; the leading tab tells the backend the newest
 * position of each conversation, after {@link READ_SETTLE} ms, once the connection is online (after
 * an outage, where it got to meanwhile), and again after failures that may pass. Another tab hands
 * its positions to the leader, and sends them itself should it come to lead before the backend
 * confirmed them. The agents': `read` events move the conversation's `read.agent` (the store's
 * `$agentRead`), and are announced (the `read` event) once per position. A position the customer
 * reached that covers every message from others leaves nothing unread there, on this device and
 * (from the backend's `read` event) on the customer's others.
 *
 * @example
 * const reads = createReadReceipts({ stores, transport, channel, emitter, timers, random, currentPerson, putConversation })
 * reads.mark('c1', 'm42')
 */
export function createReadReceipts(deps: ReadDeps) {
  const { stores, transport, channel, emitter, timers } = deps
  /** The customer's newest position per conversation that the backend has not confirmed yet. */
  const waiting = new Map<string, string>()
  /** The position of each conversation and side last announced by the `read` event. */
  const announced = new Map<string, string>()
  let timer: unknown
  let attempt = 0
  let sending = false

  const messagesOf = (id: string) => stores.$messages.get()[id] ?? []
  const conversationOf = (id: string) => stores.$conversations.get().find((c) => c.id === id)
  const ahead = (id: string, known: string | undefined, next: ReadMark) => notBehind(messagesOf(id), known === undefined ? undefined : { messageId: known }, next)

  /** Move one side's position of a known conversation, forward only; whether it moved. */
  function move(id: string, side: 'visitor' | 'agent', mark: ReadMark): boolean {
    const conversation = conversationOf(id)
    const known = conversation?.read?.[side]
    if (!conversation || known?.messageId === mark.messageId || !notBehind(messagesOf(id), known, mark)) return false
    deps.putConversation({ ...conversation, read: { ...conversation.read, [side]: mark } })
    return true
  }

  /** Read up to `messageId`: when that covers the newest message from others, nothing in `id` is unread. */
  function cleared(id: string, messageId: string): void {
    const messages = messagesOf(id)
    let newest = -1
    for (let i = messages.length - 1; i >= 0 && newest === -1; i--) if (messages[i]!.author.role !== 'visitor' && messages[i]!.status === 'sent') newest = i
    const at = messages.map((m) => m.id).lastIndexOf(messageId)
    if (at !== -1 && at >= newest && stores.$unread.get()[id]) stores.$unread.setKey(id, 0)
  }

  function schedule(ms: number): void {
    if (timer === undefined) timer = timers.setTimeout(flush, ms)
  }

  /** Hand what waits to the backend (the leader) or to the leader (another tab). */
  function flush(): void {
    timer = undefined
    if (waiting.size === 0 || sending) return
    const person = deps.currentPerson()
    if (!stores.$leader.get()) {
      if (person !== null) for (const [conversationId, messageId] of waiting) channel.post({ type: 'read', person, conversationId, messageId })
      return
    }
    if (!transport.markRead) return waiting.clear()
    // Offline or reconnecting: the connection coming back online sends the newest positions.
    if (stores.$status.get() !== 'online') return
    sending = true
    let again = false
    const sent = [...waiting].map(([id, messageId]) =>
      transport.markRead!(id, messageId).then(
        () => {
          if (waiting.get(id) === messageId) waiting.delete(id)
        },
        (caught: unknown) => {
          const error = toConfabError(caught, `Could not tell the backend conversation ${id} was read`)
          if (error.retryable) return void (again = true)
          if (waiting.get(id) === messageId) waiting.delete(id)
          emitter.emit('error', error)
        }
      )
    )
    void Promise.all(sent).then(() => {
      sending = false
      if (again) schedule(backoffDelay(attempt++, { random: deps.random }))
      else {
        attempt = 0
        // Read further while these were on their way.
        if (waiting.size) schedule(READ_SETTLE)
      }
    })
  }

  // The leader takes the positions of the other tabs as its own.
  channel.listen((message) => {
    if (message.type === 'read' && message.person === deps.currentPerson() && stores.$leader.get()) mark(message.conversationId, message.messageId)
  })
  stores.$status.listen((status) => status === 'online' && waiting.size > 0 && schedule(0))
  // Come to lead: positions the old leader may not have sent go from here.
  stores.$leader.listen((leader) => leader && waiting.size > 0 && schedule(0))
  // The person's data went (shutdown, another user, an ended chat): so does what waited to go.
  stores.$session.listen((session) => session || reset())

  function reset(): void {
    waiting.clear()
    announced.clear()
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
    attempt = 0
  }

  /** The customer read `conversationId` up to `messageId` (see `client.markRead`). */
  function mark(conversationId: string, messageId: string): void {
    if (typeof conversationId !== 'string' || !conversationId || typeof messageId !== 'string' || !messageId) {
      throw createError('invalid-argument', 'markRead(conversationId, messageId) needs two ids')
    }
    // A message the backend has not stored has no id it knows.
    if (messagesOf(conversationId).some((m) => m.id === messageId && m.status !== 'sent')) return
    cleared(conversationId, messageId)
    // No time: the backend stamps its own, and this device's clock may be off.
    const known = !!conversationOf(conversationId)
    if (known && !move(conversationId, 'visitor', { messageId, reader: { role: 'visitor' } }) && waiting.get(conversationId) !== messageId) return
    waiting.set(conversationId, messageId)
    schedule(READ_SETTLE)
  }

  return {
    mark,
    reset,

    /** A `read` event from the backend (live, or relayed by the leading tab). */
    apply(event: ReadEvent): void {
      const { conversationId: id, messageId, reader, at } = event
      const side = reader.role === 'visitor' ? 'visitor' : 'agent'
      const mark: ReadMark = at === undefined ? { messageId, reader } : { messageId, reader, at }
      move(id, side, mark)
      if (side === 'visitor') {
        // Read on another device, or delivered by the leader: nothing older waits to go from here.
        if (waiting.has(id) && ahead(id, waiting.get(id), mark)) waiting.delete(id)
        cleared(id, messageId)
      }
      const key = `${id}\n${side}`
      const last = announced.get(key)
      if (last === messageId || !ahead(id, last, mark)) return
      announced.set(key, messageId)
      emitter.emit('read', event)
    }
  }
}
