// @ts-check
import { WebSocketServer } from 'ws'
import { backlog, jsonEvent } from '../sse.js'
import { HttpError } from '../http.js'
import { optionalDecimalField } from '../validate.js'

/** @typedef {import('../store.js').Store} Store */
/** @typedef {import('../store.js').Visitor} Visitor */
/** @typedef {import('../sse.js').Streams} Streams */
/** @typedef {import('../sse.js').Subscriber} Subscriber */

/** A socket that has not authenticated within this time is closed. */
const AUTH_MS = 10_000

/** Largest message from a client, in bytes (its fragments joined): an auth message is far smaller. */
export const MAX_MESSAGE = 64 * 1024

/**
 * `GET /v1/ws`: the visitor's event stream over a WebSocket (see README.md). The `ws` package speaks
 * RFC 6455 (handshake, framing, ping/pong, the close handshake, and the close codes for clients that
 * break it: 1002, 1007, 1009); this file is the protocol on top.
 *
 * The token travels in the first message, never in the URL (which proxies and server logs keep).
 * Close codes 4000 + an HTTP status say why the server refused, as the same request over HTTP would
 * be answered: 4401 (start the session again), 4400 (bad auth message or cursor: drop the cursor),
 * 4429 and 45xx (retry later).
 *
 * @param {object} context
 * @param {Store} context.store
 * @param {Streams} context.streams
 * @param {(token: string) => Visitor} context.authenticate The visitor a session token belongs to;
 *   throws an {@link HttpError} that says why not.
 *
 * @example
 * const sockets = eventSockets({ store, streams, authenticate })
 * server.on('upgrade', sockets.upgrade)
 */
export function eventSockets({ store, streams, authenticate }) {
  // No compression and no subprotocols: events are small JSON text. A peer gets a second to answer
  // a close frame before its connection is dropped (`closeTimeout`: newer than @types/ws).
  const wss = new WebSocketServer(
    /** @type {import('ws').ServerOptions} */ ({
      noServer: true,
      maxPayload: MAX_MESSAGE,
      perMessageDeflate: false,
      clientTracking: false,
      closeTimeout: 1000
    })
  )
  /** Every open socket, authenticated or not, so a shutdown can close them all. */
  /** @type {Map<import('ws').WebSocket, import('node:net').Socket>} */
  const open = new Map()

  /**
   * The `upgrade` listener of the HTTP server.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:stream').Duplex} socket
   * @param {Buffer} head
   */
  function upgrade(req, socket, head) {
    const net = /** @type {import('node:net').Socket} */ (socket)
    if ((req.url ?? '').split('?')[0] !== '/v1/ws') return refuseUpgrade(net, 404, 'Not Found')
    // `ws` also speaks the draft version 8; the protocol asks for the standard one.
    if (req.headers['sec-websocket-version'] !== '13') {
      return refuseUpgrade(net, 426, 'Upgrade Required', 'Sec-WebSocket-Version: 13\r\n')
    }
    wss.handleUpgrade(req, net, head, (ws) => serve(ws, net))
  }

  /**
   * @param {import('ws').WebSocket} ws
   * @param {import('node:net').Socket} net
   */
  function serve(ws, net) {
    open.set(ws, net)
    // A client that vanished without a FIN (a sleeping laptop) is noticed by TCP, eventually.
    net.setKeepAlive(true, 60_000)
    const slow = backlog(net)
    /** @type {(() => void) | undefined} */
    let detach
    const timer = setTimeout(() => close(ws, 1008, 'Send {"type":"auth","token":"…"} first'), AUTH_MS)

    /**
     * Send one text message. The replay on connecting is written in one go and not counted by the
     * slow-client check; live messages are.
     * @param {string} text
     * @param {boolean} [replay]
     */
    function send(text, replay = false) {
      if (!replay && !slow.counts(Buffer.byteLength(text))) ws.terminate()
      else ws.send(text)
    }

    // A client that broke RFC 6455: `ws` has already answered with the close code that says how.
    ws.on('error', () => {})
    ws.on('close', () => {
      open.delete(ws)
      clearTimeout(timer)
      detach?.()
    })
    ws.on('message', (data, binary) => {
      if (binary) return close(ws, 1003, 'Only text messages are understood')
      const text = data.toString()
      if (detach) {
        // Application pings, for clients that cannot send control frames (browsers). Anything else
        // is ignored, so newer clients may send messages this version does not know.
        if (parse(text)?.type === 'ping') send('{"type":"pong"}')
        return
      }
      clearTimeout(timer)
      const start = authenticated(parse(text))
      if ('code' in start) return close(ws, start.code, start.reason)
      const { visitor, cursor } = start

      const audience = /** @type {const} */ ({ agent: false, visitorId: visitor.id })
      const replay = streams.replay(audience, cursor)
      /** @type {Subscriber} */
      const sub = {
        audience,
        socket: net,
        send: (event) => send(JSON.stringify(jsonEvent(event))),
        write: (text) => send(text),
        end: () => close(ws, 1001, 'The server ended the stream: resume from the last event id')
      }
      // Attached in the same tick as the replay was read, so no event falls in between.
      detach = streams.attach(sub)
      // `cursor`: where the stream starts, so a client that reconnects before any event came
      // resumes from there rather than live (which would lose the events of the gap).
      send(JSON.stringify({ type: 'ready', cursor: String(cursor ?? store.lastEventId()) }))
      for (const event of replay) send(JSON.stringify(jsonEvent(event)), true)
    })
  }

  /**
   * Check the first message: `{ "type": "auth", "token": "…", "cursor"?: "…" }`.
   * @param {{ type?: unknown, token?: unknown, cursor?: unknown } | undefined} frame
   * @returns {{ visitor: Visitor, cursor: number | undefined } | { code: number, reason: string }}
   */
  function authenticated(frame) {
    if (frame?.type !== 'auth' || typeof frame.token !== 'string') {
      return { code: 4400, reason: 'The first message must be {"type":"auth","token":"…","cursor":"…"}' }
    }
    try {
      return { visitor: authenticate(frame.token), cursor: optionalDecimalField(frame, 'cursor') }
    } catch (error) {
      // The protocol's own words only: anything else is a bug of this server, not of the client.
      if (error instanceof HttpError) return { code: 4000 + error.status, reason: error.message }
      return { code: 1011, reason: 'The server could not read the auth message' }
    }
  }

  return {
    upgrade,

    /** Close every socket now (the server is shutting down): a close frame, then the connection. */
    closeAll() {
      for (const [ws, net] of open) {
        close(ws, 1001, 'The server is shutting down')
        // Without waiting for the peer's answer: nothing may keep the server from closing.
        net.end()
        net.once('finish', () => net.destroy())
      }
    }
  }
}

/**
 * Start the close handshake. A close reason is at most 123 bytes (a control frame carries 125, the
 * code takes 2), cut at a character boundary so it stays UTF-8.
 * @param {import('ws').WebSocket} ws
 * @param {number} code
 * @param {string} reason
 */
function close(ws, code, reason) {
  let cut = reason
  while (Buffer.byteLength(cut) > 123) cut = [...cut].slice(0, -1).join('')
  ws.close(code, cut)
}

/**
 * A client message as JSON, or `undefined` when it is not JSON.
 * @param {string} text
 * @returns {{ type?: unknown, token?: unknown, cursor?: unknown } | undefined}
 */
function parse(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Answer an upgrade request with an HTTP error and drop the connection, before any WebSocket exists.
 * @param {import('node:stream').Duplex} socket
 * @param {number} status
 * @param {string} text
 * @param {string} [headers] Extra header lines, each ending with CRLF.
 */
export function refuseUpgrade(socket, status, text, headers = '') {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`)
}
