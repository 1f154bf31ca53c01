// @ts-check
import { HttpError, badRequest, notFound } from '../http.js'
import { LIMITS, checkContent } from '../../../src/content/check.js'
import { conversationId, decimalParam, limitParam, optionalStringField, stringField } from '../validate.js'

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').Thread} Thread */
/** @typedef {import('../store.js').Author} Author */
/** @typedef {import('../router.js').Request} Request */
/** @typedef {import('../router.js').Reply} Reply */

/**
 * The conversation named by the path's `:id`, if `visitorId` (when given) owns it. Someone else's
 * conversation is reported exactly like a missing one, so ids cannot be probed.
 *
 * @param {Store} store
 * @param {Request} request
 * @param {string} [visitorId]
 * @returns {Thread}
 */
export function findThread(store, request, visitorId) {
  const id = conversationId(request.params.id ?? '')
  const thread = store.thread(id)
  if (!thread || (visitorId !== undefined && thread.visitorId !== visitorId)) {
    throw notFound(`Conversation ${id} does not exist`)
  }
  return thread
}

/**
 * `GET …/messages?before=&after=&limit=`, the same for visitors and agents.
 * @param {Store} store
 * @param {Thread} thread
 * @param {URLSearchParams} query
 * @returns {Reply}
 */
export function readHistory(store, thread, query) {
  const before = decimalParam(query.get('before'), 'before')
  const after = decimalParam(query.get('after'), 'after')
  if (before !== undefined && after !== undefined) throw badRequest('Pass "before" or "after", not both')
  const limit = limitParam(query, 30, 100)
  return { status: 200, body: store.history(thread, { before, after, limit }) }
}

/**
 * The content of a message body (`text`, `parts`, `replies` …), checked by the rules every layer
 * shares (src/content/check.js) and normalized: 400 names the first problem, 413 when it is a size
 * limit. A visitor may send fewer kinds of content than an agent or a bot.
 *
 * @param {Record<string, unknown>} body
 * @param {Author['role']} role
 * @returns {import('../store.js').MessageContent}
 */
export function contentField(body, role) {
  const checked = checkContent(body, { from: role === 'visitor' ? 'visitor' : 'agent' })
  if (checked.ok) return checked.content
  const { problem } = checked
  throw problem.tooLarge ? new HttpError(413, 'too-large', problem.message) : badRequest(problem.message)
}

/**
 * `POST …/messages`: store once per `clientId` (201), answer later repeats with the stored
 * message (200), even when the conversation has been closed since.
 *
 * @param {Store} store
 * @param {Thread} thread
 * @param {Author} author
 * @param {Record<string, unknown>} body
 * @param {(content: import('../store.js').MessageContent) => void} [verify] Refuses (throws) content
 *   this server will not store beyond the shared rules: parts naming files it does not hold.
 * @returns {Reply}
 */
export function postMessage(store, thread, author, body, verify) {
  const clientId = stringField(body, 'clientId', 100)
  const content = contentField(body, author.role)
  const stored = thread.byClientId.get(clientId)
  if (stored) return { status: 200, body: stored }
  if (thread.conversation.status === 'closed' && !survey(thread, author.role, content)) {
    throw new HttpError(403, 'conversation-closed', `Conversation ${thread.conversation.id} is closed`)
  }
  verify?.(content)
  return { status: 201, body: store.addMessage(thread.conversation.id, { ...content, author, clientId }) }
}

/**
 * What a closed conversation still takes: the satisfaction survey after its end, that is a rating
 * request from an agent or a bot, and a visitor's rating that answers a rating request of this
 * conversation (`replyTo.messageId`).
 *
 * @param {Thread} thread
 * @param {Author['role']} role
 * @param {import('../store.js').MessageContent} content
 */
function survey(thread, role, content) {
  const has = (/** @type {{ parts?: { type: string }[] }} */ message, /** @type {string} */ type) =>
    message.parts?.some((part) => part.type === type) ?? false
  if (role !== 'visitor') return has(content, 'rating')
  const asked = content.replyTo && thread.messages.find((message) => message.id === content.replyTo?.messageId)
  return has(content, 'rating-response') && !!asked && has(asked, 'rating')
}

/**
 * `POST …/postbacks`: like a message, stored once per `clientId` (201, then 200 with the stored
 * postback), refused with 403 in a closed conversation; never shown in the conversation.
 *
 * @param {Store} store
 * @param {Thread} thread
 * @param {Record<string, unknown>} body `{ clientId, payload, messageId?, actionId? }`
 * @returns {Reply}
 */
export function postPostback(store, thread, body) {
  const clientId = stringField(body, 'clientId', 100)
  const payload = body.payload
  if (typeof payload === 'string' && payload.length > LIMITS.payload) {
    throw new HttpError(413, 'too-large', `"payload" is longer than ${LIMITS.payload} characters`)
  }
  const draft = {
    clientId,
    payload: stringField(body, 'payload', LIMITS.payload),
    messageId: optionalStringField(body, 'messageId', LIMITS.id),
    actionId: optionalStringField(body, 'actionId', LIMITS.id)
  }
  const stored = thread.postbacks.get(clientId)
  if (stored) return { status: 200, body: stored }
  if (thread.conversation.status === 'closed') {
    throw new HttpError(403, 'conversation-closed', `Conversation ${thread.conversation.id} is closed`)
  }
  return { status: 201, body: store.addPostback(thread.conversation.id, draft) }
}
