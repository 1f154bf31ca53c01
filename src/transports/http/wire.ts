import { isTypePattern } from '../../content/upload-types.js'
import { createError } from '../../errors/index.js'
import type {
  ArchiveHit,
  Author,
  Conversation,
  ConversationPage,
  HistoryPage,
  Message,
  ReadMark,
  TransportEvent,
  UploadLimits,
  UploadSlot,
  VisitorSession
} from '../types.js'

/**
 * Checks for what the server sends. Each reader returns a fresh object holding only the fields the
 * contract knows, or `undefined` when the input does not match the protocol: the server is another
 * program, possibly another version, and one bad object must not crash the widget.
 *
 * Readers are built from one schema helper, {@link shape}: a field is a reader of its own (a string,
 * a finite time, a nested shape, a list …), so each check is one word and the bundle stays small.
 */

type Json = Record<string, unknown>
/** Reads a value: what to keep, or `undefined` when it does not match. */
type Reader<T> = (value: unknown) => T | undefined
/**
 * A field of a {@link shape}. Optional ones may be absent or `null` (some servers write it for
 * "none"); loose ones are also left out, not refused, when they do not match.
 */
type Field = Reader<unknown> & { optional?: 'optional' | 'loose' }

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
/** A reader that keeps what passes `test`. */
const is =
  (test: (value: unknown) => boolean): Reader<unknown> =>
  (value) =>
    test(value) ? value : undefined
const string = is((value) => typeof value === 'string')
// Number.isFinite and Number.isInteger are false for anything that is not a number.
const time = is(Number.isFinite)
const oneOf = (...values: unknown[]) => is((value) => values.includes(value))
/** A cursor: a string, or `null` for "no more". */
const cursor = is((value) => value === null || typeof value === 'string')
/** The field may be absent or `null`; it is then left out. */
const optional = (read: Reader<unknown>, how: Field['optional'] = 'optional'): Field =>
  Object.assign((value: unknown) => read(value), { optional: how })

/**
 * A reader of objects with these fields, in a fresh object with nothing else. A missing or bad
 * required field, or a bad optional one that is not loose, makes the whole object `undefined`.
 */
const shape =
  <T>(fields: Record<string, Field>): Reader<T> =>
  (value) => {
    if (!isObject(value)) return undefined
    const out: Json = {}
    for (const key in fields) {
      const read = fields[key]!
      if (read.optional && value[key] == null) continue
      const field = read(value[key])
      if (field !== undefined) out[key] = field
      else if (read.optional !== 'loose') return undefined
    }
    return out as T
  }

/** Every item read, or `undefined` if any item is bad (a page with holes would mislead paging). */
const list =
  <T>(read: Reader<T>): Reader<T[]> =>
  (value) => {
    if (!Array.isArray(value)) return undefined
    const items: T[] = []
    for (const item of value) {
      const one = read(item)
      if (one === undefined) return undefined
      items.push(one)
    }
    return items
  }

const readAuthor = shape<Author>({
  role: oneOf('visitor', 'agent', 'bot', 'system'),
  id: optional(string),
  name: optional(string)
})

/**
 * A field kept as the server sent it. The content fields are checked by the client, which keeps the
 * message and its text when a part breaks the rules (`guardContent`); refusing here would lose it.
 */
const raw = optional((value) => value, 'loose')

/** A {@link Message}, or `undefined`. */
export const readMessage = shape<Message>({
  id: string,
  clientId: optional(string),
  conversationId: string,
  seq: optional(is(Number.isInteger)),
  author: readAuthor,
  text: string,
  parts: raw,
  replies: raw,
  actions: raw,
  blockComposer: raw,
  replyTo: raw,
  metadata: raw,
  createdAt: time
})

const readMark = shape<ReadMark>({ messageId: string, at: optional(time, 'loose'), reader: optional(readAuthor, 'loose') })

/** A {@link Conversation}, or `undefined`. */
export const readConversation = shape<Conversation>({
  id: string,
  mode: oneOf('chat', 'messaging'),
  status: oneOf('open', 'closed'),
  subject: optional(string),
  createdAt: time,
  updatedAt: time,
  lastMessage: optional(readMessage),
  // A read position this version cannot read is left out: the conversation itself is fine.
  read: optional(shape({ visitor: optional(readMark, 'loose'), agent: optional(readMark, 'loose') }), 'loose')
})

/** The `uploadLimits` of a session: a whole, positive `maxBytes` and well-formed `types`. */
export const readUploadLimits = shape<UploadLimits>({
  maxBytes: is((value) => Number.isSafeInteger(value) && (value as number) > 0),
  types: list(is(isTypePattern))
})

/**
 * The answer of `POST /v1/sessions`: the contract's session plus the bearer token. `uploadLimits`
 * comes as sent: the transport checks it with {@link readUploadLimits} and reports a bad one.
 */
export const readSession = shape<VisitorSession & { token: string; uploadLimits?: unknown }>({
  visitorId: string,
  token: string,
  resumeKey: optional(string),
  name: optional(string),
  uploadLimits: raw,
  identified: optional(
    shape({
      id: string,
      // Facts about the user that are not strings are left out rather than refused.
      name: optional(string, 'loose'),
      email: optional(string, 'loose')
    })
  )
})

/** Header names and values, all strings. */
const headers: Reader<Record<string, string>> = (value) =>
  isObject(value) && Object.values(value).every((item) => typeof item === 'string') ? { ...(value as Record<string, string>) } : undefined

/** An absolute `http:` or `https:` URL (what a slot's URLs must be: the client puts to one, shows the other). */
const httpUrl = is((value) => typeof value === 'string' && /^https?:\/\/[^/]/i.test(value))

/** The answer of `POST /v1/conversations/:id/uploads`. */
export const readUploadSlot = shape<UploadSlot>({
  putUrl: httpUrl,
  headers: optional(headers),
  getUrl: httpUrl,
  expiresAt: optional(time),
  stored: optional(is((value) => typeof value === 'boolean'))
})

/** The answer of `GET /v1/conversations`. */
export const readConversationPage: Reader<ConversationPage> = shape({
  conversations: list(readConversation),
  // `next` may be omitted by a server that never pages.
  next: (value) => cursor(value ?? null)
})

/** The answer of `GET /v1/conversations/:id/messages`. */
export const readHistoryPage = shape<HistoryPage>({ messages: list(readMessage), before: cursor, after: cursor })

/** The answer of `GET /v1/search`: its `hits`. */
const readHits = shape<{ hits: ArchiveHit[] }>({ hits: list(shape({ message: readMessage })) })
export const readArchiveHits: Reader<ArchiveHit[]> = (value) => readHits(value)?.hits

/** The `data` of each server-sent event this version knows. */
const events: Record<string, Reader<Json>> = {
  message: shape({ message: readMessage }),
  conversation: shape({ conversation: readConversation }),
  typing: shape({ conversationId: string, author: readAuthor, typing: is((value) => typeof value === 'boolean') }),
  read: shape({ conversationId: string, reader: readAuthor, messageId: string, at: optional(time, 'loose') })
}

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
  if (name === 'reset') return { type: 'reset', ...cursor }
  let event: Json | undefined
  try {
    // An own property only: an event named "constructor" is unknown, not Object.
    event = Object.hasOwn(events, name) ? events[name]!(JSON.parse(data)) : undefined
  } catch {
    // Not JSON: malformed like any other mismatch.
  }
  return event
    ? ({ type: name, ...event, ...cursor } as TransportEvent)
    : {
        type: 'error',
        error: createError('malformed-event', `Dropped a malformed "${name}" event${id ? ` (id ${id})` : ''}`, { data })
      }
}
