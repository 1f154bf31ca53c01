import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createXmppAgent } from '../support/xmpp/agent.js'
import { freePort } from '../support/xmpp/servers.js'
import { launchChromium } from './browser.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** `npm run demo:xmpp` after its build: examples/xmpp/start.js in its own process group, on free ports. */
interface Demo {
  child: ChildProcess
  url: string
  websocketUrl: string
  /** The temporary folder it announced. */
  state: string
  stdout(): string
  stderr(): string
  /** Resolves with the exit code once the script ended. */
  exited: Promise<number | null>
}

async function startDemo(): Promise<Demo> {
  const [port, httpPort, c2sPort] = [await freePort(), await freePort(), await freePort()]
  const child = spawn(process.execPath, ['examples/xmpp/start.js'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), XMPP_HTTP_PORT: String(httpPort), XMPP_C2S_PORT: String(c2sPort) }
  })
  let [out, err] = ['', '']
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk))
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const deadline = Date.now() + 30_000
  while (!/state in (\S+)\. /.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stopGroup(child, 'SIGKILL')
      throw new Error(`the demo did not start:\n${out}\n${err}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    child,
    url: `http://127.0.0.1:${port}/`,
    websocketUrl: `ws://127.0.0.1:${httpPort}/xmpp-websocket`,
    state: /state in (\S+)\. /.exec(out)![1]!,
    stdout: () => out,
    stderr: () => err,
    exited
  }
}

/** What Ctrl+C does in a terminal: the signal to the whole process group (the script and Prosody). */
function stopGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    // Already gone.
  }
}

describe('the XMPP demo (examples/xmpp/start.js)', () => {
  const env = {} as { demo: Demo }

  beforeAll(async () => {
    env.demo = await startDemo()
  })

  afterAll(async () => {
    if (env.demo) {
      stopGroup(env.demo.child, 'SIGKILL')
      await env.demo.exited
      rmSync(env.demo.state, { recursive: true, force: true })
    }
  })

  it('serves every resource its page asks for', async () => {
    // A browser of its own: Chromium asks a site for its icon once per browser.
    const browser = await launchChromium()
    const page = await browser.newPage()
    const failures: string[] = []
    page.on('console', (message) => message.type() === 'error' && failures.push(`${message.text()} ${message.location().url}`))
    page.on('response', (response) => response.status() >= 400 && failures.push(`${response.status()} ${response.url()}`))
    await page.goto(env.demo.url)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    // The browser asks for its icon after the load; give it the time to answer.
    await page.waitForLoadState('networkidle')
    await browser.close()
    expect(failures).toEqual([])
  })

  it('lets its page put a file to Prosody’s upload service, on another origin, and read it back', async () => {
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(env.demo.url)
      // The adapter the page loaded, as the widget uses it, and an upload as the client puts one.
      const seen = await page.evaluate(async () => {
        const { ConfabXmpp, CONFAB_XMPP } = window as unknown as {
          ConfabXmpp: { createXmppTransport(options: unknown): import('../../src/transports/types.js').Transport }
          CONFAB_XMPP: unknown
        }
        const transport = ConfabXmpp.createXmppTransport(CONFAB_XMPP)
        try {
          const session = await transport.connect({})
          const { id } = await transport.createConversation({ mode: 'messaging' })
          const file = new Blob([new Uint8Array([137, 80, 78, 71, 0, 255, 1, 2])], { type: 'image/png' })
          const request = { clientId: 'demo-file', name: 'dot.png', size: file.size, type: file.type }
          const slot = await transport.requestUpload!(id, request)
          const status = await new Promise<number>((resolve, reject) => {
            const xhr = new XMLHttpRequest()
            xhr.open('PUT', slot.putUrl)
            for (const [name, value] of Object.entries(slot.headers ?? {})) xhr.setRequestHeader(name, value)
            xhr.onload = () => resolve(xhr.status)
            xhr.onerror = () => reject(new Error(`PUT ${slot.putUrl} failed (CORS?)`))
            xhr.send(file)
          })
          const back = [...new Uint8Array(await (await fetch(slot.getUrl)).arrayBuffer())]
          // Asked again, the adapter finds the bytes in (a HEAD of the GET URL, across origins).
          const { stored } = await transport.requestUpload!(id, request)
          return { origin: location.origin, putUrl: slot.putUrl, uploads: transport.capabilities.uploads, limits: session.uploadLimits, status, back, stored }
        } finally {
          transport.close()
        }
      })
      expect(new URL(seen.putUrl).origin).not.toBe(seen.origin)
      expect(seen).toMatchObject({ uploads: true, limits: { maxBytes: 10 * 1024 * 1024, types: [] }, status: 201, back: [137, 80, 78, 71, 0, 255, 1, 2], stored: true })
    } finally {
      await browser.close()
    }
  })

  it('stops on SIGTERM after Prosody stored a room: exit code 0, its folder deleted', async () => {
    // The agent's join creates a persistent room, which Prosody writes to its data folder as it stops.
    const agent = await createXmppAgent(
      { websocketUrl: env.demo.websocketUrl, domain: 'localhost', mucService: 'conference.localhost' },
      { username: 'agent', password: 'agent-demo' }
    )
    await agent.join(`confab-${'0'.repeat(23)}1`)
    await agent.reply(`confab-${'0'.repeat(23)}1`, 'Hello from the agent')
    agent.close()

    stopGroup(env.demo.child, 'SIGTERM')
    const code = await env.demo.exited
    expect(env.demo.stderr()).not.toContain('ENOTEMPTY')
    expect(code).toBe(0)
    expect(existsSync(env.demo.state)).toBe(false)
  })
})
