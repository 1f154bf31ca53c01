import { createHttpTransport, type HttpTransportOptions } from '../http/index.js'
import type { Transport } from '../types.js'

/**
 * Options of {@link createWebSocketTransport}: those of the HTTP transport. `stream` lists the
 * fallbacks after the WebSocket (default `['sse', 'poll']`).
 */
export type WebSocketTransportOptions = HttpTransportOptions

/**
 * The Confab HTTP protocol with its events over a WebSocket (`/v1/ws`): REST calls through ky,
 * events pushed over the socket, an application heartbeat that notices a half-open socket, and
 * server-sent events, then long polling, on networks that block WebSockets.
 *
 * @example
 * import { createClient, createWebSocketTransport } from 'confab'
 * const client = createClient({ transport: createWebSocketTransport({ url: 'https://chat.example.com' }) })
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const fallbacks = (options?.stream ?? ['sse', 'poll']).filter((kind) => kind !== 'websocket')
  return { ...createHttpTransport({ ...options, stream: ['websocket', ...fallbacks] }), name: 'websocket' }
}
