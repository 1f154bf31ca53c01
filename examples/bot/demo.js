// @ts-check
import http from 'node:http'
import { botApi } from './api.js'
import { createDemoBot } from './flows.js'
import { verifySignature } from './signature.js'

/** Largest delivery read: a message is at most 64 KiB, the rest is small. */
const MAX_BODY = 1024 * 1024

/**
 * The bot's end of the bot hook: an HTTP server that takes deliveries at `POST /hook`, refuses
 * any whose signature does not match (401), and answers 204 once `handle` has dealt with it, or
 * 500 when it failed (the hook tries again later).
 *
 * @param {{ secret: string, handle: (delivery: any) => Promise<void>, port?: number, host?: string,
 *   onError?: (error: unknown) => void }} options
 * @returns {Promise<{ url: string, close(): Promise<void> }>} `url`: the hook's URL.
 *
 * @example
 * const { url } = await listenForHook({ secret, handle: (delivery) => bot.handle(delivery) })
 */
export async function listenForHook({ secret, handle, port = 0, host = '127.0.0.1', onError = () => {} }) {
  const server = http.createServer(async (req, res) => {
    const answer = (/** @type {number} */ status, text = '') => res.writeHead(status, { 'content-type': 'text/plain' }).end(text)
    if (req.url !== '/hook') return answer(404, 'Deliveries go to POST /hook\n')
    if (req.method !== 'POST') return answer(405)
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    for await (const chunk of req) {
      size += chunk.length
      if (size > MAX_BODY) return answer(413)
      chunks.push(chunk)
    }
    const body = Buffer.concat(chunks)
    if (!verifySignature(secret, body, req.headers['x-confab-signature-256'])) return answer(401, 'Bad signature\n')
    let delivery
    try {
      delivery = JSON.parse(body.toString('utf8'))
    } catch {
      return answer(400, 'Not JSON\n')
    }
    try {
      await handle(delivery)
      answer(204)
    } catch (error) {
      onError(error)
      answer(500)
    }
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const { port: bound } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/hook`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/**
 * The demo bot, ready: its hook server listening, answering through the bot API of the reference
 * server at `confabUrl` (a promise of it when the server starts after the bot, as it must: the
 * server needs the hook's URL).
 *
 * @param {{ confabUrl: string | Promise<string>, botKey: string, secret: string, delayMs?: number,
 *   port?: number, host?: string, onError?: (error: unknown) => void }} options
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 *
 * @example
 * const bot = await startDemoBot({ confabUrl: 'http://127.0.0.1:8787', botKey: 'demo-bot', secret: 's3cret' })
 * // BOT_WEBHOOK_URL=bot.url
 */
export async function startDemoBot({ confabUrl, botKey, secret, delayMs, port, host, onError }) {
  const api = botApi({ url: confabUrl, key: botKey })
  const assetsUrl = Promise.resolve(confabUrl).then((url) => `${url.replace(/\/+$/, '')}/assets`)
  const bot = createDemoBot({ api, assetsUrl, delayMs, onError })
  const hook = await listenForHook({ secret, handle: bot.handle, port, host, onError })
  return {
    url: hook.url,
    async close() {
      bot.stop()
      await hook.close()
    }
  }
}
