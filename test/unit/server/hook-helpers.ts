import http from 'node:http'
import { onTestFinished } from 'vitest'
import { startDemoBot } from '../../../examples/bot/demo.js'
import { startServer, type TestServer } from './helpers.js'
import type { ServerOptions } from '../../../examples/server/app.js'

export const BOT_KEY = 'test-bot'
export const BOT_SECRET = 'test-bot-secret'

/** One request the receiver got: headers and the raw body, parsed. */
export interface Received {
  headers: http.IncomingHttpHeaders
  raw: string
  body: any
}

/**
 * A bot hook receiver on 127.0.0.1 that records every request and answers with the next of
 * `statuses` (then 204); `hold` keeps requests unanswered until `release()`.
 */
export async function hookReceiver({ statuses = [] as number[], hold = false } = {}) {
  const received: Received[] = []
  const held: (() => void)[] = []
  let waiting: (() => void)[] = []
  const server = http.createServer(async (req, res) => {
    let raw = ''
    for await (const chunk of req) raw += chunk
    received.push({ headers: req.headers, raw, body: JSON.parse(raw) })
    for (const wake of waiting.splice(0)) wake()
    const answer = () => res.writeHead(statuses.shift() ?? 204).end()
    if (hold) held.push(answer)
    else answer()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  )
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    release: () => held.splice(0).forEach((answer) => answer()),
    /** Resolves once `count` requests came (rejects after `timeoutMs`). */
    async until(count: number, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the hook got ${received.length} of ${count} requests`)
        await new Promise<void>((resolve) => {
          waiting.push(resolve)
          setTimeout(resolve, 50)
        })
      }
      waiting = []
      return received
    }
  }
}

/** The reference server with its bot hook aimed at `url` (quick retries) and the bot API on. */
export function serverWithHook(url: string, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  return startServer({ botKey: BOT_KEY, botWebhook: { url, secret: BOT_SECRET, retryDelaysMs: [20, 40] }, ...options })
}

/** The reference server with the demo bot behind its hook, as `npm start` runs them. */
export async function serverWithDemoBot({ delayMs = 0 } = {}) {
  let listening = (_url: string) => {}
  const bot = await startDemoBot({
    confabUrl: new Promise<string>((resolve) => (listening = resolve)),
    botKey: BOT_KEY,
    secret: BOT_SECRET,
    delayMs
  })
  onTestFinished(() => bot.close())
  const server = await serverWithHook(bot.url)
  listening(server.url)
  return { server, bot }
}
