import { WebSocket, WebSocketServer } from 'ws'
import { onTestFinished } from 'vitest'
import { openEventStream, type Connect, type NetworkEvents, type Sink, type StreamDeps } from '../../../src/transports/http/stream.js'
import { collect } from './http-fixtures.js'

/**
 * Timers on a clock that only moves when told: `advance` runs the callbacks due on the way, in
 * order, each at its own time.
 */
export function manualClock() {
  let now = 0
  let ids = 0
  const timers = new Map<number, { at: number; run: () => void }>()
  return {
    now: () => now,
    setTimeout(run: () => void, ms: number): unknown {
      timers.set(++ids, { at: now + ms, run })
      return ids
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number)
    },
    advance(ms: number) {
      const end = now + ms
      for (;;) {
        let due: [number, { at: number; run: () => void }] | undefined
        for (const entry of timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].run()
      }
      now = end
    },
    /** Delays of the timers still pending, from now. */
    pending: () => [...timers.values()].map((timer) => timer.at - now)
  }
}

/** Let promises and I/O callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve))

/** A page for the page triggers: an event target with a `document.hidden` to set. */
export function fakePage() {
  return Object.assign(new EventTarget(), { document: { hidden: false } }) as EventTarget & NetworkEvents & { document: { hidden: boolean } }
}

/**
 * A scripted connection kind: each call is recorded with its cursor and handed to the test, which
 * decides what happens (open, send, fail) through the call's controls.
 */
export function scriptedKind() {
  const calls: {
    cursor: string
    signal: AbortSignal
    sink: Sink
    fail(error?: unknown): void
    end(): void
  }[] = []
  const connect: Connect = (cursor, signal, sink) =>
    new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason))
      calls.push({ cursor, signal, sink, fail: (error = new TypeError('Failed to fetch')) => reject(error), end: () => resolve(undefined) })
    })
  return { connect, calls }
}

/** Open a stream over `kinds` with a manual clock and no jitter; stopped when the test ends. */
export function openScripted(kinds: Connect[], options: Partial<StreamDeps> & { cursor?: string } = {}) {
  const clock = manualClock()
  const seen = collect()
  const stop = openEventStream({ kinds, timers: clock, random: () => 0, events: undefined, heartbeat: 25_000, ...options }, seen.listener, options.cursor)
  onTestFinished(stop)
  return { clock, seen, stop }
}

/** `ws`'s WebSocket as a browser's: an unhandled `error` event must not throw in Node. */
export class NodeWebSocket extends WebSocket {
  constructor(url: string) {
    super(url)
    this.on('error', () => {})
  }
}
export const TestWebSocket = NodeWebSocket as unknown as typeof globalThis.WebSocket

export interface ServerSide {
  socket: WebSocket
  url: string
  /** The client's first message (the auth) once it came. */
  auth?: any
  /** The client's later messages. */
  received: any[]
  send(value: unknown): void
}

/**
 * A WebSocket server on 127.0.0.1 that records connections; `onAuth` decides what each one does
 * once authenticated (default: send `ready`).
 */
export async function scriptedSocketServer(onAuth: (conn: ServerSide, index: number) => void = (conn) => conn.send({ type: 'ready' })) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => server.once('listening', resolve))
  onTestFinished(() => new Promise<void>((resolve) => {
    for (const client of server.clients) client.terminate()
    server.close(() => resolve())
  }))
  const connections: ServerSide[] = []
  server.on('connection', (socket, req) => {
    const conn: ServerSide = {
      socket,
      url: req.url ?? '',
      received: [],
      send: (value) => socket.send(typeof value === 'string' ? value : JSON.stringify(value))
    }
    connections.push(conn)
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString())
      if (conn.auth === undefined) {
        conn.auth = message
        onAuth(conn, connections.indexOf(conn))
      } else conn.received.push(message)
    })
  })
  const { port } = server.address() as { port: number }
  return { url: `ws://127.0.0.1:${port}/v1/ws`, connections }
}
