import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
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

/** The README's quick-start snippet, pasted as a site owner does, in an inline script with the page's nonce. */
const SNIPPET_PAGE = (url: string) => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
  const snippet = /```html\n<script>\n(\s*\(function \(w, d, s, c\)[\s\S]*?\}\)\(window, document\);)/.exec(readme)![1]!.replace('https://your-cdn.example/confab.js', '/confab.js')
  return `<!doctype html><meta charset="utf-8"><title>Shop with the snippet</title><h1>Shop</h1>
<script nonce="${NONCE}">${snippet}
Confab('boot', { url: '${url}' })</script>`
}

/** {@link CSP} on a page that also enforces Trusted Types, allowing the widget's own policy only. */
const TRUSTED_TYPES_CSP = `${CSP}; require-trusted-types-for 'script'; trusted-types confab`

/** Open `/strict` of the reference server, served with `policy`; violations are collected. */
async function openStrictPage(policy = CSP, html = PAGE): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await env.browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  // Init scripts come from the browser, not the page: the policy does not apply to this one.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { violations: string[] }).violations = [])
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`))
  })
  await page.route(`${env.server.url}/strict`, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy }, body: html(env.server.url) })
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

  it('load media under the same policy: the ways to attach, then the viewer, styled', async () => {
    const { page, violations } = await openStrictPage()
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    await send(page, 'What does Basic look like?')
    const { conversations } = await env.server.agent('GET', 'conversations')
    const { id } = conversations.find((c: { lastMessage?: { text: string } }) => c.lastMessage?.text === 'What does Basic look like?')
    const picture = { type: 'image', url: `${env.server.url}/assets/plan-basic.svg`, alt: 'The Basic plan', width: 200, height: 120 }
    await env.server.agent('POST', `conversations/${id}/messages`, { clientId: 'picture', text: 'Like this', parts: [picture] })
    // Read back over HTTP, not waited for over the socket, which this Chromium refuses a page fulfilled
    // by the test (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
    const mediaRequested = page.waitForRequest(`${env.server.url}/confab-media.js`)
    await page.reload()
    await page.getByTestId('launcher').click()
    // The server takes uploads: the composer's ways to attach load with the pane.
    await mediaRequested
    await page.getByTestId('attach').waitFor()
    await page.getByTestId('image').click()
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
    // Never idle: the pane's code is then asked for by opening and by Retry alone, not also by an
    // idle moment (which would fill the pane by itself once the network is back).
    await page.addInitScript(() => (window.requestIdleCallback = () => 0))
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

  it('fetch the pane’s code beside the core’s when the visitor reaches for the launcher before the core is there: once, under Trusted Types, with no violation', async () => {
    const { page, violations } = await openStrictPage(TRUSTED_TYPES_CSP)
    const asked: string[] = []
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (/^\/confab-(core|pane)\.js$/.test(path)) asked.push(path)
    })
    // The core held back, as on a slow network.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route(`${env.server.url}/confab-core.js`, async (route) => {
      await held
      await route.continue()
    })
    await page.goto(`${env.server.url}/strict`)
    const launcher = page.getByTestId('launcher')
    await launcher.hover()
    // Both asked for while the core is still on its way.
    await expect.poll(() => [...asked].sort()).toEqual(['/confab-core.js', '/confab-pane.js'])
    await launcher.click()
    release()
    await page.getByTestId('pane').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('data-testid'))).toBe('composer')
    // The pane's script took the preloaded response: the network was asked once.
    expect(asked.filter((path) => path === '/confab-pane.js')).toHaveLength(1)
    expect(await violations()).toEqual([])
    await page.context().close()
  })

  it('run under Trusted Types with the widget’s own policy: open, send, receive, search, with no violation', async () => {
    const { page, violations } = await openStrictPage(TRUSTED_TYPES_CSP)
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    await send(page, 'Are the beans fresh?')
    const { conversations } = await env.server.agent<{ conversations: { id: string; lastMessage?: { text: string } }[] }>('GET', 'conversations')
    const id = conversations.find((c) => c.lastMessage?.text === 'Are the beans fresh?')!.id
    await env.server.agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), text: 'Roasted **this week**, see [our roastery](https://example.com/roastery).' })
    await messages(page, 'agent').filter({ hasText: 'Roasted this week' }).waitFor()
    await page.getByTestId('search-open').click()
    await page.getByTestId('search-input').fill('roasted')
    await page.getByTestId('search-result').filter({ hasText: 'Roasted' }).waitFor()
    // The policy is the widget's, and lets through nothing but its own scripts.
    const refused = await page.evaluate(() => {
      const policy = (globalThis as unknown as Record<symbol, { createScriptURL(url: string): unknown }>)[Symbol.for('confab.policy')]!
      try {
        policy.createScriptURL('https://evil.example/confab-core.js')
        return 'allowed'
      } catch (error) {
        return (error as Error).message
      }
    })
    expect(refused).toBe('Confab loads only its own scripts, not https://evil.example/confab-core.js')
    expect(await violations()).toEqual([])
    await page.context().close()
  })

  it('load the language’s text beside the pane under Trusted Types, with data-locale and data-strings from the script tag', async () => {
    const strings = JSON.stringify({ title: 'Boutique Acme' }).replaceAll('"', '&quot;')
    const french = (url: string) => PAGE(url).replace('data-mode="messaging"', `data-mode="messaging" data-locale="fr-CA" data-strings="${strings}"`)
    const { page, violations } = await openStrictPage(TRUSTED_TYPES_CSP, french)
    const text = page.waitForResponse(`${env.server.url}/confab-locale-fr.js`)
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    expect((await text).status()).toBe(200)
    expect(await page.getByTestId('pane').getAttribute('lang')).toBe('fr-CA')
    expect(await page.locator('.head h2').textContent()).toBe('Boutique Acme')
    expect(await page.getByTestId('composer').getAttribute('placeholder')).toBe('Écrivez votre message…')
    expect(await violations()).toEqual([])
    await page.context().close()
  })

  it('load from the README’s snippet, which passes the page’s nonce on', async () => {
    const { page, violations } = await openStrictPage(CSP, SNIPPET_PAGE)
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    await send(page, 'Pasted from the README')
    expect(await violations()).toEqual([])
    await page.context().close()
  })

  it('load the emoji picker and its data on first use under Trusted Types and a strict policy, with no violation', async () => {
    const { page, violations } = await openStrictPage(TRUSTED_TYPES_CSP)
    await page.goto(`${env.server.url}/strict`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
    const data = page.waitForResponse(`${env.server.url}/confab-emoji.json`)
    await page.getByTestId('emoji-open').click()
    await page.getByTestId('emoji-search').fill('tada')
    await page.getByRole('grid', { name: 'Emoji found' }).waitFor()
    expect((await data).status()).toBe(200)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('composer').inputValue()).toBe('🎉')
    expect(await violations()).toEqual([])
    await page.context().close()
  })
})
