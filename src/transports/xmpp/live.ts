import { createError } from '../../errors/index.js'
import { keyOf, type Room, type XmppContext } from './context.js'
import { stanzaError } from './errors.js'
import { chatStateOf, delayOf, readMessage, stanzaIdOf, type Entry } from './messages.js'
import { statusCodes } from './rooms.js'
import { agentTyping, releaseTyping } from './typing.js'
import { child, NS, splitJid } from './xml.js'

/** Live message ids remembered per room to drop repeats; far above any page a reconnect replays. */
const SEEN_LIMIT = 1000
/** The visitor's stored messages remembered to answer repeated sends; a send whose answer was lost reads the archive instead. */
const STORED_LIMIT = 500

/**
 * A stanza the server sent unasked: an archive result, the answer to a join or a send, a live
 * message, typing.
 */
export function onStanza(ctx: XmppContext, stanza: Element) {
  const from = stanza.getAttribute('from') ?? ''
  const { bare, resource } = splitJid(from)
  if (stanza.localName === 'presence') return onPresence(ctx, stanza, bare, resource)
  if (stanza.localName !== 'message') return
  const result = child(stanza, 'result', NS.mam)
  if (result) {
    const query = ctx.archives.get(result.getAttribute('queryid') ?? '')
    // Only the archive we asked may answer the query.
    if (query && (bare === query.jid || from === '')) query.results.push(result)
    return
  }
  const room = ctx.byJid.get(bare)
  if (!room) return
  const type = stanza.getAttribute('type')
  if (type === 'error') {
    return ctx.reflections.take(keyOf(room.id, stanza.getAttribute('id') ?? ''))?.reject(stanzaError(stanza, `Sending to ${room.jid}`))
  }
  if (type !== 'groupchat') return
  if (child(stanza, 'body') || child(stanza, 'postback', NS.confab)) {
    if (resource) releaseTyping(ctx, room, resource)
    // Not stamped: when it arrived, made strictly increasing (see `lastArrival`).
    const createdAt = delayOf(stanza) ?? (ctx.lastArrival = Math.max(ctx.now(), ctx.lastArrival + 1))
    const message = readMessage(stanza, room, stanzaIdOf(stanza, room.jid), createdAt, ctx.report)
    if (!message) {
      if (resource === undefined) return // a notice of the room itself, which archives do not keep
      return ctx.report(createError('malformed-event', `A message in ${room.jid} has no stanza-id from the room; it was dropped`, { data: stanza.outerHTML?.slice(0, 1000) }))
    }
    return onMessage(ctx, room, message)
  }
  const state = chatStateOf(stanza)
  if (state && resource && !room.isVisitor(resource)) agentTyping(ctx, room, resource, state === 'composing')
}

function onPresence(ctx: XmppContext, stanza: Element, bare: string, resource: string | undefined) {
  const codes = statusCodes(stanza)
  const type = stanza.getAttribute('type')
  if (type === 'error') return ctx.joins.take(bare)?.reject(stanzaError(stanza, `Joining ${bare}`))
  const room = ctx.byJid.get(bare)
  if (codes.includes('110')) {
    if (type === 'unavailable') {
      // We left or were removed: the next call that needs the room joins it again.
      if (room && room.nick === resource) room.joinedOn = room.joining = undefined
      return
    }
    // The room sends everyone else's presence before ours: who is there is known now.
    ctx.joins.take(bare)?.resolve({ created: codes.includes('201') })
  } else if (!room || !resource || room.isVisitor(resource)) {
    // Another occupant: anyone but the visitor counts as an agent, as `authorOf` reads their messages.
    return
  } else if (type === 'unavailable') {
    room.agents.delete(resource)
    if (ctx.typing.has(keyOf(room.id, resource))) agentTyping(ctx, room, resource, false)
  } else {
    room.agents.add(resource)
    // An agent came: its invitation is answered (every one, when the room hides who came).
    const real = stanza.getElementsByTagNameNS(NS.mucUser, 'item')[0]?.getAttribute('jid')
    if (real) room.invited.delete(splitJid(real).bare)
    else room.invited.clear()
  }
  // Tell the client whether an agent is in the room, when that changed.
  const agentPresence = room?.agents.size ? 'present' : 'waiting'
  if (!room || room.conversation.agentPresence === agentPresence) return
  room.conversation = { ...room.conversation, agentPresence }
  ctx.emit({ type: 'conversation', conversation: room.conversation })
}

/**
 * A message of `room`, live or from a catch-up: it answers the send that wrote it, and is emitted
 * once. A postback answers its `postback()` the same way and is never emitted.
 */
export function onMessage(ctx: XmppContext, room: Room, message: Entry) {
  noteStored(ctx, room, message)
  if (message.clientId && message.author.role === 'visitor') ctx.reflections.take(keyOf(room.id, message.clientId))?.resolve(message)
  if (room.seen.has(message.id)) return
  room.seen.add(message.id)
  if (room.seen.size > SEEN_LIMIT) room.seen.delete(room.seen.values().next().value!)
  if (!room.behind) room.lastId = message.id
  if (!message.postback) ctx.emit({ type: 'message', message })
}

/** Keep what the server stored: for repeated sends, and the conversation's latest activity. */
export function noteStored(ctx: XmppContext, room: Room, message: Entry) {
  // Only the visitor's: another occupant reusing a client id must not answer the visitor's send.
  if (message.clientId && message.author.role === 'visitor') {
    ctx.stored.set(keyOf(room.id, message.clientId), message)
    if (ctx.stored.size > STORED_LIMIT) ctx.stored.delete(ctx.stored.keys().next().value!)
  }
  const conversation = room.conversation
  // Compared with the last message, not `updatedAt`: Prosody stamps archived messages in whole
  // seconds, which can be before the room's creation time in milliseconds.
  if (!message.postback && message.createdAt >= (conversation.lastMessage?.createdAt ?? 0)) {
    room.conversation = { ...conversation, updatedAt: Math.max(conversation.updatedAt, message.createdAt), lastMessage: message }
  }
}
