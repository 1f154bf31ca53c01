// @ts-check
import crypto from 'node:crypto'
import { HttpError, bearer } from '../http.js'
import { parseFaults, parseVisitorFaults } from '../faults.js'
import { booleanField, optionalStringField } from '../validate.js'
import { findThread, postMessage, readHistory } from './messages.js'
import { eventCursor } from './visitor.js'

/** Visitor (and user) ids this server mints. */
const VISITOR_ID = /^v_[A-Za-z0-9_-]{1,64}$/

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').Thread} Thread */
/** @typedef {import('../sse.js').Streams} Streams */
/** @typedef {import('../faults.js').Faults} Faults */
/** @typedef {import('../router.js').Request} Request */
/** @typedef {import('../router.js').Route} Route */

/**
 * The agent API (what the agent console calls) and the fault switch. Every route wants
 * `Authorization: Bearer <agent key>`.
 *
 * @param {{ store: Store, streams: Streams, faults: Faults, agentKey: string }} context
 * @returns {Route[]}
 */
export function agentRoutes({ store, streams, faults, agentKey }) {
  const expected = digest(agentKey)

  /**
   * @param {Request} request
   * @param {boolean} [queryToken] Also accept `?token=` (event streams).
   */
  function authenticate(request, queryToken = false) {
    const key = bearer(request.req) ?? (queryToken ? request.query.get('token') ?? undefined : undefined)
    if (key === undefined || !crypto.timingSafeEqual(digest(key), expected)) {
      throw new HttpError(401, 'unauthorized', 'Send "Authorization: Bearer <agent key>"', { 'www-authenticate': 'Bearer' })
    }
  }

  /**
   * A conversation as agents see it: with its owner, identified or not.
   * @param {Thread} thread
   */
  const withVisitor = (thread) => ({
    ...thread.conversation,
    visitorId: thread.visitorId,
    visitor: store.visitorSummary(thread.visitorId)
  })

  /**
   * @param {string} method
   * @param {string} path
   * @param {Route['handle']} handle
   * @returns {Route}
   */
  const route = (method, path, handle) => ({
    method,
    path,
    api: 'agent',
    handle(request) {
      authenticate(request, path === '/v1/agent/events')
      return handle(request)
    }
  })

  return [
    route('GET', '/v1/agent/conversations', () => {
      const { threads } = store.listConversations({ limit: Infinity })
      return { status: 200, body: { conversations: threads.map(withVisitor) } }
    }),
    route('GET', '/v1/agent/conversations/:id', (request) => {
      return { status: 200, body: withVisitor(findThread(store, request)) }
    }),
    route('GET', '/v1/agent/conversations/:id/messages', (request) => {
      return readHistory(store, findThread(store, request), request.query)
    }),
    route('POST', '/v1/agent/conversations/:id/messages', async (request) => {
      const thread = findThread(store, request)
      const body = await request.body()
      const name = optionalStringField(body, 'name', 100) ?? 'Agent'
      return postMessage(store, thread, { role: 'agent', name }, body)
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
    }),
    route('POST', '/v1/_faults', async (request) => {
      faults.set(parseFaults(await request.body()))
      // Turning faults off also ends the connections left silent (they missed events).
      streams.silence(undefined, false)
      return { status: 200, body: faults.get() }
    }),
    route('POST', '/v1/_faults/visitors/:id', async (request) => {
      const visitorId = request.params.id ?? ''
      if (!VISITOR_ID.test(visitorId)) throw new HttpError(400, 'bad-request', 'The visitor id is malformed')
      const change = parseVisitorFaults(await request.body())
      const aimed = faults.aim(visitorId, change)
      // The raw text first, so one request can send a bad event and then cut the stream.
      let streamCount = change.sendRaw === undefined ? 0 : streams.writeRaw(visitorId, change.sendRaw)
      if (change.silent !== undefined) streamCount = Math.max(streamCount, streams.silence(visitorId, change.silent))
      if (change.endStreams) streamCount = Math.max(streamCount, streams.disconnect(visitorId))
      return { status: 200, body: { ...aimed, streams: streamCount } }
    }),
    route('POST', '/v1/_faults/forget-events', () => {
      store.forgetEvents()
      return { status: 200, body: { lastEventId: store.lastEventId() } }
    })
  ]
}

/** @param {string} text */
function digest(text) {
  return crypto.createHash('sha256').update(text).digest()
}
