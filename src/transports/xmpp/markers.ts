import type { Author, Message } from '../types.js'
import type { Room, XmppContext } from './context.js'
import { authorOf } from './messages.js'
import { child, NS, splitJid } from './xml.js'

// Read receipts as chat markers (XEP-0333) in the conversation's room: the visitor reads up to a
// message with `<displayed id='…'/>` naming the id the room gave it (XEP-0359 stanza-id, as
// XEP-0333 asks for groupchat), with a store hint so the room's archive keeps it; a displayed
// marker from anyone else is the agents' read (sending one: `markRead` in sending.ts). Archive ids say nothing of order, so the adapter
// orders the messages it has met itself (see `place`), to move each side's position forward only.

/** One side's read of a room, from a displayed marker. */
export interface Marker {
  side: 'visitor' | 'agent'
  reader: Author
  messageId: string
  at: number
}

/** A `<displayed>` marker of the room's `stanza` (live or archived), or `undefined`. */
export function readMarker(stanza: Element, room: Room, at: number): Marker | undefined {
  const id = child(stanza, 'displayed', NS.markers)?.getAttribute('id')
  if (!id) return undefined
  const reader = authorOf(splitJid(stanza.getAttribute('from') ?? '').resource, room)
  // The room's own notices mark nothing.
  if (reader.role === 'system') return undefined
  return { side: reader.role === 'visitor' ? 'visitor' : 'agent', reader, messageId: id, at }
}

/**
 * Give the messages of one stretch of the room (oldest first) their places: around those already
 * placed when it holds any, else after everything (a live message, a page forward, the newest page)
 * or, with `older`, before everything (a page back).
 */
export function place(room: Room, messages: readonly Pick<Message, 'id'>[], older = false): void {
  const known = messages.map((m) => room.order.get(m.id))
  const anchor = known.findIndex((n) => n !== undefined)
  if (anchor === -1) {
    messages.forEach((m, i) => room.order.set(m.id, older ? room.lowest - messages.length + i : room.highest + 1 + i))
    if (older) room.lowest -= messages.length
    else room.highest += messages.length
    return
  }
  // Between places already given: a small step from the neighbour that is placed.
  const STEP = 1e-6
  for (let i = anchor - 1; i >= 0; i--) room.order.set(messages[i]!.id, room.order.get(messages[i + 1]!.id)! - STEP)
  for (let i = anchor + 1; i < messages.length; i++) if (known[i] === undefined) room.order.set(messages[i]!.id, room.order.get(messages[i - 1]!.id)! + STEP)
  room.highest = Math.max(room.highest, room.order.get(messages[messages.length - 1]!.id)!)
}

/** Whether a position at `next` is forward of one at `known`: messages not placed count as forward. */
export function ahead(room: Room, known: string | undefined, next: string): boolean {
  if (known === undefined) return true
  if (known === next) return false
  const [was, is] = [room.order.get(known), room.order.get(next)]
  return was === undefined || is === undefined || is > was
}

/**
 * A side read the room up to a message: its position moves forward (the conversation's `read`, for
 * `getConversation()` and lists) and a `read` event tells. Markers of a page read back in the archive
 * only fill a position not known yet: their messages may be older than anything placed.
 */
export function noteMarkers(ctx: XmppContext, room: Room, markers: readonly Marker[], older = false): void {
  for (const { side, reader, messageId, at } of markers) {
    const known = room.conversation.read?.[side]?.messageId
    if ((older && known !== undefined) || !ahead(room, known, messageId)) continue
    room.conversation = { ...room.conversation, read: { ...room.conversation.read, [side]: { messageId, at, reader } } }
    ctx.emit({ type: 'read', conversationId: room.id, reader, messageId, at })
  }
}
