import { checkContent, cleanContent, LIMITS } from '../content/check.js'
import { formResponseText, ratingText } from '../content/plain.js'
import { createError, type ConfabError } from '../errors/index.js'
import type {
  Conversation,
  FormPart,
  FormResponsePart,
  Message,
  Transport,
  TransportEvent,
  VisitorContent
} from '../transports/types.js'
import type { FormValues } from './api.js'

/**
 * The transport as the client uses it: every message it hands over (history pages, send answers,
 * events, conversation previews) is cleaned first. A part, quick reply or button that breaks the
 * content rules, or whose type the transport does not declare in `capabilities.content`, is left
 * out and reported as a `malformed-event` error (once per message); the message itself, and its
 * text, always stay.
 *
 * @example
 * const guarded = guardContent(transport, (error) => emitter.emit('error', error))
 */
export function guardContent(transport: Transport, report: (error: ConfabError) => void): Transport {
  const types = transport.capabilities.content ?? []
  // The same message comes back (history read again, a conversation's preview): it is reported once.
  const reported = new Set<string>()
  const clean = (message: Message): Message => {
    const { content, problems } = cleanContent(message, types)
    if (problems.length === 0) return message
    const key = `${message.conversationId}\n${message.id}`
    if (!reported.has(key)) {
      if (reported.size >= 1000) reported.clear()
      reported.add(key)
      report(
        createError('malformed-event', `Message ${message.id} came with content that cannot be shown: ${problems.map((p) => p.message).join('; ')}`, {
          data: message
        })
      )
    }
    const { text: _text, parts: _parts, replies: _replies, actions: _actions, blockComposer: _block, replyTo: _replyTo, metadata: _metadata, ...rest } = message
    return { ...rest, ...content }
  }
  const cleanConversation = (conversation: Conversation): Conversation =>
    conversation.lastMessage ? { ...conversation, lastMessage: clean(conversation.lastMessage) } : conversation
  const cleanEvent = (event: TransportEvent): TransportEvent =>
    event.type === 'message'
      ? { ...event, message: clean(event.message) }
      : event.type === 'conversation'
        ? { ...event, conversation: cleanConversation(event.conversation) }
        : event
  return {
    name: transport.name,
    capabilities: transport.capabilities,
    // Each method called on the adapter itself, so that adapters written as classes keep their `this`.
    connect: (input) => transport.connect(input),
    close: () => transport.close(),
    createConversation: async (init) => cleanConversation(await transport.createConversation(init)),
    getConversation: async (id) => cleanConversation(await transport.getConversation(id)),
    listConversations: async (options) => {
      const page = await transport.listConversations(options)
      return { ...page, conversations: page.conversations.map(cleanConversation) }
    },
    history: async (id, query) => {
      const page = await transport.history(id, query)
      return { ...page, messages: page.messages.map(clean) }
    },
    send: async (id, message, options) => clean(await transport.send(id, message, options)),
    subscribe: (listener, options) => transport.subscribe((event) => listener(cleanEvent(event)), options),
    closeConversation: transport.closeConversation && (async (id) => cleanConversation(await transport.closeConversation!(id))),
    postback: transport.postback && ((id, postback, options) => transport.postback!(id, postback, options)),
    setTyping: transport.setTyping && ((id, typing) => transport.setTyping!(id, typing)),
    markRead: transport.markRead && ((id, messageId) => transport.markRead!(id, messageId)),
    requestUpload: transport.requestUpload && ((id, request, options) => transport.requestUpload!(id, request, options)),
    putUpload: transport.putUpload && ((slot, file, options) => transport.putUpload!(slot, file, options)),
    searchArchive:
      transport.searchArchive &&
      (async (query, options) => (await transport.searchArchive!(query, options)).map((hit) => ({ ...hit, message: clean(hit.message) })))
  }
}

/**
 * What the visitor sends (a message, a quick reply's answer, a form response, a rating), checked
 * against the content rules (text trimmed). Parts of a type the transport does not carry are left
 * out: the text says it all for such a backend. Throws an `invalid-argument` error naming the rule
 * or limit broken.
 */
export function visitorContent(input: string | VisitorContent, transport: Transport): VisitorContent {
  const given = typeof input === 'string' ? { text: input } : input
  const trimmed = given && typeof given === 'object' && typeof given.text === 'string' ? { ...given, text: given.text.trim() } : given
  const checked = checkContent(trimmed, { from: 'visitor' })
  if (!checked.ok) {
    const { problem } = checked
    const message = problem.path === 'text' && /blank|empty|missing/.test(problem.message) ? 'A message needs some visible text' : problem.message
    throw createError('invalid-argument', message, { data: problem })
  }
  const types = transport.capabilities.content ?? []
  const { parts, ...rest } = checked.content as VisitorContent
  const carried = parts?.filter((part) => types.includes(part.type))
  return carried?.length ? { ...rest, parts: carried } : rest
}

/** The form part of a message, or an `invalid-argument` error. */
export function formOf(message: Message): FormPart {
  const form = message.parts?.find((part): part is FormPart => part.type === 'form')
  if (!form) throw createError('invalid-argument', `Message ${message.id} has no form`)
  return form
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The visitor's answers to a form, checked field by field the way the form's own inputs check them,
 * as the content of the form response message. Throws an `invalid-argument` error naming the field.
 */
export function formResponse(message: Message, values: FormValues): VisitorContent {
  const form = formOf(message)
  const fields: FormResponsePart['fields'] = []
  for (const field of form.fields) {
    const given = values[field.name]
    const problem = (what: string) => createError('invalid-argument', `${field.label}: ${what}`, { data: { field: field.name } })
    if (field.type === 'multiselect') {
      const chosen = given === undefined ? [] : Array.isArray(given) ? given : [given]
      if (field.required && chosen.length === 0) throw problem('choose at least one')
      if (chosen.some((value) => !field.options?.some((option) => option.value === value))) throw problem('not one of the choices')
      if (chosen.length) fields.push({ name: field.name, label: field.label, value: [...chosen] })
      continue
    }
    if (Array.isArray(given)) throw problem('one answer only')
    // A script may pass a number for a number field: it is sent as the text the field would hold.
    const value = (typeof given === 'number' ? String(given) : given ?? '').trim()
    if (!value) {
      if (field.required) throw problem('required')
      continue
    }
    if (field.type === 'select' && !field.options?.some((option) => option.value === value)) throw problem('not one of the choices')
    if (field.type === 'email' && !EMAIL.test(value)) throw problem('not an email address')
    if (field.type === 'number') {
      const number = Number(value)
      if (!Number.isFinite(number)) throw problem('not a number')
      if (field.min !== undefined && number < field.min) throw problem(`at least ${field.min}`)
      if (field.max !== undefined && number > field.max) throw problem(`at most ${field.max}`)
    }
    if (value.length > (field.maxLength ?? 1000)) throw problem(`at most ${field.maxLength ?? 1000} characters`)
    fields.push({ name: field.name, label: field.label, value })
  }
  if (fields.length === 0) throw createError('invalid-argument', 'The form has no answers')
  // A select's answer reads as its choice's label in the text; the part keeps the value.
  const readable = fields.map((answer) => {
    const options = form.fields.find((f) => f.name === answer.name)?.options
    const label = (value: string) => options?.find((option) => option.value === value)?.label ?? value
    return { ...answer, value: Array.isArray(answer.value) ? answer.value.map(label) : label(answer.value) }
  })
  return { text: cut(formResponseText(readable)), parts: [{ type: 'form-response', fields }], replyTo: { messageId: message.id } }
}

/**
 * `text` cut to the length a message may have, with `…` where it was cut: the fallback of ten long
 * answers may be longer than a message, while the part holds them whole.
 */
function cut(text: string): string {
  if (text.length <= LIMITS.text) return text
  let end = LIMITS.text - 1
  // Never half of a surrogate pair (an emoji cut in two).
  if (/[\ud800-\udbff]/.test(text[end - 1]!)) end--
  return `${text.slice(0, end)}…`
}

/** The content of a rating message answering `message`'s rating request. */
export function ratingResponse(message: Message, score: number, comment?: string): VisitorContent {
  if (!message.parts?.some((part) => part.type === 'rating')) throw createError('invalid-argument', `Message ${message.id} asks for no rating`)
  if (!Number.isInteger(score) || score < 1 || score > 5) throw createError('invalid-argument', 'A rating is a whole number from 1 to 5')
  const text = comment?.trim()
  return {
    text: ratingText(score, text),
    parts: [text ? { type: 'rating-response', score: score as 1, comment: text } : { type: 'rating-response', score: score as 1 }],
    replyTo: { messageId: message.id }
  }
}
