import { createError, isConfabError } from '../../errors/index.js'
import type { Message, OutgoingMessage } from '../types.js'
import { index, readSince } from './archive.js'
import { keyOf, type Room, type XmppContext } from './context.js'
import { ensureJoined, inviteAgents, roomFor } from './directory.js'
import { connected } from './requests.js'
import { abortable } from './waiters.js'
import { el, NS, type XmlChild } from './xml.js'

// Sending messages and typing. A message is sent once per client id: a repeat answers the stored
// message, found in what this session saw or, after a reload or a lost answer, in the archive.

/** A groupchat message to `room`. */
const groupchat = (room: Room, id: string | undefined, ...children: XmlChild[]) =>
  el('message', { xmlns: NS.client, type: 'groupchat', to: room.jid, id }, ...children)

async function deliver(ctx: XmppContext, room: Room, clientId: string, text: string, signal: AbortSignal | undefined): Promise<Message> {
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
      conn.send(groupchat(room, clientId, el('body', {}, text), el('active', { xmlns: NS.chatStates }), el('origin-id', { xmlns: NS.sid, id: clientId })))
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

/** Send `text` once per `clientId` (see above). */
export async function send(ctx: XmppContext, id: string, { clientId, text }: OutgoingMessage, { signal }: { signal?: AbortSignal } = {}): Promise<Message> {
  if (typeof clientId !== 'string' || clientId === '' || typeof text !== 'string') {
    throw createError('invalid-argument', 'send() needs a clientId and a text')
  }
  const key = keyOf(id, clientId)
  const known = ctx.stored.get(key)
  if (known && ctx.rooms.has(id)) return known
  const running = ctx.sending.get(key)
  if (running) return running
  const run = roomFor(ctx, id, 'send()').then((room) => deliver(ctx, room, clientId, text, signal))
  ctx.sending.set(key, run)
  const clear = () => {
    if (ctx.sending.get(key) === run) ctx.sending.delete(key)
  }
  run.then(clear, clear)
  return run
}

/** Tell the room whether the visitor is typing (a chat state the archive does not keep). */
export async function setTyping(ctx: XmppContext, id: string, typing: boolean): Promise<void> {
  const room = await roomFor(ctx, id, 'setTyping()')
  const conn = await connected(ctx, 'setTyping()')
  await ensureJoined(ctx, conn, room)
  conn.send(groupchat(room, undefined, el(typing ? 'composing' : 'active', { xmlns: NS.chatStates }), el('no-store', { xmlns: NS.hints })))
}
