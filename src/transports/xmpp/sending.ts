import { createError, isConfabError } from '../../errors/index.js'
import type { Message, OutgoingMessage, OutgoingPostback } from '../types.js'
import { index, readSince } from './archive.js'
import { contentXml, postbackXml } from './content.js'
import { keyOf, type Room, type XmppContext } from './context.js'
import { ensureJoined, inviteAgents, roomFor } from './directory.js'
import { connected } from './requests.js'
import { abortable } from './waiters.js'
import { el, NS, type XmlChild } from './xml.js'

// Sending messages, postbacks and typing. A message (or postback) is sent once per client id: a
// repeat answers the stored message, found in what this session saw or, after a reload or a lost
// answer, in the archive.

/** A groupchat message to `room`. */
const groupchat = (room: Room, id: string | undefined, ...children: XmlChild[]) =>
  el('message', { xmlns: NS.client, type: 'groupchat', to: room.jid, id }, ...children)

async function deliver(ctx: XmppContext, room: Room, clientId: string, content: XmlChild[], signal: AbortSignal | undefined): Promise<Message> {
  const key = keyOf(room.id, clientId)
  const label = `Sending to ${room.jid}`
  const uncertain = ctx.uncertain.has(key)
  if (uncertain || !room.indexed) {
    await (uncertain ? readSince(ctx, room, ctx.uncertain.get(key), () => ctx.stored.has(key)) : index(ctx, room))
    const found = ctx.stored.get(key)
    if (found) {
      ctx.uncertain.delete(key)
      return found
    }
  }
  for (let tries = 0; ; tries++) {
    if (signal?.aborted) throw createError('closed', `${label} was aborted`, { cause: signal.reason })
    const conn = await connected(ctx, label)
    try {
      await ensureJoined(ctx, conn, room)
    } catch (error) {
      if (tries < 3 && !conn.isOpen()) continue
      throw error
    }
    // The room stores the message after everything seen so far: where to look if the answer is lost.
    const since = room.lastId
    const reflected = ctx.reflections.wait(key, ctx.timeout, () => createError('timeout', `${label}: the room did not confirm the message within ${ctx.timeout} ms`))
    try {
      conn.send(groupchat(room, clientId, ...content, el('origin-id', { xmlns: NS.sid, id: clientId })))
    } catch (error) {
      // Nothing was written: safe to try on the next connection.
      ctx.reflections.take(key)
      reflected.catch(() => {})
      if (tries < 3) continue
      throw error
    }
    // No one is in the room to read it: let the agents know (see `inviteAgents`).
    if (!room.agents.size) inviteAgents(ctx, conn, room)
    try {
      return await abortable(reflected, signal, label)
    } catch (error) {
      // Written, but not confirmed: the room may have stored it. The next send of this id reads
      // the archive first, so it answers the stored message instead of storing a second one.
      // The first cursor is kept: an earlier attempt may be the one stored.
      if ((!isConfabError(error) || error.retryable || error.code === 'closed') && !ctx.uncertain.has(key)) ctx.uncertain.set(key, since)
      throw error
    }
  }
}

/**
 * Deliver the stanza `content` makes once per `clientId` (see above); `what` names the string
 * `given` must be (a message's text, a postback's payload).
 */
async function once(ctx: XmppContext, id: string, label: string, clientId: unknown, given: unknown, what: string, content: () => XmlChild[], signal?: AbortSignal): Promise<Message> {
  if (typeof clientId !== 'string' || clientId === '' || typeof given !== 'string') {
    throw createError('invalid-argument', `${label} needs a clientId and a ${what}`)
  }
  const key = keyOf(id, clientId)
  const known = ctx.stored.get(key)
  if (known && ctx.rooms.has(id)) return known
  const running = ctx.sending.get(key)
  if (running) return running
  const run = roomFor(ctx, id, label).then((room) => deliver(ctx, room, clientId, content(), signal))
  ctx.sending.set(key, run)
  const clear = () => {
    if (ctx.sending.get(key) === run) ctx.sending.delete(key)
  }
  run.then(clear, clear)
  return run
}

/** Send a message once per `clientId` (see above). */
export const send = (ctx: XmppContext, id: string, message: OutgoingMessage, { signal }: { signal?: AbortSignal } = {}): Promise<Message> =>
  once(
    ctx,
    id,
    'send()',
    message?.clientId,
    message?.text,
    'text',
    () => {
      // The message says the visitor is active again.
      const room = ctx.rooms.get(id)
      if (room) room.composing = undefined
      return [...contentXml(message), el('active', { xmlns: NS.chatStates })]
    },
    signal
  )

/** Deliver a postback once per `clientId`, as a message the room archives and no client shows (see content.ts). */
export async function postback(ctx: XmppContext, id: string, given: OutgoingPostback, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
  await once(ctx, id, 'postback()', given?.clientId, given?.payload, 'payload', () => postbackXml(given), signal)
}

/**
 * Tell the room whether the visitor is typing (a chat state the archive does not keep), once per
 * change: XEP-0085 (§5.1) forbids sending `composing` twice in a row, so the client's refreshes stop
 * here. A new connection is a new occupant, told again.
 */
export async function setTyping(ctx: XmppContext, id: string, typing: boolean): Promise<void> {
  const room = await roomFor(ctx, id, 'setTyping()')
  const conn = await connected(ctx, 'setTyping()')
  await ensureJoined(ctx, conn, room)
  if (typing && room.composing === conn) return
  room.composing = typing ? conn : undefined
  conn.send(groupchat(room, undefined, el(typing ? 'composing' : 'active', { xmlns: NS.chatStates }), el('no-store', { xmlns: NS.hints })))
}
