import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import type { Page, WebSocket as PageSocket } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'
import { AGENT_KEY } from './server.js'

const env = useBrowserAndServer()

/** The widget with the WebSocket transport and a 2 s heartbeat, so a silent socket shows within 12 s. */
const HEARTBEAT_MS = 2000
const ENTRY = `
import { createWidget, createWebSocketTransport } from './src/index.ts'
const boot = () => createWidget({
  mode: 'messaging',
  transport: createWebSocketTransport({ url: location.origin, heartbeatMs: ${HEARTBEAT_MS} })
}).boot()
// The demo page loads this as /confab.js from <head>: mount once the body exists.
if (document.readyState === 'loading') addEventListener('DOMContentLoaded', boot)
else boot()
`
let bundle = ''

beforeAll(async () => {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL('../..', import.meta.url)), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent'
  })
  bundle = result.outputFiles[0]!.text
})

/** A WebSocket the page opened, and the text messages it received. */
interface Seen {
  socket: PageSocket
  received: string[]
}

/**
 * The demo shop page with that widget in place of `/confab.js` (the snippet's queued boot is left
 * unread). The page itself must come from the server: Chromium refuses a WebSocket to 127.0.0.1
 * from a document it did not load from a local address (Local Network Access).
 */
async function openHealingPage(): Promise<{ page: Page; sockets: Seen[] }> {
  const sockets: Seen[] = []
  const page = await openCustomer(env.browser, env.server.url, {
    async beforeLoad(page) {
      page.on('websocket', (socket) => {
        const seen: Seen = { socket, received: [] }
        socket.on('framereceived', (frame) => seen.received.push(String(frame.payload)))
        sockets.push(seen)
      })
      await page.route(`${env.server.url}/confab.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }))
    }
  })
  return { page, sockets }
}

async function faults(visitorId: string, body: Record<string, unknown>): Promise<{ streams: number }> {
  const answer = await fetch(`${env.server.url}/v1/_faults/visitors/${visitorId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  expect(answer.status).toBe(200)
  return answer.json()
}

/** Resolve once `sockets` holds `count` sockets, the last one past its `ready`. */
async function readySockets(sockets: Seen[], count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const isReady = (text: string) => (JSON.parse(text) as { type?: string }).type === 'ready'
  while (!sockets[count - 1]?.received.some(isReady)) {
    if (Date.now() > deadline) throw new Error(`${sockets.length} sockets opened within ${timeoutMs} ms; wanted ${count} ready: ${JSON.stringify(sockets.map((s) => [s.socket.url(), s.socket.isClosed(), s.received]))}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('connections that heal, in real Chromium', () => {
  it('notices a socket gone silent, reconnects, and shows the message sent meanwhile exactly once', async () => {
    const { page, sockets } = await openHealingPage()
    await send(page, 'Is anyone there?')
    await readySockets(sockets, 1, 10_000)
    expect(sockets[0]!.socket.url()).toBe(`${env.server.url.replace('http', 'ws')}/v1/ws`)

    const { conversations } = await env.server.agent('GET', 'conversations')
    const { id: conversationId, visitorId } = conversations.find((c: any) => c.lastMessage?.text === 'Is anyone there?')
    await env.server.agent('POST', `conversations/${conversationId}/messages`, { clientId: 'before', text: 'Hello from the agent' })
    await messages(page, 'agent').filter({ hasText: 'Hello from the agent' }).waitFor()

    // The socket's network path dies: it stays open but nothing comes through any more.
    const silencedAt = Date.now()
    expect((await faults(visitorId, { silent: true })).streams).toBe(1)
    await env.server.agent('POST', `conversations/${conversationId}/messages`, { clientId: 'during', text: 'Sent while the socket was silent' })

    // No close ever reaches the page: only the heartbeat can tell, within heartbeat + 10 s.
    await readySockets(sockets, 2, HEARTBEAT_MS + 10_000 + 5_000)
    const noticedAfter = Date.now() - silencedAt
    expect(noticedAfter).toBeLessThan(HEARTBEAT_MS + 10_000 + 3_000)
    expect(sockets[0]!.socket.isClosed()).toBe(true)
    // The replay on the new socket brought what the silent one never delivered.
    expect(sockets[1]!.received.some((text) => text.includes('Sent while the socket was silent'))).toBe(true)

    await messages(page, 'agent').filter({ hasText: 'Sent while the socket was silent' }).waitFor()
    await env.server.agent('POST', `conversations/${conversationId}/messages`, { clientId: 'after', text: 'And after it healed' })
    await messages(page, 'agent').filter({ hasText: 'And after it healed' }).waitFor()
    // A replayed message must not show twice, nor be lost.
    await page.waitForTimeout(300)
    expect(await messages(page).allTextContents()).toEqual([
      expect.stringContaining('Is anyone there?'),
      expect.stringContaining('Hello from the agent'),
      expect.stringContaining('Sent while the socket was silent'),
      expect.stringContaining('And after it healed')
    ])
    // The silenced socket was already given up by the page.
    expect((await faults(visitorId, { silent: false })).streams).toBe(0)
    expect(sockets).toHaveLength(2)
    await page.context().close()
  })
})
