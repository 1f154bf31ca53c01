import type { Browser, BrowserContext, Page } from 'playwright-core'
import { pageErrors } from './pages.js'
import type { RunningServer } from './server.js'

/**
 * A plain, responsive page of a site (unlike the demo shop, which is wider than a phone) with the
 * README's snippet and the viewport meta the README recommends, served by `page.route` on the
 * reference server's origin: the widget talks to the server as on any site.
 */
const SITE = (options: string, lang = 'en', dir = 'ltr') => `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">
<title>A site</title>
<script>
(function (w, d, s, c) { c = w.Confab = w.Confab || function () { var a = arguments, r, p = new Promise(function (y) { r = y });
  p.catch(function () {}); c.q.push([a, r]); return a[0] == 'on' ? function () { w.Confab('off', a[1], a[2]) } : p }; c.q = c.q || [];
  s = d.createElement('script'); s.async = true; s.src = '/confab.js'; d.head.appendChild(s) })(window, document);
Confab('boot', Object.assign({ url: location.origin }, ${options}));
</script>
</head>
<body><main><h1>A site</h1><p>Its own content.</p><p><a href="#top">A link of the page</a></p></main></body>
</html>`

/** Where the site's page is, on the server's origin. */
const PATH = '/site.html'

/**
 * A new page of the site in `context` (a fresh one when omitted), the widget booted in `mode`
 * with the reference server's GIFs and any other `boot` options; the pane open unless `closed`.
 * `lang` and `dir` are the page's own (English, left to right when omitted).
 */
export async function openSite(
  browser: Browser,
  server: RunningServer,
  options: { context?: BrowserContext; mode?: 'chat' | 'messaging'; closed?: boolean; boot?: Record<string, unknown>; lang?: string; dir?: 'ltr' | 'rtl' } = {}
): Promise<Page> {
  const context = options.context ?? (await browser.newContext())
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  const boot = JSON.stringify({ mode: options.mode ?? 'messaging', gifs: { provider: 'confab' }, ...options.boot })
  await page.route(`${server.url}${PATH}`, (route) => route.fulfill({ contentType: 'text/html', body: SITE(boot, options.lang, options.dir) }))
  await page.goto(`${server.url}${PATH}`)
  await page.getByTestId('launcher').waitFor()
  if (!options.closed) {
    await page.getByTestId('launcher').click()
    await page.getByTestId('pane').waitFor()
  }
  return page
}

/** The id of the visitor's newest conversation on the server. */
export async function conversationOf(server: RunningServer): Promise<string> {
  const { conversations } = await server.agent<{ conversations: { id: string; updatedAt: number }[] }>('GET', 'conversations')
  return conversations.sort((a, b) => b.updatedAt - a.updatedAt)[0]!.id
}

/** An agent of the server writes `content` (a text, or a whole message's content) into conversation `id`. */
export const agentSays = (server: RunningServer, id: string, content: string | Record<string, unknown>, name = 'Anna') =>
  server.agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), name, ...(typeof content === 'string' ? { text: content } : content) })

/**
 * What has focus: inside the widget, its `data-testid` (with its text where several share it, as
 * `action:Call me`), its role, or its tag and text; on the page, `page:` and its tag, or `body`.
 */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined
    if (!el) return document.activeElement === document.body ? 'body' : `page:${document.activeElement?.tagName.toLowerCase()}`
    const id = el.dataset.testid
    const text = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)
    if (id) return el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).querySelectorAll(`[data-testid="${id}"]`).length > 1 ? `${id}:${text}` : id
    return el.getAttribute('role') ?? `${el.tagName.toLowerCase()}:${text}`
  })
