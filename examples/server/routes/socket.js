// @ts-check
import { jsonEvent } from '../sse.js'
import { HttpError } from '../http.js'
import { optionalDecimalField } from '../validate.js'
import { acceptUpgrade, openSocket, refuse } from '../ws.js'

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../sse.js').Streams} Streams */
/** @typedef {import('../sse.js').Subscriber} Subscriber */
/** @typedef {import('../faults.js').Faults} Faults */

/** A socket that has not authenticated within this time is closed. */
const AUTH_MS = 10_000

/**
 * `GET /v1/ws`: the visitor's event stream over a WebSocket (see README.md). The token travels in
 * the first message, never in the URL (which proxies and server logs keep). Close codes 4000 + an
 * HTTP status say why the server refused: 4401 (start the session again), 4400 (bad cursor: drop
 * it), 4429 and 45xx (injected faults: retry later).
 *
 * @param {import('node:http').Server} server
 * @param {{ store: Store, streams: Streams, faults: Faults }} context
 */
export function eventSockets(server, { store, streams, faults }) {
  /** Every open socket, authenticated or not, so a shutdown can close them all. */
  /** @type {Map<import('node:net').Socket, import('../ws.js').Socket>} */
  const open = new Map()

  server.on('upgrade', (req, socket, head) => {
    const net = /** @type {import('node:net').Socket} */ (socket)
    if ((req.url ?? '').split('?')[0] !== '/v1/ws') return refuse(net, 404, 'Not Found')
    if (faults.fail503()) return refuse(net, 503, 'Service Unavailable', 'Retry-After: 1\r\n')
    if (!acceptUpgrade(req, net)) return

    /** @type {(() => void) | undefined} */
    let detach
    const ws = openSocket(net, head, {
      message,
      closed() {
        open.delete(net)
        clearTimeout(timer)
        detach?.()
      }
    })
    open.set(net, ws)
    const timer = setTimeout(() => ws.close(1008, 'Send {"type":"auth","token":"…"} first'), AUTH_MS)

    /** @param {string} text */
    function message(text) {
      /** @type {{ type?: unknown, token?: unknown, cursor?: unknown } | undefined} */
      let frame
      try {
        frame = JSON.parse(text)
      } catch {
        frame = undefined
      }
      if (detach) {
        // Application pings, for clients that cannot send control frames (browsers). Anything else
        // is ignored, so newer clients may send messages this version does not know.
        if (frame?.type === 'ping') ws.send('{"type":"pong"}')
        return
      }
      clearTimeout(timer)
      if (frame?.type !== 'auth' || typeof frame.token !== 'string') {
        return ws.close(4400, 'The first message must be {"type":"auth","token":"…","cursor":"…"}')
      }
      const visitor = store.visitorByToken(frame.token)
      if (!visitor) return ws.close(4401, 'The token is unknown: start a new session')
      // Faults aimed at this visitor refuse the socket as they refuse its requests.
      const refusal = faults.refusal(visitor.id)
      if (refusal) return ws.close(4000 + refusal.status, refusal.message)
      /** @type {number | undefined} */
      let cursor
      try {
        cursor = optionalDecimalField(frame, 'cursor')
      } catch (error) {
        // The protocol's own words only: anything else is a bug of this server, not of the client.
        if (error instanceof HttpError) return ws.close(4400, error.message)
        return ws.close(1011, 'The server could not read the auth message')
      }
      const audience = /** @type {const} */ ({ agent: false, visitorId: visitor.id })
      const replay = streams.replay(audience, cursor)
      /** @type {Subscriber} */
      const sub = {
        audience,
        send: (event) => ws.send(JSON.stringify(jsonEvent(event))),
        raw: (raw) => ws.send(raw),
        end: () => ws.close(1001, 'The server ended the stream: resume from the last event id'),
        // One switch for events and pongs alike.
        get silent() {
          return ws.silent
        },
        set silent(value) {
          ws.silent = Boolean(value)
        }
      }
      // Attached in the same tick as the replay was read, so no event falls in between.
      detach = streams.attach(sub)
      // `cursor`: where the stream starts, so a client that reconnects before any event came
      // resumes from there rather than live (which would lose the events of the gap).
      ws.send(JSON.stringify({ type: 'ready', cursor: String(cursor ?? store.lastEventId()) }))
      for (const event of replay) ws.send(JSON.stringify(jsonEvent(event)), true)
    }
  })

  return {
    /** Close every socket now (the server is shutting down): a close frame, then the connection. */
    closeAll() {
      for (const [net, ws] of open) {
        ws.close(1001, 'The server is shutting down')
        // Without waiting for the peer's answer: nothing may keep the server from closing.
        net.once('finish', () => net.destroy())
      }
    }
  }
}
