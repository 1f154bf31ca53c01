import type { ConversationMode } from '../types.js'
import { child, childText, children, el, NS, type Xml } from './xml.js'

/**
 * What a conversation keeps in its room's configuration, readable by anyone with disco#info (so a
 * returning visitor lists conversations without any storage of its own): the subject as the room
 * name, the mode and creation time in the description, e.g. `confab mode=messaging created=1767225600000`.
 */
export interface RoomInfo {
  mode: ConversationMode
  createdAt: number
  subject?: string
}

/** Presence that joins `roomJid` as `nick`, asking for no history replay (MAM pages it instead). */
export const joinPresence = (roomJid: string, nick: string): Xml =>
  el('presence', { xmlns: NS.client, to: `${roomJid}/${nick}` }, el('x', { xmlns: NS.muc }, el('history', { maxstanzas: 0 })))

/** Presence that leaves a room. */
export const leavePresence = (roomJid: string, nick: string): Xml =>
  el('presence', { xmlns: NS.client, to: `${roomJid}/${nick}`, type: 'unavailable' })

/** Status codes (XEP-0045 §15.6) of a MUC presence. */
export function statusCodes(presence: Element): string[] {
  return children(child(presence, 'x', NS.mucUser), 'status', NS.mucUser).map((s) => s.getAttribute('code') ?? '')
}

/**
 * The owner form that configures a new room: persistent, with the conversation's subject and
 * description. Submitting it also unlocks a room the server holds locked until configured
 * (ejabberd); fields a server does not know are ignored by both Prosody and ejabberd.
 */
export function configForm(info: RoomInfo): Xml {
  const field = (name: string, value: string) => el('field', { var: name }, el('value', {}, value))
  return el(
    'query',
    { xmlns: NS.mucOwner },
    el(
      'x',
      { xmlns: NS.data, type: 'submit' },
      field('FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig'),
      field('muc#roomconfig_roomname', info.subject ?? ''),
      field('muc#roomconfig_roomdesc', describe(info)),
      field('muc#roomconfig_persistentroom', '1'),
      field('muc#roomconfig_publicroom', '0')
    )
  )
}

/** The room description that carries `info`. */
export const describe = (info: RoomInfo): string => `confab mode=${info.mode} created=${info.createdAt}`

const DESCRIPTION = /^confab mode=(chat|messaging) created=(\d{1,16})$/

/**
 * The conversation facts of a room's disco#info answer, or `undefined` when the room was not made by
 * Confab (no description in its format).
 */
export function readRoomInfo(answer: Element): RoomInfo | undefined {
  const query = child(answer, 'query', NS.disco)
  const form = children(query, 'x', NS.data)[0]
  const value = (name: string) => childText(children(form, 'field', NS.data).find((f) => f.getAttribute('var') === name), 'value', NS.data)
  const match = DESCRIPTION.exec((value('muc#roominfo_description') ?? '').trim())
  if (!match) return undefined
  // Only the form's room name: without one, servers show the room's local part as its identity name.
  const subject = value('muc#roomconfig_roomname') ?? ''
  const info: RoomInfo = { mode: match[1] as ConversationMode, createdAt: Number(match[2]) }
  if (subject !== '') info.subject = subject
  return info
}

/**
 * A direct invitation (XEP-0249) of `to` into the room: an ordinary message to the agent's bare JID,
 * which servers keep in offline storage for an agent who is away, and which needs no right to invite
 * in the room. The body, the room's `xmpp:…?join` URI (RFC 5122), is for clients that do not know
 * XEP-0249: they show it as a link that joins the room.
 */
export const invite = (roomJid: string, to: string): Xml =>
  el('message', { xmlns: NS.client, to }, el('body', {}, `xmpp:${roomJid}?join`), el('x', { xmlns: NS.conference, jid: roomJid }))
