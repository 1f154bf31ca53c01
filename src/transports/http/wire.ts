import { createError } from '../../errors/index.js'
import type {
  ArchiveHit,
  Author,
  AuthorRole,
  Conversation,
  ConversationPage,
  HistoryPage,
  Message,
  TransportEvent,
  VisitorSession
} from '../types.js'

/**
 * Checks for what the server sends. Each reader returns a fresh object holding only the fields the
 * contract knows, or `undefined` when the input does not match the protocol: the server is another
 * program, possibly another version, and one bad object must not crash the widget.
 */

type Json = Record<string, unknown>
type Reader<T> = (value: unknown) => T | undefined

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const isString = (value: unknown): value is string => typeof value === 'string'
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
/** Optional fields: absent, `null` (some servers write it for "none") or of the right type. */
const optional = (value: unknown, check: (value: unknown) => boolean) => value == null || check(value)
const roles: readonly AuthorRole[] = ['visitor', 'agent', 'bot', 'system']

const readAuthor: Reader<Author> = (value) => {
  if (!isObject(value) || !roles.includes(value.role as AuthorRole)) return undefined
  if (!optional(value.id, isString) || !optional(value.name, isString)) return undefined
  const author: Author = { role: value.role as AuthorRole }
  if (value.id != null) author.id = value.id as string
  if (value.name != null) author.name = value.name as string
  return author
}

/** A {@link Message}, or `undefined`. */
export const readMessage: Reader<Message> = (value) => {
  if (!isObject(value)) return undefined
  const { id, clientId, conversationId, seq, text, createdAt } = value
  const author = readAuthor(value.author)
  if (!author || !isString(id) || !isString(conversationId) || !isString(text) || !isTime(createdAt)) return undefined
  if (!optional(clientId, isString) || !optional(seq, Number.isInteger)) return undefined
  const message: Message = { id, conversationId, author, text, createdAt }
  if (clientId != null) message.clientId = clientId as string
  if (seq != null) message.seq = seq as number
  return message
}

/** A {@link Conversation}, or `undefined`. */
export const readConversation: Reader<Conversation> = (value) => {
  if (!isObject(value)) return undefined
  const { id, mode, status, subject, createdAt, updatedAt } = value
  if (!isString(id) || (mode !== 'chat' && mode !== 'messaging')) return undefined
  if ((status !== 'open' && status !== 'closed') || !isTime(createdAt) || !isTime(updatedAt)) return undefined
  if (!optional(subject, isString)) return undefined
  const conversation: Conversation = { id, mode, status, createdAt, updatedAt }
  if (subject != null) conversation.subject = subject as string
  if (value.lastMessage != null) {
    const last = readMessage(value.lastMessage)
    if (!last) return undefined
    conversation.lastMessage = last
  }
  return conversation
}

/** Every item read, or `undefined` if any item is bad (a page with holes would mislead paging). */
const readList = <T>(value: unknown, read: Reader<T>): T[] | undefined => {
  if (!Array.isArray(value)) return undefined
  const items: T[] = []
  for (const item of value) {
    const read_ = read(item)
    if (read_ === undefined) return undefined
    items.push(read_)
  }
  return items
}

const isCursor = (value: unknown): value is string | null => value === null || isString(value)

/** The answer of `POST /v1/sessions`: the contract's session plus the bearer token. */
export const readSession: Reader<VisitorSession & { token: string }> = (value) => {
  if (!isObject(value)) return undefined
  const { visitorId, resumeKey, token, name, identified } = value
  if (!isString(visitorId) || !isString(token) || !optional(resumeKey, isString) || !optional(name, isString)) return undefined
  const session: VisitorSession & { token: string } = { visitorId, token }
  if (isString(resumeKey)) session.resumeKey = resumeKey
  if (isString(name)) session.name = name
  if (identified != null) {
    if (!isObject(identified) || !isString(identified.id)) return undefined
    const user: NonNullable<VisitorSession['identified']> = { id: identified.id }
    if (isString(identified.name)) user.name = identified.name
    if (isString(identified.email)) user.email = identified.email
    session.identified = user
  }
  return session
}

/** The answer of `GET /v1/conversations`. */
export const readConversationPage: Reader<ConversationPage> = (value) => {
  if (!isObject(value)) return undefined
  const conversations = readList(value.conversations, readConversation)
  // `next` may be omitted by a server that never pages.
  const next = value.next ?? null
  return conversations && isCursor(next) ? { conversations, next } : undefined
}

/** The answer of `GET /v1/conversations/:id/messages`. */
export const readHistoryPage: Reader<HistoryPage> = (value) => {
  if (!isObject(value)) return undefined
  const messages = readList(value.messages, readMessage)
  const { before, after } = value
  return messages && isCursor(before) && isCursor(after) ? { messages, before, after } : undefined
}

/** The answer of `GET /v1/search`: its `hits`. */
export const readArchiveHits: Reader<ArchiveHit[]> = (value) =>
  isObject(value)
    ? readList(value.hits, (hit) => {
        // `?.` reads nothing from `null`, and a string or number has no `message`.
        const message = readMessage((hit as Json | null)?.message)
        return message ? { message } : undefined
      })
    : undefined

/**
 * Turn one server-sent event into a contract event. Anything that does not match the protocol
 * (bad JSON, a missing field, an event name this version does not know) becomes an `error` event
 * carrying the raw data, so the stream goes on and the site can still log what was dropped.
 *
 * @example
 * readEvent('message', '{"message":{…}}', '42') // { type: 'message', message: {…}, cursor: '42' }
 */
export function readEvent(name: string, data: string, id: string): TransportEvent {
  const cursor = id === '' ? {} : { cursor: id }
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    value = undefined
  }
  if (name === 'reset') return { type: 'reset', ...cursor }
  if (isObject(value)) {
    if (name === 'message') {
      const message = readMessage(value.message)
      if (message) return { type: 'message', message, ...cursor }
    } else if (name === 'conversation') {
      const conversation = readConversation(value.conversation)
      if (conversation) return { type: 'conversation', conversation, ...cursor }
    } else if (name === 'typing') {
      const author = readAuthor(value.author)
      const { conversationId, typing } = value
      if (author && isString(conversationId) && typeof typing === 'boolean') {
        return { type: 'typing', conversationId, author, typing, ...cursor }
      }
    }
  }
  return {
    type: 'error',
    error: createError('malformed-event', `Dropped a malformed "${name}" event${id ? ` (id ${id})` : ''}`, { data })
  }
}
