import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createServer } from '../../../examples/server/app.js'
import type { ConformanceHarness } from '../../../src/testing/index.js'
import type { OutgoingPostback, Transport, VisitorSession } from '../../../src/transports/types.js'
import { openEvents, type EventReader } from '../server/helpers.js'

const AGENT_KEY = 'conformance-agent'

/** What sets one transport apart in {@link referenceServerHarness}. */
export interface ReferenceTransport {
  name: string
  /** The transport under test, talking to the reference server at `url`. */
  createTransport(url: string): Transport
  /** What the server writes to the visitor's stream as is: one event that is not a message, framed as the stream frames events. */
  malformedEvent: string
  /**
   * Long polling: faults on the stream reach only a poll that is pending. Between two polls none
   * is (the next one is on its way), so they are aimed again for a moment until one was reached.
   */
  atPendingPoll?: boolean
}

/**
 * The conformance harness of `transport` against the reference server (examples/server), with every
 * fault the server can inject. The server starts before the file's tests, in a fresh data folder,
 * and is removed after them.
 *
 * @example
 * runTransportConformance({ describe, it }, referenceServerHarness({ name: 'http', createTransport: (url) => createHttpTransport({ url }), malformedEvent: '…' }))
 */
export function referenceServerHarness(transport: ReferenceTransport): ConformanceHarness {
  const dataDir = mkdtempSync(join(tmpdir(), `confab-conformance-${transport.name}-`))
  const server = createServer({ dataDir, agentKey: AGENT_KEY, widgetPath: join(dataDir, 'no-widget.js') })
  let url = ''
  /** The agents' event stream, where the visitor's typing shows. */
  let agents: EventReader
  /** Whether the agents were last told the visitor types, by conversation. */
  const typing = new Map<string, boolean>()

  beforeAll(async () => {
    url = (await server.listen(0, '127.0.0.1')).url
    agents = await openEvents(url, '/v1/agent/events', { token: AGENT_KEY })
  })
  afterAll(async () => {
    agents.close()
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
    return answer.status === 204 ? undefined : answer.json()
  }

  async function read(path: string): Promise<any> {
    const answer = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${AGENT_KEY}` } })
    if (!answer.ok) throw new Error(`GET ${path} answered ${answer.status}: ${await answer.text()}`)
    return answer.json()
  }

  /** Aim a fault at one visitor (see "Fault injection" in examples/server/README.md). */
  const aim = (session: VisitorSession, faults: Record<string, unknown>) => agent(`/v1/_faults/visitors/${session.visitorId}`, faults)

  /** Aim a fault at the visitor's pending poll, trying again until one was reached. */
  async function atPendingPoll(session: VisitorSession, faults: Record<string, unknown>): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      if ((await aim(session, faults)).streams > 0) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`no pending poll of ${session.visitorId} to aim ${JSON.stringify(faults)} at`)
  }

  const atStream = transport.atPendingPoll ? atPendingPoll : aim
  return {
    name: transport.name,
    createTransport: () => transport.createTransport(url),
    agent: {
      reply: (conversationId, text) =>
        agent(`/v1/agent/conversations/${conversationId}/messages`, { clientId: crypto.randomUUID(), text, name: 'Conformance' }),
      send: (conversationId, content) =>
        agent(`/v1/agent/conversations/${conversationId}/messages`, { ...content, clientId: crypto.randomUUID(), name: 'Conformance' }),
      async postbacks(conversationId) {
        const { postbacks } = await read(`/v1/agent/conversations/${conversationId}/postbacks`)
        return postbacks.map(({ clientId, payload, messageId, actionId }: OutgoingPostback) => ({
          clientId,
          payload,
          ...(messageId === undefined ? {} : { messageId }),
          ...(actionId === undefined ? {} : { actionId })
        }))
      },
      visitor: (visitorId) => read(`/v1/agent/visitors/${visitorId}`),
      typing: (conversationId, on) => agent(`/v1/agent/conversations/${conversationId}/typing`, { typing: on }),
      async sawTyping(conversationId) {
        for (const { event, data } of await agents.idle(0)) if (event === 'typing' && data.author.role === 'visitor') typing.set(data.conversationId, data.typing)
        return typing.get(conversationId) ?? false
      }
    },
    faults: {
      failNextSends: (session, count, status) => aim(session, { refuseNext: count, status }),
      dropNextResponse: (session) => aim(session, { dropNext: 1 }),
      rateLimitNext: (session, retryAfter) => aim(session, { refuseNext: 1, status: 429, retryAfter }),
      expireSession: (session) => aim(session, { expireSession: true }),
      injectMalformedEvent: (session) => atStream(session, { sendRaw: transport.malformedEvent }),
      killStreams: (session) => atStream(session, { endStreams: true }),
      forgetEvents: () => agent('/v1/_faults/forget-events', {}),
      expireUploads: (session) => aim(session, { expireUploads: true }),
      storeUnknownPart: (conversationId, content) =>
        agent(`/v1/_faults/conversations/${conversationId}/unchecked-message`, {
          ...content,
          parts: [...(content.parts ?? []), { type: 'x-unknown' }]
        })
    },
    afterEach: () => agent('/v1/_faults', {})
  }
}
