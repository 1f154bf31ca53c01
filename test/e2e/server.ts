import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDemoBot } from '../../examples/bot/demo.js'
import { createServer } from '../../examples/server/app.js'

export const AGENT_KEY = 'e2e-agent'
export const BOT_KEY = 'e2e-bot'
const BOT_SECRET = 'e2e-bot-secret'

export interface RunningServer {
  url: string
  port: number
  dataDir: string
  /** The agent API: `path` under `/v1/agent/`; resolves with the answer's JSON (`undefined` for 204 No Content). */
  agent<T = any>(method: string, path: string, body?: unknown): Promise<T>
  /** Stop the server and start a new one on the same port and data folder. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/**
 * Options of {@link startServer}. `dataRoot`: where the fresh data folder goes (default the system's
 * temporary folder); a RAM disk such as `/dev/shm` makes the journal's fsync per message free, for
 * tests that seed thousands of messages. `bot`: run the demo bot (examples/bot) behind the bot hook,
 * as `npm start` does; `delayMs` is its wait before "an agent will answer" (default 0: never).
 */
export interface ServerOptions {
  bot?: { delayMs?: number }
  dataRoot?: string
}

/** Start the reference server on 127.0.0.1 with a fresh data folder. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(options.dataRoot ?? tmpdir(), 'confab-e2e-'))
  let listening = (_url: string) => {}
  const bot = options.bot
    ? await startDemoBot({
        confabUrl: new Promise<string>((resolve) => (listening = resolve)),
        botKey: BOT_KEY,
        secret: BOT_SECRET,
        delayMs: options.bot.delayMs ?? 0
      })
    : undefined
  const make = () =>
    createServer({
      dataDir,
      agentKey: AGENT_KEY,
      botKey: BOT_KEY,
      ...(bot ? { botWebhook: { url: bot.url, secret: BOT_SECRET, retryDelaysMs: [100, 500, 2000] } } : {}),
      identitySecret: 'e2e-identity-secret',
      demoIdentity: true
    })
  let server = make()
  const { port, url } = await server.listen(0)
  listening(url)
  return {
    url,
    port,
    dataDir,
    async agent(method, path, body) {
      const call = () =>
        fetch(`${url}/v1/agent/${path}`, {
          method,
          headers: { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' },
          body: body === undefined ? null : JSON.stringify(body)
        })
      // A kept-alive connection the server closed as the request left resets (ECONNRESET), and on a
      // loaded machine the next pooled one may too: a read is safe to ask again, a few times.
      const read = (left: number): Promise<Response> => call().catch((error) => (left > 0 ? read(left - 1) : Promise.reject(error)))
      const answer = await (method === 'GET' ? read(3) : call())
      if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}`)
      return answer.status === 204 ? undefined : answer.json()
    },
    async restart() {
      await server.close()
      server = make()
      await server.listen(port)
    },
    async stop() {
      await server.close()
      await bot?.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
