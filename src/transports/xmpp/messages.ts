import { createError, type ConfabError } from '../../errors/index.js'
import type { Author, HistoryPage, HistoryQuery, Message, OutgoingPostback } from '../types.js'
import { readContent, readPostback } from './content.js'
import { child, childText, children, el, NS, splitJid, type Xml } from './xml.js'

/** What reading a room's message needs to know. */
export interface RoomContext {
  /** Conversation id (the room's local part). */
  id: string
  /** The room's bare JID. */
  jid: string
  /** Whether `nick` is the visitor (in any of the visitor's sessions). */
  isVisitor(nick: string): boolean
  visitorId: string
}

/** A stanza of the room as the adapter keeps it: a message, or with `postback` a postback, which is never shown. */
export interface Entry extends Message {
  postback?: Omit<OutgoingPostback, 'clientId'>
}

/**
 * What a groupchat message with a body (or a postback) becomes, or `undefined` when it cannot be one
 * (no stanza id from the room, so it could neither be paged to nor deduplicated). A Confab content
 * element that cannot be read is reported; the message keeps its text and its standard elements.
 */
export function readMessage(stanza: Element, room: RoomContext, stanzaId: string | undefined, createdAt: number, report?: (error: ConfabError) => void): Entry | undefined {
  const body = childText(stanza, 'body')
  const postback = body === undefined ? readPostback(stanza) : undefined
  if ((body === undefined && !postback) || !stanzaId) return undefined
  const nick = splitJid(stanza.getAttribute('from') ?? '').resource
  const clientId = child(stanza, 'origin-id', NS.sid)?.getAttribute('id') ?? undefined
  const message: Entry = { id: stanzaId, conversationId: room.id, author: authorOf(nick, room), text: body ?? '', createdAt }
  if (clientId) message.clientId = clientId
  if (postback) {
    message.postback = postback
    return message
  }
  const { content, problem } = readContent(stanza, body!)
  if (problem) report?.(createError('malformed-event', `Message ${stanzaId} in ${room.jid}: ${problem}; its text and standard elements were kept`, { data: stanza.outerHTML?.slice(0, 1000) }))
  // Only the content model's keys (see `readContent`), the text among them.
  return Object.assign(message, content)
}

/** Who wrote a message sent by `nick` in the room (no nick: the room itself). */
export function authorOf(nick: string | undefined, room: RoomContext): Author {
  if (nick === undefined || nick === '') return { role: 'system' }
  if (room.isVisitor(nick)) return { role: 'visitor', id: room.visitorId }
  return { role: 'agent', id: nick, name: nick }
}

/** The id the room gave a live message (XEP-0359 `<stanza-id by="room">`), which is also its archive id. */
export function stanzaIdOf(stanza: Element, roomJid: string): string | undefined {
  return children(stanza, 'stanza-id', NS.sid).find((node) => node.getAttribute('by') === roomJid)?.getAttribute('id') ?? undefined
}

/** `<delay stamp>` (XEP-0203) in ms, or `undefined`. */
export function delayOf(parent: Element | undefined): number | undefined {
  // No stamp, or an empty one, parses as NaN too.
  const time = Date.parse(child(parent, 'delay', NS.delay)?.getAttribute('stamp') ?? '')
  return Number.isNaN(time) ? undefined : time
}

/**
 * One archived message of a MAM result (`<message><result id queryid><forwarded><delay/><message/>`),
 * or `undefined` when it carries no body and no postback (a subject change, a chat state an archive kept).
 */
export function readArchived(result: Element, room: RoomContext, report?: (error: ConfabError) => void): Entry | undefined {
  const forwarded = child(result, 'forwarded', NS.forward)
  // In jabber:client, or (some servers) without a namespace of its own.
  const inner = child(forwarded, 'message')
  if (!inner) return undefined
  const createdAt = delayOf(forwarded) ?? delayOf(inner)
  if (createdAt === undefined) return undefined
  return readMessage(inner, room, result.getAttribute('id') ?? undefined, createdAt, report)
}

/** The XEP-0085 chat state of a message, if it has one. */
export function chatStateOf(stanza: Element): 'active' | 'composing' | 'paused' | 'inactive' | 'gone' | undefined {
  return Array.from(stanza.children).find((node) => node.namespaceURI === NS.chatStates)?.localName as 'composing' | undefined
}

/** Which slice of the archive a query asks for. */
export type ArchiveSlice = { before: string | null } | { after: string | null }

/**
 * A MAM (XEP-0313) query of a room's archive, paged with RSM (XEP-0059): `{ before: null }` is the
 * newest page, `{ before: id }` the page before `id`, `{ after: null }` the oldest page and
 * `{ after: id }` the page after `id`.
 */
export function archiveQuery(queryId: string, slice: ArchiveSlice, max: number): Xml {
  const cursor =
    'before' in slice ? el('before', {}, slice.before ?? undefined) : slice.after === null ? undefined : el('after', {}, slice.after)
  return el('query', { xmlns: NS.mam, queryid: queryId }, el('set', { xmlns: NS.rsm }, el('max', {}, max), cursor))
}

/** The `<fin>` of a MAM answer: whether the archive ends in the paging direction, and the page's ends. */
export function readFin(answer: Element): { complete: boolean; first?: string; last?: string } {
  const fin = child(answer, 'fin', NS.mam)
  const set = child(fin, 'set', NS.rsm)
  const first = childText(set, 'first', NS.rsm)
  const last = childText(set, 'last', NS.rsm)
  return {
    complete: fin?.getAttribute('complete') === 'true',
    ...(first ? { first } : {}),
    ...(last ? { last } : {})
  }
}

/** The archive slice a `history()` query asks for; `start` is the cursor of "the archive's start". */
export function sliceOf({ before, after }: Pick<HistoryQuery, 'before' | 'after'>, start: string): ArchiveSlice {
  return after !== undefined ? { after: after === start ? null : after } : { before: before ?? null }
}

/**
 * The page `history()` answers for an archive answer to `slice`. Paging back, `before` is the page's
 * first archive id until the archive says it is complete; `after` is the last id, or `start` for an
 * empty page (nothing older exists, so what follows is everything). Paging forward, an empty page
 * keeps the cursor it was asked with.
 */
export function historyPage(messages: Message[], fin: { complete: boolean; first?: string; last?: string }, slice: ArchiveSlice, start: string): HistoryPage {
  if ('before' in slice) return { messages, before: fin.complete || !fin.first ? null : fin.first, after: fin.last ?? start }
  return { messages, before: slice.after === null || !fin.first ? null : fin.first, after: fin.last ?? slice.after ?? start }
}
