import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createServer } from '../../../examples/server/app.js'
import { createClient } from '../../../src/client/index.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'

const AGENT = 'integration-agent'
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** The reference server on 127.0.0.1 with a fresh folder; `restart()` keeps port and folder. */
async function serve() {
  const dataDir = mkdtempSync(join(tmpdir(), 'confab-int-'))
  const make = () => createServer({ dataDir, agentKey: AGENT, widgetPath: join(dataDir, 'none.js') })
  let server = make()
  const { port, url } = await server.listen(0)
  cleanups.push(async () => {
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    url,
    async restart() {
      await server.close()
      server = make()
      await server.listen(port)
    },
    async agentReply(conversationId: string, text: string) {
      const clientId = crypto.randomUUID()
      // Right after a restart, Node's fetch may first pick a pooled socket the old server closed;
      // like any client, the agent retries with the same client id, which the server stores once.
      for (let attempt = 0; ; attempt++) {
        try {
          const answer = await fetch(`${url}/v1/agent/conversations/${conversationId}/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${AGENT}`, 'content-type': 'application/json' },
            body: JSON.stringify({ clientId, text, name: 'Maya' })
          })
          expect(answer.status).toBe(201)
          return
        } catch (error) {
          if (attempt >= 3 || !(error instanceof TypeError)) throw error
        }
      }
    }
  }
}

function connectClient(url: string) {
  const client = createClient({
    transport: createHttpTransport({ url, events: null, random: () => 0 }),
    resumeKeyStore: null
  })
  cleanups.push(() => client.shutdown())
  return client
}

describe('the HTTP transport against the reference server', () => {
  it('sends, receives an agent reply live, and pages history', async () => {
    const server = await serve()
    const client = connectClient(server.url)
    await client.connect()
    for (let i = 1; i <= 35; i++) await client.send(`question ${i}`)
    const id = client.$activeId.get()!
    await server.agentReply(id, 'One answer for all of them')
    await vi.waitFor(() => expect(client.$activeMessages.get().at(-1)?.author).toMatchObject({ role: 'agent', name: 'Maya' }))

    // Another visitor sees none of it.
    const stranger = connectClient(server.url)
    await stranger.connect()
    expect(stranger.$conversations.get()).toHaveLength(0)
    const page = await client.transport.history(id, { limit: 30 })
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 7))
    const older = await client.transport.history(id, { before: page.before!, limit: 30 })
    expect(older.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(older.before).toBeNull()
  })

  it('stores a message once when the same client id is sent twice', async () => {
    const server = await serve()
    const client = connectClient(server.url)
    await client.connect()
    const conversation = await client.startConversation()
    const first = await client.transport.send(conversation.id, { clientId: 'same-id', text: 'once' })
    const second = await client.transport.send(conversation.id, { clientId: 'same-id', text: 'once' })
    expect(second).toEqual(first)
    const page = await client.transport.history(conversation.id)
    expect(page.messages).toHaveLength(1)
  })

  it('resumes the event stream after a server restart and misses nothing', async () => {
    const server = await serve()
    const client = connectClient(server.url)
    await client.send('before the restart')
    const id = client.$activeId.get()!
    await server.restart()
    await server.agentReply(id, 'sent while the client was reconnecting')
    await vi.waitFor(
      () => expect(client.$activeMessages.get().map((m) => m.text)).toContain('sent while the client was reconnecting'),
      { timeout: 10_000 }
    )
    await client.send('after the restart')
    expect(client.$activeMessages.get().map((m) => [m.seq, m.text])).toEqual([
      [1, 'before the restart'],
      [2, 'sent while the client was reconnecting'],
      [3, 'after the restart']
    ])
  })
})
