// @ts-check
import crypto from 'node:crypto'
import { withOwner } from './routes/agent.js'

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').Conversation} Conversation */
/** @typedef {import('./store.js').Message} Message */
/** @typedef {import('./store.js').Postback} Postback */

/**
 * What the bot hook tells the bot. Every delivery has an `id` (the same in every attempt: a bot
 * that got it twice acts once), a `type`, `createdAt` and the `conversation` (as agents see it,
 * without `lastMessage`):
 * - `conversation.started`: a visitor started a conversation.
 * - `message`: a visitor's message (text, an answer to a quick reply, a form response or a rating).
 * - `postback`: a visitor used a postback button or quick reply (`postback`).
 * - `conversation.closed`: the conversation was closed (by the visitor or an agent).
 * @typedef {{ id: string, createdAt: number,
 *   conversation: Omit<Conversation, 'lastMessage'> & { visitorId: string, visitor: import('./store.js').VisitorSummary } } & (
 *   | { type: 'conversation.started' | 'conversation.closed' }
 *   | { type: 'message', message: Message }
 *   | { type: 'postback', postback: Postback })} Delivery
 */

/**
 * @typedef {object} BotHookOptions
 * @property {Store} store
 * @property {string} url Where deliveries are POSTed.
 * @property {string} secret The key of each body's HMAC-SHA256 signature.
 * @property {number[]} [retryDelaysMs] The waits before each retry of a failed delivery; after the
 *   last, it is given up. Default 1 s, 5 s, 25 s, 2 min, 10 min.
 * @property {number} [timeoutMs] How long one attempt may take. Default 10 s.
 * @property {typeof fetch} [fetch] Default: the global one.
 * @property {{ setTimeout(run: () => void, ms: number): unknown, clearTimeout(handle: unknown): void }} [timers]
 * @property {(error: unknown) => void} [onError] Told of each delivery given up.
 */

/** Statuses worth trying again: the bot is busy or down, not refusing the delivery. */
const RETRYABLE = (/** @type {number} */ status) => status === 408 || status === 429 || status >= 500

/**
 * The signature header value of `body` (the exact bytes sent) with `secret`, as GitHub's webhooks
 * sign: `sha256=` and the hex HMAC-SHA256.
 *
 * @param {string} secret
 * @param {string | Buffer} body
 * @example signature('s3cret', '{"type":"message"}') // 'sha256=…'
 */
export function signature(secret, body) {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * The bot hook: each visitor message, postback, new and closed conversation is POSTed as JSON to
 * `url`, signed (`X-Confab-Signature-256`), with its delivery id (`X-Confab-Delivery`) and type
 * (`X-Confab-Event`). A delivery that fails (no answer, a timeout, 408, 429 or 5xx) is tried again
 * after each of `retryDelaysMs`; any other status is final. Deliveries of one conversation go one
 * after the other, in order; those of different conversations do not wait for each other. Visitors'
 * requests never wait for the bot. Deliveries still pending when the server stops are dropped.
 *
 * @param {BotHookOptions} options
 * @returns {{ stop(): void }}
 *
 * @example
 * const hook = startBotHook({ store, url: 'http://127.0.0.1:8788/hook', secret: 's3cret' })
 * // later
 * hook.stop()
 */
export function startBotHook(options) {
  const { store, url, secret, retryDelaysMs = [1_000, 5_000, 25_000, 120_000, 600_000], timeoutMs = 10_000 } = options
  const timers = options.timers ?? { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(/** @type {any} */ (handle)) }
  const onError = options.onError ?? (() => {})
  const life = new AbortController()
  /** @type {Map<string, Promise<void>>} the tail of each conversation's queue */
  const queues = new Map()
  const owned = withOwner(store)

  /**
   * Queue one delivery behind the conversation's earlier ones.
   * @param {string} conversationId
   * @param {Delivery['type']} type
   * @param {Record<string, unknown>} extra
   */
  function enqueue(conversationId, type, extra) {
    const thread = store.thread(conversationId)
    if (!thread) return
    const { lastMessage: _last, ...conversation } = owned(thread)
    const delivery = { id: `d_${crypto.randomBytes(9).toString('base64url')}`, type, createdAt: Date.now(), conversation, ...extra }
    const tail = (queues.get(conversationId) ?? Promise.resolve()).then(() => deliver(delivery))
    queues.set(conversationId, tail)
    void tail.then(() => {
      if (queues.get(conversationId) === tail) queues.delete(conversationId)
    })
  }

  /**
   * Send one delivery until it succeeds, fails for good, or the hook stops. Never rejects.
   * @param {Record<string, unknown> & { id: string, type: string }} delivery
   */
  async function deliver(delivery) {
    const body = JSON.stringify(delivery)
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Confab-Hook/1',
      'x-confab-event': delivery.type,
      'x-confab-delivery': delivery.id,
      'x-confab-signature-256': signature(secret, body)
    }
    let last = ''
    for (let attempt = 0; !life.signal.aborted; attempt++) {
      try {
        const signal = AbortSignal.any([life.signal, AbortSignal.timeout(timeoutMs)])
        const response = await (options.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body, signal })
        await response.body?.cancel()
        if (response.ok) return
        last = `answered ${response.status}`
        if (!RETRYABLE(response.status)) break
      } catch (error) {
        if (life.signal.aborted) return
        last = `got no answer (${/** @type {Error} */ (error).message})`
      }
      const wait = retryDelaysMs[attempt]
      if (wait === undefined) break
      if (!(await sleep(wait))) return
    }
    if (!life.signal.aborted) onError(new Error(`Bot hook: gave up delivery ${delivery.id} (${delivery.type}) to ${url}: it ${last}`))
  }

  /**
   * Wait `ms`; false when the hook stopped meanwhile.
   * @param {number} ms
   * @returns {Promise<boolean>}
   */
  function sleep(ms) {
    return new Promise((resolve) => {
      const done = () => {
        life.signal.removeEventListener('abort', stopped)
        resolve(true)
      }
      const handle = timers.setTimeout(done, ms)
      const stopped = () => {
        timers.clearTimeout(handle)
        resolve(false)
      }
      life.signal.addEventListener('abort', stopped, { once: true })
    })
  }

  const unsubscribe = [
    store.onEvent((event) => {
      if (event.type === 'message') {
        if (event.message.author.role === 'visitor') enqueue(event.message.conversationId, 'message', { message: event.message })
      } else if (event.type === 'conversation' && (event.change === 'created' || event.change === 'closed')) {
        enqueue(event.conversation.id, event.change === 'created' ? 'conversation.started' : 'conversation.closed', {})
      }
    }),
    store.onPostback((postback) => enqueue(postback.conversationId, 'postback', { postback }))
  ]

  return {
    stop() {
      for (const stop of unsubscribe) stop()
      life.abort()
      queues.clear()
    }
  }
}
