import { describe, it } from 'vitest'
import { runTransportConformance } from '../../../src/testing/index.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import { referenceServerHarness } from './reference-server.js'

// The HTTP adapter (server-sent events) against the reference server.
runTransportConformance(
  { describe, it },
  referenceServerHarness({
    name: 'http',
    // No online/offline watch in Node, and reconnects without jitter: only the server's `retry:` waits.
    createTransport: (url) => createHttpTransport({ url, stream: ['sse'], events: null, random: () => 0, timeout: 3000 }),
    malformedEvent: 'event: message\ndata: {"message":{"id":"half a message"}}\n\n'
  })
)
