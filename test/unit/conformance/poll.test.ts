import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createServer } from '../../../examples/server/app.js'
import { runTransportConformance, type ConformanceHarness } from '../../../src/testing/index.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import type { VisitorSession } from '../../../src/transports/types.js'

const AGENT_KEY = 'conformance-agent'
const dataDir = mkdtempSync(join(tmpdir(), 'confab-conformance-poll-'))
const server = createServer({ dataDir, agentKey: AGENT_KEY, widgetPath: join(dataDir, 'no-widget.js') })
let url = ''

beforeAll(async () => {
  url = (await server.listen(0, '127.0.0.1')).url
})
afterAll(async () => {
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** A call to the agent API (or the fault switch), which must succeed; answers its body. */
async function agent(path: string, body: unknown): Promise<any> {
  const answer = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  if (!answer.ok) throw new Error(`POST ${path} answered ${answer.status}: ${await answer.text()}`)
  return answer.json()
}

/** Aim a fault at one visitor (see "Fault injection" in examples/server/README.md). */
const aim = (session: VisitorSession, faults: Record<string, unknown>) => agent(`/v1/_faults/visitors/${session.visitorId}`, faults)

/**
 * Aim a fault at the visitor's pending poll. Between two polls none is pending (the next one is on
 * its way), so try again for a moment until one was reached.
 */
async function atPendingPoll(session: VisitorSession, faults: Record<string, unknown>): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if ((await aim(session, faults)).streams > 0) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`no pending poll of ${session.visitorId} to aim ${JSON.stringify(faults)} at`)
}

/** A long-poll-only transport against the reference server, with every fault the server can inject. */
const harness: ConformanceHarness = {
  name: 'poll',
  // No online/offline watch in Node, and reconnects without jitter.
  createTransport: () => createHttpTransport({ url, stream: ['poll'], events: null, random: () => 0, timeout: 3000 }),
  agent: {
    reply: (conversationId, text) =>
      agent(`/v1/agent/conversations/${conversationId}/messages`, { clientId: crypto.randomUUID(), text, name: 'Conformance' })
  },
  faults: {
    failNextSends: (session, count, status) => aim(session, { refuseNext: count, status }),
    dropNextResponse: (session) => aim(session, { dropNext: 1 }),
    rateLimitNext: (session, retryAfter) => aim(session, { refuseNext: 1, status: 429, retryAfter }),
    expireSession: (session) => aim(session, { expireSession: true }),
    // A whole poll answer (without a cursor) holding one event that is not a message.
    injectMalformedEvent: (session) =>
      atPendingPoll(session, { sendRaw: '{"events":[{"event":"message","message":{"id":"half a message"}}]}' }),
    killStreams: (session) => atPendingPoll(session, { endStreams: true }),
    forgetEvents: () => agent('/v1/_faults/forget-events', {})
  },
  afterEach: () => agent('/v1/_faults', {})
}

runTransportConformance({ describe, it }, harness)
