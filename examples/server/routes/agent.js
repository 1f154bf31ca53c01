// @ts-check
import crypto from 'node:crypto'
import { HttpError, bearer, notFound } from '../http.js'
import { booleanField, optionalStringField } from '../validate.js'
import { findThread, postMessage, readHistory } from './messages.js'
import { eventCursor } from './visitor.js'

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').Thread} Thread */
/** @typedef {import('../sse.js').Streams} Streams */
/** @typedef {import('../uploads.js').Uploads} Uploads */
/** @typedef {import('../router.js').Request} Request */
/** @typedef {import('../router.js').Route} Route */

/**
 * The maker of routes that want `Authorization: Bearer <key>`: the agent API's (the agent key) and the
 * bot API's (the bot key). Paths in `queryToken` also take `?token=`, for `EventSource`, which cannot
 * set headers.
 *
 * @param {string} key
 * @param {{ api: 'agent' | 'bot', queryToken?: string[] }} kind
 * @returns {(method: string, path: string, handle: Route['handle']) => Route}
 *
 * @example
 * const route = keyOnly('demo-bot', { api: 'bot' })
 * route('GET', '/v1/bot/conversations/:id', (request) => ({ status: 200, body: … }))
 */
export function keyOnly(key, { api, queryToken = [] }) {
  const expected = digest(key)

  /**
   * @param {Request} request
   * @param {boolean} fromQuery Also accept `?token=`.
   */
  function authenticate(request, fromQuery) {
    const given = bearer(request.req) ?? (fromQuery ? request.query.get('token') ?? undefined : undefined)
    if (given === undefined || !crypto.timingSafeEqual(digest(given), expected)) {
      throw new HttpError(401, 'unauthorized', `Send "Authorization: Bearer <${api} key>"`, { 'www-authenticate': 'Bearer' })
    }
  }

  return (method, path, handle) => ({
    method,
    path,
    api,
    handle(request) {
      authenticate(request, queryToken.includes(path))
      return handle(request)
    }
  })
}

/**
 * The maker of agent routes (see {@link keyOnly}); `/v1/agent/events` also takes `?token=`.
 * @param {string} agentKey
 *
 * @example
 * const route = agentOnly('demo-agent')
 * route('GET', '/v1/agent/conversations', () => ({ status: 200, body: … }))
 */
export const agentOnly = (agentKey) => keyOnly(agentKey, { api: 'agent', queryToken: ['/v1/agent/events'] })

/**
 * The agent API: what the agent console calls.
 *
 * @param {{ store: Store, streams: Streams, uploads: Uploads, agentKey: string }} context
 * @returns {Route[]}
 */
export function agentRoutes({ store, streams, uploads, agentKey }) {
  const route = agentOnly(agentKey)

  const withVisitor = withOwner(store)

  return [
    route('GET', '/v1/agent/conversations', () => {
      const { threads } = store.listConversations({ limit: Infinity })
      return { status: 200, body: { conversations: threads.map(withVisitor) } }
    }),
    route('GET', '/v1/agent/conversations/:id', (request) => {
      // One conversation: its visitor with what the site told of them (the events: GET /v1/agent/visitors/:id).
      const thread = findThread(store, request)
      const { attributes, page } = store.visitorDetails(thread.visitorId)
      const visitor = { ...store.visitorSummary(thread.visitorId), attributes, ...(page ? { page } : {}) }
      return { status: 200, body: { ...withVisitor(thread), visitor } }
    }),
    route('GET', '/v1/agent/visitors/:id', (request) => {
      const id = request.params.id ?? ''
      if (!store.visitor(id)) throw notFound(`Visitor ${id.slice(0, 80)} does not exist`)
      return { status: 200, body: { ...store.visitorSummary(id), ...store.visitorDetails(id) } }
    }),
    route('GET', '/v1/agent/conversations/:id/messages', (request) => {
      return readHistory(store, findThread(store, request), request.query)
    }),
    route('POST', '/v1/agent/conversations/:id/messages', async (request) => {
      const thread = findThread(store, request)
      const body = await request.body()
      const name = optionalStringField(body, 'name', 100) ?? 'Agent'
      return postMessage(store, thread, { role: 'agent', name }, body, (content) => uploads.checkParts(request, thread, content))
    }),
    // The agent's files go to the same slots as the visitor's: PUT to putUrl, read from getUrl.
    route('POST', '/v1/agent/conversations/:id/uploads', (request) => uploads.requestSlot(request, findThread(store, request), 'agent')),
    route('GET', '/v1/agent/conversations/:id/postbacks', (request) => {
      return { status: 200, body: { postbacks: [...findThread(store, request).postbacks.values()] } }
    }),
    route('POST', '/v1/agent/conversations/:id/typing', async (request) => {
      const thread = findThread(store, request)
      const typing = booleanField(await request.body(), 'typing')
      const author = /** @type {const} */ ({ role: 'agent', name: 'Agent' })
      streams.typing({ visitorId: thread.visitorId, conversationId: thread.conversation.id, author, typing })
      return { status: 204 }
    }),
    route('POST', '/v1/agent/conversations/:id/close', (request) => {
      const thread = findThread(store, request)
      store.closeConversation(thread.conversation.id)
      return { status: 200, body: withVisitor(thread) }
    }),
    route('GET', '/v1/agent/events', (request) => {
      streams.open(request.req, request.res, { agent: true }, eventCursor(request))
    })
  ]
}

/**
 * A conversation as agents and bots see it: with its owner, identified or not.
 * @param {Store} store
 * @returns {(thread: Thread) => Record<string, unknown>}
 */
export const withOwner = (store) => (thread) => ({
  ...thread.conversation,
  visitorId: thread.visitorId,
  visitor: store.visitorSummary(thread.visitorId)
})

/** @param {string} text */
function digest(text) {
  return crypto.createHash('sha256').update(text).digest()
}
