// @ts-check

/** @typedef {import('../../src/transports/types.js').MessageContent} MessageContent */
/** @typedef {import('../../src/transports/types.js').Message} Message */

/** Waits before the retries of a bot API call that got no answer or a 5xx. */
const RETRY_MS = [300, 1_000, 3_000]

/**
 * A client of the reference server's bot API (`/v1/bot/…`).
 *
 * @param {{ url: string | Promise<string>, key: string, name?: string, fetch?: typeof fetch }} options
 *   `url`: the server's base URL, or a promise of it when the bot starts before the server.
 *   `name`: the name the bot's messages show. Default "Confab bot".
 *
 * @example
 * const api = botApi({ url: 'http://127.0.0.1:8787', key: 'demo-bot' })
 * await api.send('c_1', { text: 'Hello!' }, 'greeting-c_1')
 */
export function botApi({ url, key, name = 'Confab bot', fetch: fetchFn }) {
  const base = Promise.resolve(url).then((value) => value.replace(/\/+$/, ''))

  /**
   * @param {'GET' | 'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   */
  async function call(method, path, body) {
    const init = {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    }
    for (let attempt = 0; ; attempt++) {
      const wait = RETRY_MS[attempt]
      /** @type {Response | undefined} */
      let response
      try {
        response = await (fetchFn ?? fetch)(`${await base}${path}`, init)
      } catch (error) {
        // No answer: a POST is safe to repeat, its clientId makes it count once.
        if (wait === undefined) throw error
      }
      if (response && response.status < 500) {
        const answer = await response.json().catch(() => undefined)
        if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${answer?.error?.message ?? ''}`)
        return answer
      }
      if (wait === undefined) throw new Error(`${method} ${path} answered ${response?.status}`)
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }

  const conversation = (/** @type {string} */ id) => `/v1/bot/conversations/${encodeURIComponent(id)}`

  return {
    /**
     * Post a message as the bot; `clientId` makes a repeat count once.
     * @param {string} conversationId
     * @param {MessageContent} content
     * @param {string} clientId
     * @returns {Promise<Message>}
     */
    send: (conversationId, content, clientId) => call('POST', `${conversation(conversationId)}/messages`, { ...content, clientId, name }),

    /**
     * The newest messages of a conversation, oldest first.
     * @param {string} conversationId
     * @returns {Promise<Message[]>}
     */
    history: async (conversationId) => (await call('GET', `${conversation(conversationId)}/messages?limit=100`)).messages
  }
}

/** @typedef {ReturnType<typeof botApi>} BotApi */
