import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { launchChromium } from './browser.js'
import { AGENT_KEY, startServer, type RunningServer, type ServerOptions } from './server.js'

/** Uncaught errors of every page opened through these helpers; each test file checks it stays empty. */
export const pageErrors: Error[] = []

export const messages = (page: Page, author?: string) =>
  page.locator(author ? `[data-testid="message"][data-author="${author}"]` : '[data-testid="message"]')

/** The agent console of the server at `url`, in a new window, with conversation `id` open. */
export async function openConsole(browser: Browser, url: string, id: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(`${url}/agent?key=${AGENT_KEY}`)
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`).click()
  await page.getByTestId('agent-reply').waitFor()
  return page
}

/** A new page on the demo site, in `context` (a fresh one when omitted), with the pane open. */
export async function openCustomer(
  browser: Browser,
  url: string,
  options: { context?: BrowserContext; query?: string; beforeLoad?: (page: Page) => Promise<void> } = {}
): Promise<Page> {
  const context = options.context ?? (await browser.newContext())
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await options.beforeLoad?.(page)
  await page.goto(`${url}/${options.query ?? ''}`)
  await page.getByTestId('launcher').click()
  await page.getByTestId('pane').waitFor()
  return page
}

/** Type a message, press Enter, wait until the server confirmed it. */
export async function send(page: Page, text: string) {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
  await messages(page).filter({ hasText: text }).and(page.locator('[data-status="sent"]')).waitFor()
}

/** Names of this origin's IndexedDB databases that belong to Confab. */
export const confabDatabases = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('confab-')))

export function expectNoPageErrors() {
  expect(pageErrors).toEqual([])
}

/**
 * The file's reference server (started with `options`) and Chromium, started before its tests and
 * stopped after them (which also checks that no page threw). Read `env.server` and `env.browser`
 * inside tests.
 */
export function useBrowserAndServer(options?: ServerOptions) {
  const env = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    env.server = await startServer(options)
    env.browser = await launchChromium()
  })
  afterAll(async () => {
    expectNoPageErrors()
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}
