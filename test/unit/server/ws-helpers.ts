import crypto from 'node:crypto'
import net from 'node:net'
import { WebSocket } from 'ws'
import { onTestFinished } from 'vitest'
import { AGENT_KEY, type TestServer } from './helpers.js'

/** One frame as the server sent it. */
export interface Frame {
  fin: boolean
  opcode: number
  payload: Buffer
}

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const

/** Encode a client frame: masked unless told otherwise, as RFC 6455 requires of clients. */
export function encodeFrame(opcode: number, data: Buffer | string = '', { fin = true, mask = true, length }: { fin?: boolean; mask?: boolean; length?: number } = {}): Buffer {
  const payload = Buffer.from(data)
  const size = length ?? payload.length
  const head = [(fin ? 0x80 : 0) | opcode]
  const extra = size < 126 ? Buffer.alloc(0) : Buffer.alloc(size < 65536 ? 2 : 8)
  head.push((mask ? 0x80 : 0) | (size < 126 ? size : size < 65536 ? 126 : 127))
  if (size >= 126 && size < 65536) extra.writeUInt16BE(size)
  else if (size >= 65536) extra.writeBigUInt64BE(BigInt(size))
  if (!mask) return Buffer.concat([Buffer.from(head), extra, payload])
  const key = crypto.randomBytes(4)
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i & 3]!))
  return Buffer.concat([Buffer.from(head), extra, key, masked])
}

/**
 * Resolve with the first of `arrived` (from the start) that passes `test`, looking again whenever
 * `waiters` are woken; fail with `failure()` after `timeoutMs`.
 */
function firstArrived<T>(arrived: T[], waiters: Set<() => void>, test: (item: T) => boolean, timeoutMs: number, failure: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = arrived.find(test)
      if (found === undefined) return
      finish()
      resolve(found)
    }
    const timer = setTimeout(() => {
      finish()
      reject(new Error(failure()))
    }, timeoutMs)
    const finish = () => {
      clearTimeout(timer)
      waiters.delete(check)
    }
    waiters.add(check)
    check()
  })
}

/** A close frame payload: the code, then the reason. */
export const closePayload = (code: number, reason = '') => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)])

export interface RawSocket {
  /** The status line and headers of the upgrade answer. */
  status: number
  head: string
  frames: Frame[]
  write(bytes: Buffer): void
  /** Resolve with the first frame (from the start) that passes `test`. */
  frame(test: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>
  /** Resolves when the server closed the TCP connection. */
  ended: Promise<void>
}

/**
 * A hand-driven WebSocket client on a plain TCP socket, for what a well-behaved client library
 * cannot send: unmasked frames, odd fragments, oversized lengths.
 */
export function rawSocket(url: string, { path = '/v1/ws', version = '13', key = crypto.randomBytes(16).toString('base64') } = {}): Promise<RawSocket> {
  const { hostname, port } = new URL(url)
  const socket = net.connect(Number(port), hostname)
  onTestFinished(() => {
    socket.destroy()
  })
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`
  )
  const frames: Frame[] = []
  const waiters = new Set<() => void>()
  let buffer = Buffer.alloc(0)
  let head: string | undefined
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      if (head === undefined) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        head = buffer.subarray(0, end).toString()
        buffer = buffer.subarray(end + 4)
        resolve(raw)
      }
      for (;;) {
        if (buffer.length < 2) break
        let length = buffer[1]! & 0x7f
        let offset = 2
        if (length === 126) [length, offset] = [buffer.readUInt16BE(2), 4]
        else if (length === 127) [length, offset] = [Number(buffer.readBigUInt64BE(2)), 10]
        if (buffer.length < offset + length) break
        frames.push({ fin: (buffer[0]! & 0x80) !== 0, opcode: buffer[0]! & 0x0f, payload: buffer.subarray(offset, offset + length) })
        buffer = buffer.subarray(offset + length)
      }
      for (const wake of [...waiters]) wake()
    })
    const raw: RawSocket = {
      get status() {
        return Number(/^HTTP\/1\.1 (\d+)/.exec(head ?? '')?.[1])
      },
      get head() {
        return head ?? ''
      },
      frames,
      write: (bytes) => socket.write(bytes),
      frame: (test, timeoutMs = 2000) =>
        firstArrived(frames, waiters, test, timeoutMs, () => `no such frame within ${timeoutMs} ms; got ${frames.map((f) => `${f.opcode}:${f.payload}`).join(', ')}`),
      ended
    }
  })
}

/** The code of a close frame. */
export const closeCode = (frame: Frame) => frame.payload.readUInt16BE(0)

export interface Client {
  /** Parsed JSON messages, oldest first. */
  messages: any[]
  send(value: unknown): void
  /** Resolve once a message passes `test`. */
  until(test: (message: any) => boolean, timeoutMs?: number): Promise<any>
  /** Resolve with whatever arrives within `ms` (to show that nothing does). */
  idle(ms: number): Promise<any[]>
  closed: Promise<{ code: number; reason: string }>
  socket: WebSocket
}

/** A `ws` client on `/v1/ws`; with `auth`, it sends the auth message once open. */
export async function wsClient(url: string, auth?: { token: string; cursor?: string }): Promise<Client> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`)
  onTestFinished(() => socket.terminate())
  const messages: any[] = []
  const waiters = new Set<() => void>()
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  )
  socket.on('error', () => {})
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()))
    for (const wake of [...waiters]) wake()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const client: Client = {
    messages,
    socket,
    send: (value) => socket.send(typeof value === 'string' ? value : JSON.stringify(value)),
    until: (test, timeoutMs = 2000) =>
      firstArrived(messages, waiters, test, timeoutMs, () => `no such message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`),
    async idle(ms) {
      const from = messages.length
      await new Promise((resolve) => setTimeout(resolve, ms))
      return messages.slice(from)
    },
    closed
  }
  if (auth) client.send({ type: 'auth', token: auth.token, cursor: auth.cursor ?? '' })
  return client
}

/** Aim faults at one visitor; answers the fault switch's body. */
export async function aim(server: TestServer, visitorId: string, faults: Record<string, unknown>) {
  const answer = await server.call('POST', `/v1/_faults/visitors/${visitorId}`, { token: AGENT_KEY, body: faults })
  if (answer.status !== 200) throw new Error(`the fault switch answered ${answer.status}: ${JSON.stringify(answer.body)}`)
  return answer.body as { streams: number; expired: boolean }
}
