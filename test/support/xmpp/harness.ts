import { afterAll, afterEach, beforeAll } from 'vitest'
import type { ConformanceHarness } from '../../../src/testing/index.js'
import type { Part, Transport } from '../../../src/transports/types.js'
import { createXmppTransport, type XmppLogin, type XmppTransportOptions } from '../../../src/transports/xmpp/index.js'
import { createXmppAgent, type XmppAgent } from './agent.js'
import { record } from './events.js'
import { nodeGlobals } from './node.js'
import { startXmppProxy, type XmppProxy } from './proxy.js'
import { startEjabberd, startProsody, type XmppServer } from './servers.js'

/** A real XMPP server for one test file, with a relay in front of it and an agent account. */
export interface XmppEnv {
  server: XmppServer
  proxy: XmppProxy
  agent: XmppAgent
  /** Options for a transport that talks to the server through the relay. */
  options(extra?: Partial<XmppTransportOptions>): XmppTransportOptions
}

/**
 * Start `kind` before the file's tests (with a relay and an agent) and stop it, by PID, after them.
 * Read the returned object's fields inside tests only.
 */
export function useXmppServer(kind: 'prosody' | 'ejabberd'): XmppEnv {
  const env = {} as XmppEnv
  beforeAll(async () => {
    env.server = kind === 'prosody' ? await startProsody() : await startEjabberd()
    env.proxy = await startXmppProxy(env.server.websocketUrl)
    env.agent = await createXmppAgent(env.server)
    env.options = (extra = {}) => ({
      url: env.proxy.url,
      domain: env.server.domain,
      guestDomain: env.server.guestDomain,
      mucService: env.server.mucService,
      agents: [env.agent.jid],
      ...nodeGlobals,
      // No online/offline watch in Node; quick reconnects, so a cut heals within a check.
      events: null,
      reconnect: { base: 50, cap: 500 },
      timeout: 3000,
      ...extra
    })
  }, 60_000)
  afterAll(async () => {
    env.agent?.close()
    await env.proxy?.close()
    await env.server?.stop()
  }, 30_000)
  return env
}

/**
 * The conformance harness for the XMPP transport on `env`: the agent answers from its own XMPP
 * account (rich content as a bot that knows Confab writes it, postbacks read from the room's
 * archive), and the relay provides the faults that exist on a real network. Faults that only an
 * HTTP-like backend has (503 and 429 answers, a bounded event log) are not offered.
 */
export function xmppHarness(env: XmppEnv, name: string, login: XmppLogin): ConformanceHarness {
  return {
    name,
    createTransport: () => createXmppTransport(env.options({ login })),
    agent: {
      reply: (conversationId, text) => env.agent.reply(conversationId, text),
      send: (conversationId, content) => env.agent.send(conversationId, content),
      postbacks: (conversationId) => env.agent.postbacks(conversationId),
      typing: (conversationId, on) => env.agent.typing(conversationId, on),
      sawTyping: async (conversationId) => env.agent.states.filter((s) => s.room === conversationId).at(-1)?.state === 'composing'
    },
    faults: {
      // A bot of a newer Confab version: a part type this one does not know, in the Confab element.
      storeUnknownPart: (conversationId, content) =>
        env.agent.send(conversationId, { ...content, parts: [...(content.parts ?? []), { type: 'x-unknown' } as unknown as Part] }),
      dropNextResponse: (session) => env.proxy.loseNextAnswer(session),
      // An XMPP session lives as long as its stream: losing the stream is how it expires.
      expireSession: (session) => env.proxy.cut(session),
      injectMalformedEvent: (session) => env.proxy.injectMalformed(session),
      killStreams: (session) => env.proxy.cut(session)
    }
  }
}

/**
 * Transports on `env` for the tests of a file, each closed after the test that made it, and a
 * visitor in a new conversation (with the events it receives from then on).
 */
export function useVisitors(env: XmppEnv) {
  const open: Transport[] = []
  afterEach(() => {
    for (const transport of open.splice(0)) transport.close()
  })
  const transport = (extra: Partial<XmppTransportOptions> = {}) => {
    const made = createXmppTransport(env.options(extra))
    open.push(made)
    return made
  }
  async function visitorInRoom() {
    const visitor = transport()
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    return { visitor, session, id, seen: record(visitor) }
  }
  return { transport, visitorInRoom }
}
