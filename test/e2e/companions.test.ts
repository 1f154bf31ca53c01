import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { messages, pageErrors, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

const NONCE = 'c0nfab-e2e-n0nce'

/**
 * A strict policy: scripts only with the page's nonce (no 'self', no 'strict-dynamic'), styles only
 * from files of the site (no 'unsafe-inline'), connections only to the site.
 */
const CSP = `default-src 'none'; script-src 'nonce-${NONCE}'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'`

/** A page of the site with that policy, loading the widget with a script tag that carries the nonce. */
const PAGE = (url: string) => `<!doctype html><meta charset="utf-8"><title>Shop with a strict CSP</title>
<h1>Shop</h1>
<script async src="/confab.js" nonce="${NONCE}" data-url="${url}" data-mode="messaging"></script>`

/** Open `/strict` of the reference server, served with {@link CSP}; violations are collected. */
async function openStrictPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await env.browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  // Init scripts come from the browser, not the page: the policy does not apply to this one.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { violations: string[] }).violations = [])
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`))
  })
  await page.route(`${env.server.url}/strict`, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }, body: PAGE(env.server.url) })
  )
  return { page, violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations) }
}

describe('the companion scripts in real Chromium', () => {
  it('load under a strict CSP with the page’s nonce: the core, the pane, styled, then search', async () => {
    const { page, violations } = await openStrictPage()
    // Loaded once the browser is idle after boot, before the visitor does anything: the rest of the
    // widget, then the pane.
    const coreRequested = page.waitForRequest(`${env.server.url}/confab-core.js`)
    const paneRequested = page.waitForRequest(`${env.server.url}/confab-pane.js`)
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').waitFor()
    await coreRequested
    await paneRequested
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    const focused = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('data-testid'))
    await expect.poll(focused).toBe('composer')
    // The pane's stylesheet applies: the header has the brand colour, the composer its border.
    const headBackground = await page.locator('.head').evaluate((head) => getComputedStyle(head).backgroundColor)
    expect(headBackground).toBe('rgb(47, 91, 234)')
    await send(page, 'Do you ship to Norway?')

    await page.getByTestId('search-open').click()
    await page.getByTestId('search-input').fill('norway')
    await page.getByTestId('search-result').filter({ hasText: 'Norway' }).waitFor()
    expect(await violations()).toEqual([])
    await page.context().close()
  })

  it('load media under the same policy when an image is opened: the viewer, styled', async () => {
    const { page, violations } = await openStrictPage()
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    await send(page, 'What does Basic look like?')
    const { conversations } = await env.server.agent('GET', 'conversations')
    const { id } = conversations.find((c: { lastMessage?: { text: string } }) => c.lastMessage?.text === 'What does Basic look like?')
    const picture = { type: 'image', url: `${env.server.url}/assets/plan-basic.svg`, alt: 'The Basic plan', width: 200, height: 120 }
    await env.server.agent('POST', `conversations/${id}/messages`, { clientId: 'picture', text: 'Like this', parts: [picture] })
    const mediaRequested = page.waitForRequest(`${env.server.url}/confab-media.js`)
    await page.getByTestId('image').click()
    await mediaRequested
    const viewer = page.getByTestId('viewer')
    await viewer.waitFor()
    // The media stylesheet applies: the viewer is dark.
    expect(await viewer.evaluate((dialog) => getComputedStyle(dialog).backgroundColor)).toBe('rgb(17, 17, 17)')
    await page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached' })
    expect(await violations()).toEqual([])
    await page.context().close()
  })

  it('say so with Retry in the pane when the pane cannot be loaded, and Retry loads it', async () => {
    const { page, violations } = await openStrictPage()
    await page.route('**/confab-pane.js', (route) => route.abort('internetdisconnected'))
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    const failed = page.getByRole('dialog', { name: 'Support' }).getByRole('alert')
    await failed.waitFor()
    expect(await failed.textContent()).toContain('The chat could not be loaded.')

    await page.unroute('**/confab-pane.js')
    await failed.getByRole('button', { name: 'Retry' }).click()
    await page.getByTestId('pane').waitFor()
    await send(page, 'Back online')
    await expect.poll(() => messages(page, 'visitor').count()).toBe(1)
    expect(await failed.count()).toBe(0)
    expect(await violations()).toEqual([])
    await page.context().close()
  })
})
