import { createError, type ConfabError } from '../../errors/index.js'
import type { Conversation, ConversationInit, ConversationPage } from '../types.js'
import { loadNewest } from './archive.js'
import type { Room, XmppContext } from './context.js'
import type { XmppConnection } from './connection.js'
import { conditionOf } from './errors.js'
import { roomName } from './identity.js'
import { request } from './requests.js'
import { configForm, invite, joinPresence, readRoomInfo, type RoomInfo } from './rooms.js'
import { el, NS } from './xml.js'

// The visitor's conversations, one MUC room each, named from the visitor's secret.

/** The room number after the highest one known, counting rooms skipped as unusable. */
const nextIndex = (ctx: XmppContext) => Math.max(ctx.skipped, ...[...ctx.rooms.values()].map((r) => r.index)) + 1
const nameOf = (ctx: XmppContext, index: number) => roomName(ctx.crypto(), ctx.options.roomPrefix ?? 'confab-', ctx.visitor!.seed, index)
const jidOf = (ctx: XmppContext, name: string) => `${name}@${ctx.options.mucService ?? `conference.${ctx.options.domain}`}`
/** How long after an invitation into a room the agents are not invited there again. */
const REINVITE = 5 * 60_000

/** Join `room` on `conn` once; a nick held by another session of the visitor gets a `~n` suffix. */
export function ensureJoined(ctx: XmppContext, conn: XmppConnection, room: Room): Promise<void> {
  if (room.joinedOn === conn && room.joining) return room.joining
  room.joinedOn = conn
  // The room tells who is in it as it lets us in.
  room.agents.clear()
  const joining = (async () => {
    for (let n = 1; ; n++) {
      const nick = n === 1 ? ctx.visitor!.nick : `${ctx.visitor!.nick}~${n}`
      try {
        await joinAs(ctx, conn, room.jid, nick)
        room.nick = nick
        return
      } catch (error) {
        if (conditionOf(error) !== 'conflict' || n >= 5) throw error
      }
    }
  })()
  room.joining = joining
  joining.catch(() => {
    if (room.joining === joining) room.joinedOn = room.joining = undefined
  })
  return joining
}

function joinAs(ctx: XmppContext, conn: XmppConnection, jid: string, nick: string): Promise<{ created: boolean }> {
  return ctx.joins.ask(jid, ctx.timeout, () => createError('timeout', `Joining ${jid}: no answer within ${ctx.timeout} ms`), () => conn.send(joinPresence(jid, nick)))
}

function addRoom(ctx: XmppContext, index: number, name: string, info: RoomInfo): Room {
  const jid = jidOf(ctx, name)
  // Until the room, as it lets us in, says an agent is there (a new room has none).
  const conversation: Conversation = { id: name, mode: info.mode, status: 'open', createdAt: info.createdAt, updatedAt: info.createdAt, agentPresence: 'waiting' }
  if (info.subject !== undefined) conversation.subject = info.subject
  const nick = ctx.visitor!.nick
  const room: Room = {
    id: name,
    jid,
    index,
    conversation,
    nick,
    visitorId: ctx.visitor!.visitorId,
    isVisitor: (other) => other === nick || other.startsWith(`${nick}~`),
    seen: new Set(),
    indexed: false,
    agents: new Set(),
    invited: new Set(),
    invitedAt: -Infinity,
    order: new Map(),
    lowest: 0,
    highest: 0
  }
  ctx.rooms.set(name, room)
  ctx.byJid.set(jid, room)
  return room
}

/**
 * Find rooms of the visitor not known yet: room names follow from the visitor's secret, one per
 * index, so probing index after index with disco#info until a room does not exist lists them all.
 * A room that refuses the visitor (destroyed, banned, members-only) is reported and left out; its
 * number stays taken.
 */
export function discover(ctx: XmppContext, label: string): Promise<void> {
  if (ctx.probing) return ctx.probing
  const session = ctx.generation
  const run = request(ctx, label, async (conn) => {
    for (let index = nextIndex(ctx); session === ctx.generation; index++) {
      const name = await nameOf(ctx, index)
      let info: RoomInfo | undefined
      try {
        info = readRoomInfo(await conn.iq('get', jidOf(ctx, name), el('query', { xmlns: NS.disco }), `Looking up ${name}`))
      } catch (error) {
        if (conditionOf(error) === 'item-not-found') return
        // Prosody keeps a destroyed room's tombstone, answering `gone`: rooms after it may still exist.
        if (conditionOf(error) !== 'gone') throw error
        ctx.skipped = index
        continue
      }
      if (ctx.rooms.has(name) || session !== ctx.generation) continue
      const room = addRoom(ctx, index, name, info ?? { mode: 'messaging', createdAt: 0 })
      try {
        await Promise.all([ensureJoined(ctx, conn, room), loadNewest(ctx, conn, room)])
      } catch (error) {
        // A refusal is final; a lost connection or a slow server is not, and fails the call as before.
        if (!conn.isOpen() || (error as ConfabError).retryable) throw error
        ctx.rooms.delete(name)
        ctx.byJid.delete(room.jid)
        ctx.skipped = index
        ctx.report(error as ConfabError)
      }
    }
  })
  ctx.probing = run
  const clear = () => {
    if (ctx.probing === run) ctx.probing = undefined
  }
  run.then(clear, clear)
  return run
}

/** The visitor's room `id`, or a `not-found` error: no one reads or writes another visitor's conversation. */
export async function roomFor(ctx: XmppContext, id: string, label: string): Promise<Room> {
  if (typeof id !== 'string') throw createError('invalid-argument', `${label}: a conversation id is needed`)
  const known = ctx.rooms.get(id)
  if (known) return known
  await discover(ctx, label)
  const found = ctx.rooms.get(id)
  if (!found) throw createError('not-found', `${label}: conversation ${id} does not exist`, { retryable: false })
  return found
}

/** Every conversation of the visitor, newest activity first. */
export async function listConversations(ctx: XmppContext): Promise<ConversationPage> {
  await discover(ctx, 'Listing conversations')
  const conversations = [...ctx.rooms.values()].map((room) => room.conversation).sort((a, b) => b.updatedAt - a.updatedAt)
  return { conversations, next: null }
}

/** A new room, configured, with the agents invited. */
export function createConversation(ctx: XmppContext, { mode, subject }: ConversationInit = { mode: 'messaging' }): Promise<Conversation> {
  if (mode !== 'chat' && mode !== 'messaging') {
    return Promise.reject(createError('invalid-argument', `createConversation(): mode must be 'chat' or 'messaging', got ${String(mode)}`))
  }
  // One creation at a time: each takes the next free room number.
  const run = ctx.creating.then(async () => {
    await discover(ctx, 'Creating a conversation')
    const session = ctx.generation
    return request(ctx, 'Creating a conversation', async (conn) => {
      for (let index = nextIndex(ctx); ; index++) {
        const name = await nameOf(ctx, index)
        const info: RoomInfo = { mode, createdAt: ctx.now(), ...(subject ? { subject } : {}) }
        const jid = jidOf(ctx, name)
        const { created } = await joinAs(ctx, conn, jid, ctx.visitor!.nick)
        if (session !== ctx.generation) throw createError('closed', 'The XMPP transport was closed')
        if (!created) {
          // Another session of this visitor took this number a moment ago: adopt it, try the next.
          await discover(ctx, 'Creating a conversation')
          continue
        }
        // Configure first: ejabberd keeps a new room locked until its owner submits the form.
        await conn.iq('set', jid, configForm(info), `Configuring ${jid}`)
        const room = addRoom(ctx, index, name, info)
        room.joinedOn = conn
        room.joining = Promise.resolve()
        room.indexed = true
        inviteAgents(ctx, conn, room)
        return room.conversation
      }
    })
  })
  ctx.creating = run.catch(() => {})
  return run
}

/**
 * Invite the configured agents into `room`, which no agent is in: each one not invited since an
 * agent last came in (one invitation waiting per agent and room), and at most once every
 * {@link REINVITE} ms per room. Called when the room is made and when the visitor writes.
 */
export function inviteAgents(ctx: XmppContext, conn: XmppConnection, room: Room): void {
  const now = ctx.now()
  if (now < room.invitedAt + REINVITE) return
  for (const agent of ctx.options.agents ?? []) {
    if (room.invited.has(agent)) continue
    room.invited.add(agent)
    room.invitedAt = now
    conn.send(invite(room.jid, agent))
  }
}
