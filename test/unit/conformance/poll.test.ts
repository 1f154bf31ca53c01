import { describe, it } from 'vitest'
import { runTransportConformance } from '../../../src/testing/index.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import { referenceServerHarness } from './reference-server.js'

// A long-poll-only transport against the reference server.
runTransportConformance(
  { describe, it },
  referenceServerHarness({
    name: 'poll',
    // No online/offline watch in Node, and reconnects without jitter.
    createTransport: (url) => createHttpTransport({ url, stream: ['poll'], events: null, random: () => 0, timeout: 3000 }),
    // A whole poll answer (without a cursor) holding one event that is not a message.
    malformedEvent: '{"events":[{"event":"message","message":{"id":"half a message"}}]}',
    atPendingPoll: true
  })
)
