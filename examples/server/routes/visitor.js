// @ts-check
import { HttpError, badRequest, bearer, notFound } from '../http.js'
import { MAX_TOKEN_LENGTH, verifyIdentityToken } from '../identity.js'
import { archiveMatcher } from '../../../src/util/archive-match.js'
import { checkTrackedEvent, checkVisitorUpdate, mergeAttributes } from '../../../src/content/visitor.js'
import { booleanField, conversationId, decimalParam, limitParam, modeField, optionalStringField, stringField } from '../validate.js'
import { MAX_POLL_MS, longPoll } from '../poll.js'
import { findThread, postMessage, postPostback, readHistory } from './messages.js'

/** Longest search query, in UTF-16 code units. */
const MAX_QUERY = 200
/** What a 401 of the visitor API carries (RFC 6750). */
const CHALLENGE = { 'www-authenticate': 'Bearer' }

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').Visitor} Visitor */
/** @typedef {import('../sse.js').Streams} Streams */
/** @typedef {import('../uploads.js').Uploads} Uploads */
/** @typedef {import('../router.js').Request} Request */
/** @typedef {import('../router.js').Route} Route */

/**
 * The visitor API (what the widget calls).
 * @param {{ store: Store, streams: Streams, uploads: Uploads, identitySecret?: string }} context Without
 *   `identitySecret`, sessions with an `identity` are refused (400 `identity-disabled`).
 * @returns {Route[]}
 */
export function visitorRoutes({ store, streams, uploads, identitySecret }) {
  const tokenOwner = sessionOwner(store)

  /**
   * @param {Request} request
   * @param {boolean} [queryToken] Also accept `?token=` (event streams: `EventSource` cannot set headers).
   * @returns {Visitor}
   */
  function authenticate(request, queryToken = false) {
    const token = bearer(request.req) ?? (queryToken ? request.query.get('token') ?? undefined : undefined)
    if (token === undefined) {
      throw new HttpError(401, 'unauthorized', 'Send "Authorization: Bearer <token>" with the token from POST /v1/sessions', CHALLENGE)
    }
    return tokenOwner(token)
  }

  return [
    {
      method: 'POST',
      path: '/v1/sessions',
      api: 'visitor',
      async handle(request) {
        const body = await request.body()
        const resumeKey = optionalStringField(body, 'resumeKey', 200)
        const identity = identityField(body)
        const anonymous = resumeKey === undefined ? undefined : store.visitorByResumeKey(resumeKey)
        if (identity === undefined) {
          const visitor = anonymous ?? store.createVisitor()
          return {
            status: anonymous ? 200 : 201,
            body: { visitorId: visitor.id, resumeKey: visitor.resumeKey, token: visitor.token, uploadLimits: uploads.limits }
          }
        }

        if (identitySecret === undefined) {
          throw new HttpError(400, 'identity-disabled', 'This server does not accept identified users (it has no identity secret)')
        }
        const claims = await verifyIdentityToken(identity.token, identitySecret)
        const { user, token, created } = store.startUserSession(claims)
        // The merge rule: the threads of the anonymous visitor this device was become the user's.
        // `anonymous` is only ever a visitor not merged yet (a merged one's key finds nothing), so
        // another user's threads are never taken.
        if (anonymous) {
          store.mergeVisitor(anonymous.id, user.id)
          streams.disconnect(anonymous.id)
        }
        // No resume key: an identified user comes back with a fresh identity token, never with
        // something stored on the device.
        return {
          status: created ? 201 : 200,
          body: { visitorId: user.id, token, identified: user.identified, uploadLimits: uploads.limits }
        }
      }
    },
    {
      method: 'GET',
      path: '/v1/conversations',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        const cursor = conversationCursor(request.query.get('cursor'))
        const limit = limitParam(request.query, 20, 100)
        const { threads, next } = store.listConversations({ visitorId: visitor.id, cursor, limit })
        return { status: 200, body: { conversations: threads.map((t) => t.conversation), next } }
      }
    },
    {
      method: 'POST',
      path: '/v1/conversations',
      api: 'visitor',
      async handle(request) {
        const visitor = authenticate(request)
        const body = await request.body()
        const init = { mode: modeField(body), subject: optionalStringField(body, 'subject', 200) }
        return { status: 201, body: store.createConversation(visitor.id, init) }
      }
    },
    {
      method: 'GET',
      path: '/v1/conversations/:id',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        return { status: 200, body: findThread(store, request, visitor.id).conversation }
      }
    },
    {
      method: 'GET',
      path: '/v1/conversations/:id/messages',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        return readHistory(store, findThread(store, request, visitor.id), request.query)
      }
    },
    {
      method: 'POST',
      path: '/v1/conversations/:id/messages',
      api: 'visitor',
      async handle(request) {
        const visitor = authenticate(request)
        const thread = findThread(store, request, visitor.id)
        const body = await request.body()
        return postMessage(store, thread, { role: 'visitor', id: visitor.id }, body, (content) => uploads.checkParts(request, thread, content))
      }
    },
    {
      method: 'POST',
      path: '/v1/conversations/:id/uploads',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        return uploads.requestSlot(request, findThread(store, request, visitor.id), 'visitor')
      }
    },
    {
      method: 'POST',
      path: '/v1/conversations/:id/postbacks',
      api: 'visitor',
      async handle(request) {
        const visitor = authenticate(request)
        const thread = findThread(store, request, visitor.id)
        return postPostback(store, thread, await request.body())
      }
    },
    {
      method: 'POST',
      path: '/v1/conversations/:id/close',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        const thread = findThread(store, request, visitor.id)
        return { status: 200, body: store.closeConversation(thread.conversation.id) }
      }
    },
    {
      method: 'POST',
      path: '/v1/conversations/:id/typing',
      api: 'visitor',
      async handle(request) {
        const visitor = authenticate(request)
        const thread = findThread(store, request, visitor.id)
        const typing = booleanField(await request.body(), 'typing')
        const author = /** @type {const} */ ({ role: 'visitor', id: visitor.id })
        streams.typing({ visitorId: visitor.id, conversationId: thread.conversation.id, author, typing })
        return { status: 204 }
      }
    },
    {
      method: 'GET',
      path: '/v1/search',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        const { query } = request
        const q = query.get('q')
        if (q === null) throw badRequest('"q" is missing')
        if (q.length === 0 || q.length > MAX_QUERY) throw badRequest(`"q" must be 1 to ${MAX_QUERY} characters long`)
        const limit = limitParam(query, 20, 50)
        const only = query.get('conversationId')
        // Someone else's conversation answers 404, exactly like a missing one.
        if (only !== null && store.thread(conversationId(only))?.visitorId !== visitor.id) {
          throw notFound(`Conversation ${only} does not exist`)
        }
        const messages = store.searchMessages({
          visitorId: visitor.id,
          conversationId: only ?? undefined,
          match: archiveMatcher(q),
          limit
        })
        return { status: 200, body: { hits: messages.map((message) => ({ message })) } }
      }
    },
    {
      method: 'PATCH',
      path: '/v1/visitor',
      api: 'visitor',
      async handle(request) {
        const visitor = authenticate(request)
        const checked = checkVisitorUpdate(await request.body())
        if (!checked.ok) throw refusal(checked.problem)
        // The limits hold for the visitor's attributes in all, not only for this update.
        const merged = mergeAttributes(store.visitorDetails(visitor.id).attributes, checked.update.attributes)
        if (!merged.ok) throw refusal(merged.problem)
        const { attributes, page } = store.updateVisitor(visitor.id, checked.update)
        return { status: 200, body: { attributes, ...(page ? { page } : {}) } }
      }
    },
    {
      method: 'POST',
      path: '/v1/visitor/events',
      api: 'visitor',
      async handle(request) {
        const visitor = authenticate(request)
        const checked = checkTrackedEvent(await request.body())
        if (!checked.ok) throw refusal(checked.problem)
        const { event, created } = store.trackEvent(visitor.id, checked.event)
        return { status: created ? 201 : 200, body: event }
      }
    },
    {
      method: 'GET',
      path: '/v1/events',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request, true)
        const cursor = eventCursor(request)
        streams.open(request.req, request.res, { agent: false, visitorId: visitor.id }, cursor)
      }
    },
    {
      method: 'GET',
      path: '/v1/poll',
      api: 'visitor',
      handle(request) {
        const visitor = authenticate(request)
        const cursor = eventCursor(request)
        const wait = Math.min(decimalParam(request.query.get('wait'), 'wait') ?? MAX_POLL_MS, MAX_POLL_MS)
        longPoll(request, { store, streams }, { agent: false, visitorId: visitor.id }, cursor, wait)
      }
    }
  ]
}

/**
 * The check of a session token, for requests and WebSockets alike: the visitor (or user) it belongs
 * to, or a 401 that tells the client to start a new session.
 *
 * @param {Store} store
 * @returns {(token: string) => Visitor}
 */
export function sessionOwner(store) {
  return (token) => {
    const visitor = store.visitorByToken(token)
    if (!visitor) throw new HttpError(401, 'unauthorized', 'The token is unknown: start a new session', CHALLENGE)
    return visitor
  }
}

/**
 * The event id to resume after: the `Last-Event-ID` header (what a reconnecting `EventSource` sends)
 * wins over `?cursor=`.
 * @param {Request} request
 */
export function eventCursor(request) {
  const header = request.req.headers['last-event-id']
  if (typeof header === 'string' && header.trim() !== '') return decimalParam(header.trim(), 'Last-Event-ID')
  return decimalParam(request.query.get('cursor'), 'cursor')
}

/**
 * A broken rule of src/content/visitor.js as an answer: 413 for a size limit, else 400.
 * @param {import('../../../src/content/check.js').ContentProblem} problem
 */
function refusal(problem) {
  return problem.tooLarge ? new HttpError(413, 'too-large', problem.message) : badRequest(problem.message)
}

/**
 * The optional `identity` of a session request: `{ token: string }` (other fields are ignored).
 * @param {Record<string, unknown>} body
 * @returns {{ token: string } | undefined}
 */
function identityField(body) {
  const identity = body.identity
  if (identity === undefined) return undefined
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) {
    throw badRequest('"identity" must be an object: { "token": "<identity token>" }')
  }
  const token = stringField(/** @type {Record<string, unknown>} */ (identity), 'token', MAX_TOKEN_LENGTH)
  return { token }
}

/**
 * @param {string | null} value `<updatedAt>:<conversation id>`
 */
function conversationCursor(value) {
  if (value === null) return undefined
  const match = /^(\d{1,15}):(c_[A-Za-z0-9_-]{1,64})$/.exec(value)
  if (!match) throw new HttpError(400, 'bad-request', `"cursor" is not a cursor this server gave out`)
  return { updatedAt: Number(match[1]), id: /** @type {string} */ (match[2]) }
}
