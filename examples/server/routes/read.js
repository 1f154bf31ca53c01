// @ts-check
import { LIMITS } from '../../../src/content/check.js'
import { HttpError, bearer } from '../http.js'
import { optionalStringField, stringField } from '../validate.js'
import { agentOnly } from './agent.js'
import { findThread } from './messages.js'
import { sessionOwner } from './visitor.js'

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').Thread} Thread */
/** @typedef {import('../store.js').Author} Author */
/** @typedef {import('../store.js').ReadSide} ReadSide */
/** @typedef {import('../router.js').Reply} Reply */
/** @typedef {import('../router.js').Route} Route */

/**
 * Read receipts: `POST /v1/conversations/:id/read` for the visitor, `POST
 * /v1/agent/conversations/:id/read` (with an optional `name`) for agents.
 *
 * @param {{ store: Store, agentKey: string }} context
 * @returns {Route[]}
 */
export function readRoutes({ store, agentKey }) {
  const owner = sessionOwner(store)
  const agent = agentOnly(agentKey)
  return [
    {
      method: 'POST',
      path: '/v1/conversations/:id/read',
      api: 'visitor',
      async handle(request) {
        // No token is a token nobody has: the same 401, which starts the session again.
        const visitor = owner(bearer(request.req) ?? '')
        const thread = findThread(store, request, visitor.id)
        return markRead(store, thread, 'visitor', { role: 'visitor', id: visitor.id }, await request.body())
      }
    },
    agent('POST', '/v1/agent/conversations/:id/read', async (request) => {
      const thread = findThread(store, request)
      const body = await request.body()
      return markRead(store, thread, 'agent', { role: 'agent', name: optionalStringField(body, 'name', 100) ?? 'Agent' }, body)
    })
  ]
}

/**
 * `POST …/read { messageId }`, the same for the visitor and for agents: move `side`'s read position
 * of the conversation to `messageId`, and tell the other side (and the reader's other devices) with
 * a `read` event. Positions only move forward: a message at or before the position answers it as it
 * stands, unchanged and without an event. Answers `200 { messageId, at, reader }`, the position now;
 * `400 unknown-message` when the conversation has no such message.
 *
 * @param {Store} store
 * @param {Thread} thread
 * @param {ReadSide} side
 * @param {Author} reader
 * @param {Record<string, unknown>} body
 * @returns {Reply}
 *
 * @example
 * markRead(store, thread, 'visitor', { role: 'visitor', id: visitor.id }, await request.body())
 */
export function markRead(store, thread, side, reader, body) {
  const messageId = stringField(body, 'messageId', LIMITS.id)
  const { id } = thread.conversation
  const { step, mark } = store.markRead(id, side, reader, messageId)
  if (step === 'unknown') throw new HttpError(400, 'unknown-message', `Conversation ${id} has no message ${messageId.slice(0, 100)}`)
  return { status: 200, body: mark }
}
