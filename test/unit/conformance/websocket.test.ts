import { describe, it } from 'vitest'
import { WebSocket } from 'ws'
import { runTransportConformance } from '../../../src/testing/index.js'
import { createWebSocketTransport } from '../../../src/transports/websocket/index.js'
import { referenceServerHarness } from './reference-server.js'

/** `ws`'s WebSocket as a browser's: an unhandled `error` event must not throw in Node. */
class NodeWebSocket extends WebSocket {
  constructor(address: string) {
    super(address)
    this.on('error', () => {})
  }
}

// The WebSocket-first transport against the reference server.
runTransportConformance(
  { describe, it },
  referenceServerHarness({
    name: 'websocket',
    // No online/offline watch in Node, and reconnects without jitter. Only the socket may carry
    // events here, so a check cannot pass by falling back to server-sent events.
    createTransport: (url) =>
      createWebSocketTransport({
        url,
        stream: [],
        WebSocket: NodeWebSocket as unknown as typeof globalThis.WebSocket,
        events: null,
        random: () => 0,
        timeout: 3000
      }),
    // One text message without an id, so it carries no cursor.
    malformedEvent: '{"event":"message","message":{"id":"half a message"}}'
  })
)
