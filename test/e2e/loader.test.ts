import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page, Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { conversationOf, handOver, serverMessages, sleep, underLoad, visitorIdOf } from './chaos-helpers.js'
import { messages, pageErrors, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

type IdleHeld = { idleNow(): void; idleHeld(): number }

/**
 * The browser's idle callbacks held back until `window.idleNow()` (after which they run as they
 * come): so a test knows the widget's code did not load because the browser was idle.
 */
function holdIdle() {
  const held: (() => void)[] = []
  let released = false
  const page = window as unknown as IdleHeld & typeof window
  page.requestIdleCallback = ((run: () => void) => {
    if (released) setTimeout(run)
    else held.push(run)
    return 0
  }) as typeof requestIdleCallback
  page.cancelIdleCallback = () => undefined
  page.idleHeld = () => held.length
  page.idleNow = () => {
    released = true
    for (const run of held.splice(0)) run()
  }
}

/** A new context whose pages hold their idle callbacks; the script files each page asks for. */
async function newContext(prepare?: (context: BrowserContext) => Promise<unknown>) {
  const context = await env.browser.newContext()
  await prepare?.(context)
  await context.addInitScript(holdIdle)
  const scripts = new Map<Page, string[]>()
  context.on('page', (page) => {
    scripts.set(page, [])
    page.on('pageerror', (error) => pageErrors.push(error))
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (/^\/confab[\w-]*\.js$/.test(path)) scripts.get(page)!.push(path)
    })
  })
  return { context, scripts: (page: Page) => scripts.get(page)! }
}

const idleHeld = (page: Page) => page.evaluate(() => (window as unknown as IdleHeld).idleHeld())
const composerFocused = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-confab]')?.shadowRoot?.activeElement?.getAttribute('data-testid'))

/** How many times the server holds `text` in the conversation, once it holds it (or after 15 s). */
async function storedCount(conversationId: string, text: string): Promise<number> {
  for (const deadline = Date.now() + 15_000; ; await sleep(200)) {
    const count = (await serverMessages(env.server, conversationId)).filter((m) => (m as { text?: string }).text === text).length
    if (count > 0 || Date.now() > deadline) return count
  }
}

describe('the boot loader in real Chromium', () => {
  it('downloads only confab.js until the browser is idle, then the rest, then the pane', async () => {
    const { context, scripts } = await newContext()
    const page = await context.newPage()
    await page.goto(env.server.url)
    await page.getByTestId('launcher').waitFor()
    await sleep(500)
    expect(scripts(page)).toEqual(['/confab.js'])
    expect(await idleHeld(page)).toBeGreaterThan(0)

    await page.evaluate(() => (window as unknown as IdleHeld).idleNow())
    await expect.poll(() => scripts(page)).toEqual(['/confab.js', '/confab-core.js', '/confab-pane.js'])
    await context.close()
  })

  it('opens the pane for a click made before the rest of the widget is there', async () => {
    const { context } = await newContext()
    const page = await context.newPage()
    let core: Route | undefined
    await page.route('**/confab-core.js', (route) => void (core = route))
    await page.goto(env.server.url)
    const launcher = page.getByTestId('launcher')
    await launcher.click()
    // Busy until the rest is there; the pane opens then, without a second click.
    expect(await launcher.getAttribute('aria-busy')).toBe('true')
    await expect.poll(() => core).toBeDefined()
    await core!.continue()
    await page.getByTestId('pane').waitFor()
    await expect.poll(() => composerFocused(page)).toBe('composer')
    expect(await launcher.getAttribute('aria-busy')).toBe('false')
    expect(await launcher.getAttribute('aria-expanded')).toBe('true')
    await send(page, 'Opened before the rest had loaded')
    await context.close()
  })

  it('delivers a send made before the rest of the widget is there, once', async () => {
    const { context, scripts } = await newContext()
    const page = await context.newPage()
    await page.goto(env.server.url)
    await page.getByTestId('launcher').waitFor()
    expect(scripts(page)).toEqual(['/confab.js'])
    const status = await page.evaluate(async () => {
      const Confab = (window as unknown as { Confab: (command: string, text: string) => Promise<{ status: string }> }).Confab
      return (await Confab('send', 'Handed over before the rest had loaded')).status
    })
    expect(status).toBe('sent')
    const conversationId = await conversationOf(env.server, await visitorIdOf(page))
    expect(await storedCount(conversationId, 'Handed over before the rest had loaded')).toBe(1)
    await page.getByTestId('launcher').click()
    await messages(page).filter({ hasText: 'Handed over before the rest had loaded' }).waitFor()
    expect(await messages(page).count()).toBe(1)
    // Words only: the upload step never loads.
    expect(scripts(page)).not.toContain('/confab-uploads.js')
    await context.close()
  })

  it('loads the rest at once when an unsent message waits on the device, and sends it', async () => {
    const { context, scripts } = await newContext((context) => underLoad(context, { cpu: 1, outboxDelayMs: 0 }))
    const page = await context.newPage()
    await page.goto(env.server.url)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    await send(page, 'Before the reload')
    const conversationId = await conversationOf(env.server, await visitorIdOf(page))
    // The outbox's IndexedDB write will not commit before the page goes: only the journal keeps it.
    await page.evaluate(() => void ((window as unknown as { confabOutboxDelay: number }).confabOutboxDelay = 1500))
    await handOver(page, 'Left on the device')
    await page.reload()
    // No idle moment and no visitor's touch: the message on the device is the reason.
    expect(await storedCount(conversationId, 'Left on the device')).toBe(1)
    expect(scripts(page).slice(-2)).toEqual(['/confab.js', '/confab-core.js'])
    expect(await idleHeld(page)).toBeGreaterThan(0)
    await context.close()
  })

  it('loads confab-uploads.js for a message with a file left on the device, and sends it once', async () => {
    const { context, scripts } = await newContext()
    // The site's own page on the widget's origin, with the headless client: it sends a file offline and goes.
    const script = (await build({ entryPoints: [fileURLToPath(new URL('files-left-page.js', import.meta.url))], bundle: true, format: 'iife', write: false, logLevel: 'silent' }))
      .outputFiles[0]!.contents
    await context.route(`${env.server.url}/account`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Account</title><script src="/account.js"></script>' })
    )
    await context.route(`${env.server.url}/account.js`, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: Buffer.from(script) }))
    const account = await context.newPage()
    await account.goto(`${env.server.url}/account`)
    type FilesLeft = { ready: Promise<string>; sendFile(text: string): void; keptFiles(): Promise<number> }
    const conversationId = await account.evaluate(() => (window as unknown as FilesLeft).ready)
    await context.setOffline(true)
    await account.evaluate(() => (window as unknown as FilesLeft).sendFile('The order, attached'))
    await expect.poll(() => account.evaluate(() => (window as unknown as FilesLeft).keptFiles())).toBe(1)
    await account.close()
    await context.setOffline(false)

    // The next page of the site: the widget, once the browser is idle, finds the message and its file.
    const page = await context.newPage()
    await page.goto(env.server.url)
    await page.evaluate(() => (window as unknown as IdleHeld).idleNow())
    expect(await storedCount(conversationId, 'The order, attached')).toBe(1)
    const [stored] = (await serverMessages(env.server, conversationId)).filter((m) => m.text === 'The order, attached')
    expect(stored!.parts).toEqual([expect.objectContaining({ type: 'file', name: 'order.txt', size: 29 })])
    expect([...scripts(page)].sort()).toEqual(['/confab-core.js', '/confab-pane.js', '/confab-uploads.js', '/confab.js'])
    await context.close()
  })
})
