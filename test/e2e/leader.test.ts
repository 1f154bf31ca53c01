import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser.js'

// Tabs of one site running src/tabs/leader.ts as it is, built into a script for a tiny page.
let browser: Browser
let server: Server
let url: string
const pageErrors: Error[] = []

const PAGE = (script: string) => `<!doctype html><meta charset="utf-8"><title>leader</title>
<script>${script}</script>
<script>
  const election = ConfabLeader.createLeaderElection({ name: 'confab-leader:e2e' })
  window.election = election
  window.becameLeaderAt = 0
  election.onChange((isLeader) => { if (isLeader) window.becameLeaderAt = Date.now() })
  // What the client does: leave the election when the page goes away. A crashed tab never gets here.
  addEventListener('pagehide', () => { if (!window.crashed) election.close() })
</script>`

beforeAll(async () => {
  const { outputFiles } = await build({
    entryPoints: [fileURLToPath(new URL('../../src/tabs/leader.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'ConfabLeader',
    write: false,
    logLevel: 'silent'
  })
  const html = PAGE(outputFiles[0]!.text)
  server = createServer((request, response) => {
    const headers = { 'content-type': 'text/html; charset=utf-8' }
    if (request.url === '/') return response.writeHead(200, headers).end(html)
    // A sandboxed document has an opaque origin, where Web Locks refuse every request.
    if (request.url === '/sandboxed') return response.writeHead(200, { ...headers, 'content-security-policy': 'sandbox allow-scripts' }).end(html)
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  browser = await launchChromium()
})

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
})

type Tab = { page: Page; isLeader(): Promise<boolean> }

async function openTabs(context: BrowserContext, count: number, path = ''): Promise<Tab[]> {
  const tabs: Tab[] = []
  for (let i = 0; i < count; i++) {
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error))
    await page.goto(url + path)
    await page.evaluate(() => (window as any).election.ready)
    tabs.push({ page, isLeader: () => page.evaluate(() => (window as any).election.isLeader as boolean) })
  }
  return tabs
}

const leadersOf = async (tabs: Tab[]) => {
  const flags = await Promise.all(tabs.map((tab) => tab.isLeader()))
  return tabs.filter((_, i) => flags[i])
}

/** Close the leading tab (as a crash: no pagehide work, when `crashed`) and time the handoff. */
async function closeLeader(tabs: Tab[], how: 'closes' | 'crashes'): Promise<{ rest: Tab[]; ms: number }> {
  const [leader] = await leadersOf(tabs)
  if (!leader) throw new Error('no leader to close')
  const rest = tabs.filter((tab) => tab !== leader)
  if (how === 'crashes') await leader.page.evaluate(() => ((window as any).crashed = true))
  const started = Date.now()
  await leader.page.close({ runBeforeUnload: false })
  let next: Tab | undefined
  while (!next) {
    if (Date.now() - started > 5000) throw new Error('no tab took over within 5 s')
    ;[next] = await leadersOf(rest)
  }
  const at = await next.page.evaluate(() => (window as any).becameLeaderAt as number)
  expect(await leadersOf(rest)).toHaveLength(1)
  return { rest, ms: at - started }
}

const modes = [
  { mode: 'Web Locks', setup: async (_: BrowserContext) => {} },
  {
    mode: 'heartbeats (no Web Locks)',
    setup: (context: BrowserContext) =>
      context.addInitScript(() => {
        delete (Navigator.prototype as { locks?: unknown }).locks
      })
  },
  {
    mode: 'heartbeats (Web Locks refused)',
    setup: (context: BrowserContext) =>
      context.addInitScript(() => {
        LockManager.prototype.request = () => Promise.reject(new DOMException('refused', 'SecurityError'))
      })
  }
]

describe.each(modes)('leader tab in real Chromium with $mode', ({ mode, setup }) => {
  it('keeps exactly one leader among five tabs and hands over within 2 s when it closes or crashes', async () => {
    const context = await browser.newContext()
    await setup(context)
    const tabs = await openTabs(context, 5)
    expect(await leadersOf(tabs)).toHaveLength(1)
    // Still one after a few heartbeats.
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(await leadersOf(tabs)).toHaveLength(1)

    const closed = await closeLeader(tabs, 'closes')
    const crashed = await closeLeader(closed.rest, 'crashes')
    console.log(`leader handoff with ${mode}: ${closed.ms} ms after close, ${crashed.ms} ms after a crash`)
    expect(closed.ms).toBeLessThan(2000)
    expect(crashed.ms).toBeLessThan(2000)
    expect(crashed.rest).toHaveLength(3)
    await context.close()
  })
})

describe('leader tab in an opaque origin', () => {
  it('leads alone when Web Locks refuse and the channel reaches nobody', async () => {
    const context = await browser.newContext()
    const [tab] = await openTabs(context, 1, 'sandboxed')
    const page = tab!.page
    expect(await page.evaluate(() => origin)).toBe('null')
    expect(await page.evaluate(() => navigator.locks.request('probe', () => {}).then(() => 'granted', (error: Error) => error.name))).toBe(
      'SecurityError'
    )
    expect(await tab!.isLeader()).toBe(true)
    await context.close()
  })
})
