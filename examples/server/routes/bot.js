// @ts-check
import { optionalStringField } from '../validate.js'
import { keyOnly, withOwner } from './agent.js'
import { findThread, postMessage, readHistory } from './messages.js'

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../router.js').Route} Route */
/** @typedef {import('../uploads.js').Uploads} Uploads */

/**
 * The bot API: what a bot behind the bot hook calls to answer, with `Authorization: Bearer <bot key>`.
 * It writes as author role `bot`, with the content agents may send, once per `clientId`.
 *
 * @param {{ store: Store, uploads: Uploads, botKey: string }} context
 * @returns {Route[]}
 */
export function botRoutes({ store, uploads, botKey }) {
  const route = keyOnly(botKey, { api: 'bot' })
  const withVisitor = withOwner(store)
  return [
    route('GET', '/v1/bot/conversations/:id', (request) => ({ status: 200, body: withVisitor(findThread(store, request)) })),
    route('GET', '/v1/bot/conversations/:id/messages', (request) => readHistory(store, findThread(store, request), request.query)),
    route('POST', '/v1/bot/conversations/:id/messages', async (request) => {
      const thread = findThread(store, request)
      const body = await request.body()
      const name = optionalStringField(body, 'name', 100) ?? 'Bot'
      return postMessage(store, thread, { role: 'bot', name }, body, (content) => uploads.checkParts(request, thread, content))
    })
  ]
}
