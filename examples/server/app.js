// @ts-check
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { createFaults } from './faults.js'
import { startBotHook } from './hook.js'
import { HttpError, discardBody, notFound, readJsonBody, sendError, sendJson } from './http.js'
import { createRouter } from './router.js'
import { agentRoutes } from './routes/agent.js'
import { botRoutes } from './routes/bot.js'
import { demoRoutes } from './routes/demo.js'
import { gifRoutes } from './routes/gifs.js'
import { pageRoutes } from './routes/pages.js'
import { readRoutes } from './routes/read.js'
import { eventSockets } from './routes/socket.js'
import { sessionOwner, visitorRoutes } from './routes/visitor.js'
import { createStreams } from './sse.js'
import { openStore } from './store.js'
import { createUploads, uploadSettings } from './uploads.js'

/**
 * @typedef {object} ServerOptions
 * @property {string} dataDir Folder of the on-disk store.
 * @property {string} [agentKey] Bearer key of the agent API and console. Default `'demo-agent'`.
 * @property {{ url: string, secret: string, retryDelaysMs?: number[] }} [botWebhook] The bot hook: each
 *   visitor message, postback, new and closed conversation is POSTed to `url`, signed with `secret`
 *   (see hook.js). Default none.
 * @property {string} [botKey] Bearer key of the bot API (`/v1/bot/…`), where a bot answers as author
 *   role `bot`. Without it, there is no bot API.
 * @property {string} [widgetPath] The built script-tag bundle served at `/confab.js`. Default `<repo>/dist/confab.js`.
 * @property {import('./faults.js').FaultConfig} [faults] Failures to inject into the visitor API. Default none.
 * @property {number} [eventLogSize] At least this many recent events are kept for stream resume. Default 10,000.
 * @property {number} [compactEvery] Compact the store's journal (a snapshot, then a fresh journal) every
 *   this many records. Default 10,000; `Infinity` never compacts.
 * @property {(error: unknown) => void} [onError] Called with unexpected errors (answered 500). Default: print to stderr.
 * @property {string} [identitySecret] The secret the site's backend signs identity tokens (HS256) with.
 *   Without it, identified sessions are refused with 400 `identity-disabled`.
 * @property {boolean} [demoIdentity] Serve `GET /demo/identity`, which signs tokens for two demo users
 *   (it needs `identitySecret`). Never on a server whose secret a real site uses. Default false.
 * @property {import('./uploads.js').UploadOptions} [uploads] What visitors and agents may upload:
 *   `{ maxBytes, types, slotLifetimeMs }`. Default 25 MB of pictures, PDFs, text, office documents,
 *   sound, MP4 and WebM video and ZIP archives; slots work 15 minutes.
 * @property {string} [publicUrl] The URL visitors reach this server at (behind a proxy), for the
 *   absolute URLs of upload slots and files. Default `http://` and each request's `Host`.
 */

const defaultWidget = fileURLToPath(new URL('../../dist/confab.js', import.meta.url))

/** CORS for the visitor API: any site may embed the widget; no cookies are involved. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Retry-After, Content-Range'
}
const PREFLIGHT = {
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Last-Event-ID, Range',
  'access-control-max-age': '600'
}

/**
 * The Confab reference server: the visitor API, the agent API and console, the demo page.
 *
 * @param {ServerOptions} options
 *
 * @example
 * const server = createServer({ dataDir: '.state/server' })
 * const { url } = await server.listen(8787)
 * // …
 * await server.close()
 */
export function createServer(options) {
  const { dataDir, agentKey = 'demo-agent', botKey, botWebhook, widgetPath = defaultWidget, identitySecret } = options
  if (identitySecret !== undefined && (typeof identitySecret !== 'string' || identitySecret === '')) {
    throw new TypeError('identitySecret must be a non-empty string')
  }
  for (const [name, value] of /** @type {const} */ ([['botKey', botKey], ['botWebhook.secret', botWebhook?.secret]])) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`${name} must be a non-empty string`)
  }
  if (botWebhook && !/^https?:\/\//.test(botWebhook.url)) throw new TypeError('botWebhook.url must be an http: or https: URL')
  if (botKey !== undefined && botKey === agentKey) throw new TypeError('botKey must differ from agentKey: a bot is not an agent')
  if (options.demoIdentity && identitySecret === undefined) {
    throw new TypeError('demoIdentity needs identitySecret: the demo signs identity tokens with it')
  }
  // Checked before the store opens its files: a bad option leaves nothing open.
  uploadSettings(options.uploads)
  if (options.publicUrl !== undefined && !/^https?:\/\/[^/]/.test(options.publicUrl)) throw new TypeError('publicUrl must be an http: or https: URL')
  const onError = options.onError ?? printError
  const store = openStore({ dataDir, eventLogSize: options.eventLogSize, compactEvery: options.compactEvery })
  const streams = createStreams({ store })
  const uploads = createUploads({ store, dataDir, options: options.uploads, publicUrl: options.publicUrl })
  const hook = botWebhook ? startBotHook({ store, ...botWebhook, onError }) : undefined
  // Test machinery (POST /v1/_faults) wraps the routes, socket upgrades and socket auth from outside.
  const faults = createFaults(options.faults, { store, streams, agentKey })
  const sockets = eventSockets({ store, streams, authenticate: faults.authenticate(sessionOwner(store)) })
  const router = createRouter(
    faults.routes([
      ...visitorRoutes({ store, streams, uploads, identitySecret }),
      ...uploads.routes,
      ...agentRoutes({ store, streams, uploads, agentKey }),
      ...readRoutes({ store, agentKey }),
      ...(botKey === undefined ? [] : botRoutes({ store, uploads, botKey })),
      ...pageRoutes({ widgetPath }),
      ...gifRoutes(),
      ...(options.demoIdentity && identitySecret !== undefined ? demoRoutes({ identitySecret }) : [])
    ])
  )
  /** @type {Promise<void> | undefined} */
  let closing

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function handle(req, res) {
    const url = req.url ?? '/'
    const mark = url.indexOf('?')
    const pathname = mark === -1 ? url : url.slice(0, mark)
    const query = new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1))
    const method = req.method ?? 'GET'
    const visitorApi = /^\/v1(\/|$)/.test(pathname) && !/^\/v1\/(agent|bot|_faults)(\/|$)/.test(pathname)
    res.setHeader('x-content-type-options', 'nosniff')
    // The agent and bot APIs get no CORS headers: only the console, on this origin, and servers may call them.
    if (visitorApi) for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value)

    try {
      if (method === 'OPTIONS' && pathname.startsWith('/v1/')) {
        return sendJson(res, 204, undefined, visitorApi ? PREFLIGHT : {})
      }
      const found = router.match(method, pathname)
      if (!found) throw notFound(`There is no ${method} ${pathname.slice(0, 200)}`)
      if ('allowed' in found) {
        const allow = found.allowed.join(', ')
        throw new HttpError(405, 'method-not-allowed', `${pathname.slice(0, 200)} accepts ${allow}, not ${method}`, { allow })
      }
      const { route, params } = found
      /** @type {Promise<Record<string, unknown>> | undefined} */
      let body
      const reply = await route.handle({ req, res, params, query, body: () => (body ??= readJsonBody(req)) })
      // No reply: the handler answered itself (an event stream), or was told not to answer at all.
      if (reply) sendJson(res, reply.status, reply.body, reply.headers)
    } catch (error) {
      if (res.headersSent || res.destroyed) {
        res.destroy()
        return
      }
      if (!(error instanceof HttpError) && !closing) onError(error)
      const answer =
        error instanceof HttpError ? error : new HttpError(500, 'internal', 'The server failed; the request may be retried')
      // A refusal may come before the body was read (a 413 by its Content-Length, a 401): read the
      // rest first, or a client still writing it gets a broken pipe instead of this answer.
      if (!(await discardBody(req))) res.setHeader('connection', 'close')
      if (res.destroyed) return
      sendError(res, answer)
    }
  }

  // A request's whole body may take 10 minutes: a 25 MB upload on a slow line (350 kbit/s).
  const server = http.createServer({ requestTimeout: 10 * 60_000, headersTimeout: 10_000 }, (req, res) => {
    void handle(req, res)
  })
  server.on('upgrade', faults.upgrade(sockets.upgrade))

  return {
    store,

    /**
     * Start listening. Port 0 picks a free port.
     * @param {number} [port]
     * @param {string} [host]
     * @returns {Promise<{ port: number, url: string }>}
     */
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          const address = /** @type {import('node:net').AddressInfo} */ (server.address())
          const shown = address.address.includes(':') ? `[${address.address}]` : address.address
          resolve({ port: address.port, url: `http://${shown}:${address.port}` })
        })
      })
    },

    /** Stop: end event streams, drop connections, release the store. */
    close() {
      closing ??= new Promise((resolve) => {
        hook?.stop()
        streams.closeAll()
        sockets.closeAll()
        server.close(() => {
          store.close()
          // One more turn of the event loop lets clients in this process (tests) see their pooled
          // keep-alive sockets closed, so a server restarted on the same port gets fresh ones.
          setImmediate(resolve)
        })
        server.closeAllConnections()
      })
      return closing
    }
  }
}

/** @param {unknown} error */
function printError(error) {
  process.stderr.write(`confab server: ${error instanceof Error ? error.stack : String(error)}\n`)
}
