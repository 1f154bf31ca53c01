// @ts-check
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

/** @typedef {import('../router.js').Route} Route */
/** @typedef {import('../router.js').Request} Request */

const publicDir = fileURLToPath(new URL('../public/', import.meta.url))

/**
 * The agent console loads nothing but its own files and talks only to this server; it shows pictures
 * from anywhere (visitors' and bots' images and cards), which cannot run anything.
 */
const AGENT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: https: http:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * The demo pages, the built widget and a health check.
 * @param {{ widgetPath: string }} context
 * @returns {Route[]}
 */
export function pageRoutes({ widgetPath }) {
  /**
   * @param {string} path
   * @param {(request: Request) => Promise<import('../router.js').Reply | void>} handle
   * @returns {Route}
   */
  const page = (path, handle) => ({ method: 'GET', path, api: 'page', handle })
  /** The emoji data compressed, for as long as the file stays the same. @type {{ etag: string, body: Buffer } | undefined} */
  let zipped

  return [
    page('/', async (request) => {
      let html = await fs.readFile(publicDir + 'demo.html', 'utf8')
      // What a site's template would do: render the boot options into the snippet.
      if (request.query.get('mode') === 'chat') {
        html = html.replace("mode: 'messaging'", "mode: 'chat'").replace('data-mode="messaging"', 'data-mode="chat"')
      }
      // The widget's language (`?locale=ar`), when it looks like a language tag.
      const locale = request.query.get('locale')
      if (locale && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(locale)) html = html.replace('titleBadge: true', `locale: '${locale}', titleBadge: true`)
      // The widget follows the visitor's system unless `?theme=light` or `?theme=dark` says otherwise.
      const theme = request.query.get('theme')
      if (theme === 'light' || theme === 'dark') {
        html = html.replace("theme: 'auto'", `theme: '${theme}'`).replace('data-widget-theme="auto"', `data-widget-theme="${theme}"`)
      }
      send(request, 200, 'text/html', html)
    }),
    page('/agent', async (request) => {
      send(request, 200, 'text/html', await fs.readFile(publicDir + 'agent.html'), { 'content-security-policy': AGENT_CSP })
    }),
    page('/agent.js', async (request) => {
      send(request, 200, 'text/javascript', await fs.readFile(publicDir + 'agent.js'))
    }),
    page('/agent.css', async (request) => {
      send(request, 200, 'text/css', await fs.readFile(publicDir + 'agent.css'))
    }),
    // The widget's loader, and what it loads from beside it: the rest of the widget and then the
    // pane with the text of its language (when the browser is idle after boot, or at once when the
    // visitor reaches for it), search (on the first search), the GIF picker and the emoji picker
    // (when they are first opened), the upload step (with the first message that has files) and
    // media (as the composer shows where the backend takes files, or on the first image opened).
    ...[
      '/confab.js',
      '/confab-core.js',
      '/confab-pane.js',
      ...['es', 'fr', 'de', 'ja', 'ar', 'he'].map((language) => `/confab-locale-${language}.js`),
      '/confab-search.js',
      '/confab-gif.js',
      '/confab-emoji-picker.js',
      '/confab-uploads.js',
      '/confab-media.js'
    ].map((path) =>
      page(path, async (request) => {
        const file = path === '/confab.js' ? widgetPath : join(dirname(widgetPath), path.slice(1))
        let script
        try {
          script = await fs.readFile(file)
        } catch {
          const message = `The widget is not built (${file} is missing): run npm run build, or npm start.\n`
          return send(request, 404, 'text/plain', message)
        }
        send(request, 200, 'text/javascript', script)
      })
    ),
    // The emoji picker's data, fetched beside the widget on first use. Unlike the scripts, which
    // must change together, it may be kept a day and then checked (an ETag answers 304); compressed
    // when the browser takes gzip (about 44 KB instead of 140 KB).
    page('/confab-emoji.json', async (request) => {
      const file = join(dirname(widgetPath), 'confab-emoji.json')
      let data
      try {
        data = await fs.readFile(file)
      } catch {
        return send(request, 404, 'text/plain', `The widget is not built (${file} is missing): run npm run build, or npm start.\n`)
      }
      const etag = `"${createHash('sha256').update(data).digest('base64url').slice(0, 16)}"`
      const headers = { 'cache-control': 'public, max-age=86400', etag, vary: 'accept-encoding' }
      if (request.req.headers['if-none-match'] === etag) {
        request.res.writeHead(304, headers).end()
        return
      }
      if (!/\bgzip\b/.test(String(request.req.headers['accept-encoding'] ?? ''))) return send(request, 200, 'application/json', data, headers)
      if (zipped?.etag !== etag) zipped = { etag, body: gzipSync(data, { level: 9 }) }
      send(request, 200, 'application/json', zipped.body, { ...headers, 'content-encoding': 'gzip' })
    }),
    // Pictures the demo bot's cards show.
    page('/assets/:name', async (request) => {
      const name = request.params.name ?? ''
      const image = /^[a-z-]{1,40}\.svg$/.test(name) ? await fs.readFile(`${publicDir}assets/${name}`).catch(() => undefined) : undefined
      if (!image) return send(request, 404, 'text/plain', 'No such picture\n')
      // An SVG opened on its own is a document: no scripts in it, whatever it holds.
      send(request, 200, 'image/svg+xml', image, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" })
    }),
    page('/health', async () => ({ status: 200, body: { status: 'ok' } }))
  ]
}

/**
 * @param {Request} request
 * @param {number} status
 * @param {string} type
 * @param {string | Buffer} content
 * @param {Record<string, string>} [headers]
 */
function send({ res }, status, type, content, headers = {}) {
  res
    .writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'content-length': Buffer.byteLength(content),
      'cache-control': 'no-cache',
      ...headers
    })
    .end(content)
}
