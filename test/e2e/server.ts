import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from '../../examples/server/app.js'

export const AGENT_KEY = 'e2e-agent'

export interface RunningServer {
  url: string
  port: number
  dataDir: string
  /** Call the agent API. */
  agent<T = any>(method: string, path: string, body?: unknown): Promise<T>
  /** Stop the server and start a new one on the same port and data folder. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/**
 * Options of {@link startServer}. `dataRoot`: where the fresh data folder goes (default the system's
 * temporary folder); a RAM disk such as `/dev/shm` makes the journal's fsync per message free, for
 * tests that seed thousands of messages.
 */
export interface ServerOptions {
  botDelayMs?: number
  dataRoot?: string
}

/** Start the reference server on 127.0.0.1 with a fresh data folder. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(options.dataRoot ?? tmpdir(), 'confab-e2e-'))
  const make = () =>
    createServer({
      dataDir,
      agentKey: AGENT_KEY,
      botDelayMs: options.botDelayMs ?? 0,
      identitySecret: 'e2e-identity-secret',
      demoIdentity: true
    })
  let server = make()
  const { port, url } = await server.listen(0)
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
      return answer.json()
    },
    async restart() {
      await server.close()
      server = make()
      await server.listen(port)
    },
    async stop() {
      await server.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
