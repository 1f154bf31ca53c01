// @ts-check
import crypto from 'node:crypto'
import { backlog } from './sse.js'

/**
 * A WebSocket server connection after RFC 6455, with no dependency: the handshake, masked client
 * frames, fragmented messages, ping/pong and the close handshake. Text messages only; no
 * extensions (no compression) and no subprotocols.
 */

/** Largest frame, and largest message once its fragments are joined, in bytes. */
export const MAX_FRAME = 64 * 1024
/** RFC 6455 §1.3: appended to `Sec-WebSocket-Key` before hashing. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

const TEXT = 0x1
const BINARY = 0x2
const CLOSE = 0x8
const PING = 0x9
const PONG = 0xa

/**
 * What a connection tells its owner.
 * @typedef {object} SocketHandlers
 * @property {(text: string) => void} message A complete text message.
 * @property {() => void} closed The connection is gone (closed cleanly or not).
 */

/**
 * An open connection.
 * @typedef {object} Socket
 * @property {(text: string, replay?: boolean) => void} send Send one text message. A `replay`
 *   (written in one go on connecting) is not counted by the slow-client check (see `MAX_BUFFERED`).
 * @property {(code: number, reason?: string) => void} close Start the close handshake.
 * @property {boolean} silent While true, nothing is written, not even pongs (the `silent` fault).
 */

/**
 * Answer an upgrade request, or refuse it with an HTTP status before any WebSocket exists.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:stream').Duplex} socket
 * @returns {boolean} whether the connection is now a WebSocket
 */
export function acceptUpgrade(req, socket) {
  const key = req.headers['sec-websocket-key']
  if (req.method !== 'GET' || !/\bwebsocket\b/i.test(req.headers.upgrade ?? '') || typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key)) {
    refuse(socket, 400, 'Bad Request')
    return false
  }
  if (req.headers['sec-websocket-version'] !== '13') {
    refuse(socket, 426, 'Upgrade Required', 'Sec-WebSocket-Version: 13\r\n')
    return false
  }
  const accept = crypto.createHash('sha1').update(key + GUID).digest('base64')
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
  return true
}

/**
 * Answer an upgrade request with an HTTP error and drop the connection.
 * @param {import('node:stream').Duplex} socket
 * @param {number} status
 * @param {string} text
 * @param {string} [headers] Extra header lines, each ending with CRLF.
 */
export function refuse(socket, status, text, headers = '') {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`)
}

/**
 * Speak WebSocket on an upgraded connection (after {@link acceptUpgrade}).
 *
 * @param {import('node:net').Socket} socket
 * @param {Buffer} head Bytes the client sent after its upgrade request.
 * @param {SocketHandlers} handlers
 * @returns {Socket}
 *
 * @example
 * const ws = openSocket(socket, head, { message: (text) => ws.send(text), closed: () => {} })
 */
export function openSocket(socket, head, handlers) {
  /** @type {Buffer} */
  let buffer = Buffer.alloc(0)
  /** The fragments of a message in progress, and its opcode (0: none in progress). */
  /** @type {Buffer[]} */
  let parts = []
  let partsSize = 0
  let partsOpcode = 0
  let closing = false
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  const slow = backlog(socket)

  socket.setNoDelay(true)
  // A client that vanished without a FIN (a sleeping laptop) is noticed by TCP, eventually.
  socket.setKeepAlive(true, 60_000)

  /**
   * @param {number} opcode
   * @param {Buffer} payload
   * @param {boolean} [replay]
   */
  function write(opcode, payload, replay = false) {
    if (ws.silent || socket.destroyed || !socket.writable) return
    if (!replay && !slow.counts(payload.length)) {
      socket.destroy()
      return
    }
    const length = payload.length
    const header = Buffer.alloc(length < 126 ? 2 : length < 65536 ? 4 : 10)
    header[0] = 0x80 | opcode
    if (length < 126) header[1] = length
    else if (length < 65536) {
      header[1] = 126
      header.writeUInt16BE(length, 2)
    } else {
      header[1] = 127
      header.writeBigUInt64BE(BigInt(length), 2)
    }
    socket.write(Buffer.concat([header, payload]))
  }

  /**
   * Send a close frame once, then give the peer a moment to answer with its own before dropping.
   * @param {number} code
   * @param {string} [reason]
   */
  function close(code, reason = '') {
    if (closing) return
    closing = true
    // A close reason is at most 123 bytes (a control frame carries 125, the code takes 2).
    const text = Buffer.from(reason).subarray(0, 123)
    const payload = Buffer.alloc(2 + text.length)
    payload.writeUInt16BE(code, 0)
    text.copy(payload, 2)
    const silent = ws.silent
    ws.silent = false
    write(CLOSE, payload)
    ws.silent = silent
    socket.end()
    setTimeout(() => socket.destroy(), 1000).unref()
  }

  /**
   * Refuse what the peer sent: close with `code` and read nothing more.
   * @param {number} code
   * @param {string} reason
   */
  function fail(code, reason) {
    buffer = Buffer.alloc(0)
    close(code, reason)
    return false
  }

  /** Take one complete frame off the buffer; false when more bytes are needed (or it failed). */
  function frame() {
    if (closing || buffer.length < 2) return false
    const first = /** @type {number} */ (buffer[0])
    const second = /** @type {number} */ (buffer[1])
    const fin = (first & 0x80) !== 0
    const opcode = first & 0x0f
    if (first & 0x70) return fail(1002, 'Reserved bits are set but no extension was agreed')
    if (!(second & 0x80)) return fail(1002, 'Frames from a client must be masked')
    let length = second & 0x7f
    let offset = 2
    if (length === 126) {
      if (buffer.length < 4) return false
      length = buffer.readUInt16BE(2)
      offset = 4
    } else if (length === 127) {
      if (buffer.length < 10) return false
      const big = buffer.readBigUInt64BE(2)
      length = big > BigInt(MAX_FRAME) ? Infinity : Number(big)
      offset = 10
    }
    if (opcode >= CLOSE && (!fin || length > 125)) return fail(1002, 'Control frames are short and never fragmented')
    if (length > MAX_FRAME) return fail(1009, `Frames are limited to ${MAX_FRAME} bytes`)
    if (buffer.length < offset + 4 + length) return false
    const mask = buffer.subarray(offset, offset + 4)
    const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length))
    for (let i = 0; i < payload.length; i++) payload[i] = /** @type {number} */ (payload[i]) ^ /** @type {number} */ (mask[i & 3])
    buffer = buffer.subarray(offset + 4 + length)
    return handle(fin, opcode, payload)
  }

  /**
   * @param {boolean} fin
   * @param {number} opcode
   * @param {Buffer} payload
   */
  function handle(fin, opcode, payload) {
    switch (opcode) {
      case 0x0:
      case TEXT:
      case BINARY: {
        // A continuation needs a message in progress; a new message must not start inside one.
        if ((opcode === 0) === (partsOpcode === 0)) return fail(1002, 'Unexpected continuation or data frame')
        if (opcode !== 0) partsOpcode = opcode
        parts.push(payload)
        partsSize += payload.length
        if (partsSize > MAX_FRAME) return fail(1009, `Messages are limited to ${MAX_FRAME} bytes`)
        if (!fin) return true
        const whole = Buffer.concat(parts)
        const binary = partsOpcode === BINARY
        parts = []
        partsSize = partsOpcode = 0
        if (binary) return fail(1003, 'Only text messages are understood')
        let text
        try {
          text = utf8.decode(whole)
        } catch {
          return fail(1007, 'A text message must be UTF-8')
        }
        handlers.message(text)
        return true
      }
      case CLOSE: {
        if (payload.length === 1) return fail(1002, 'A close frame has no code or a 2-byte one')
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000
        // Codes a peer may send (RFC 6455 §7.4): 1000–1003, 1007–1014, 3000–4999.
        if (code < 1000 || code >= 5000 || (code > 1014 && code < 3000) || [1004, 1005, 1006].includes(code)) {
          return fail(1002, `${code} is not a close code a peer may send`)
        }
        // The reason is UTF-8 text; anything else fails the connection (RFC 6455 §8.1).
        try {
          utf8.decode(payload.subarray(2))
        } catch {
          return fail(1007, 'A close reason must be UTF-8')
        }
        // Echo the peer's code, as RFC 6455 §5.5.1 asks, then we are done.
        close(code)
        return false
      }
      case PING:
        write(PONG, payload)
        return true
      case PONG:
        return true
      default:
        return fail(1002, `Unknown opcode ${opcode}`)
    }
  }

  /** @param {Buffer} chunk */
  function receive(chunk) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
    while (frame());
  }

  /** @type {Socket} */
  const ws = {
    send: (text, replay) => write(TEXT, Buffer.from(text), replay),
    close,
    silent: false
  }
  socket.on('data', receive)
  socket.on('error', () => socket.destroy())
  socket.once('close', handlers.closed)
  if (head.length > 0) queueMicrotask(() => receive(head))
  return ws
}
