import { describe, expect, it } from 'vitest'
import { createMemoryBackend, createMemoryTransport, transportConformanceChecks, type ConformanceHarness } from '../../../src/testing/index.js'
import type { Transport, TransportEvent } from '../../../src/transports/types.js'

/** A harness whose agent types and sees the visitor type, over the memory transport changed by `mutate`. */
function harnessOf(mutate: (transport: Transport) => Transport = (t) => t, agent: Partial<ConformanceHarness['agent']> = {}): ConformanceHarness {
  const backend = createMemoryBackend()
  return {
    name: 'typing mutant',
    createTransport: () => mutate(createMemoryTransport({ backend })),
    agent: {
      reply: async (conversationId, text) => void backend.reply(conversationId, text),
      typing: async (conversationId, on) => backend.typing(conversationId, on),
      sawTyping: async (conversationId) => backend.visitorTyping(conversationId),
      ...agent
    },
    timeout: 1500
  }
}

/** Run the one check whose name contains `part`. */
function run(harness: ConformanceHarness, part: string) {
  const found = transportConformanceChecks(harness).filter((check) => check.name.includes(part))
  expect(found).toHaveLength(1)
  return found[0]!.run()
}

const TOLD = 'tells the backend with setTyping()'
const DELIVERS = "delivers the agent's typing"

describe('the transport conformance kit on typing', () => {
  it('passes a transport whose typing goes both ways', async () => {
    expect(await run(harnessOf(), TOLD)).toEqual({ status: 'passed' })
    expect(await run(harnessOf(), DELIVERS)).toEqual({ status: 'passed' })
  })

  it('fails a transport whose setTyping() resolves but never reaches the backend', async () => {
    const idle = harnessOf((t) => ({ ...t, setTyping: async () => {} }))
    await expect(run(idle, TOLD)).rejects.toThrow("Waited 1000 ms for the agents' side to see the visitor typing; agent.sawTyping() answered false")
  })

  it('fails a transport whose setTyping() rejects, saying with what', async () => {
    const broken = harnessOf((t) => ({ ...t, setTyping: () => Promise.reject(new Error('answered 500')) }))
    await expect(run(broken, TOLD)).rejects.toThrow(/setTyping\(".*", true\) rejected: answered 500/)
  })

  it("fails a transport that tells the visitor of its own typing", async () => {
    const echoing = harnessOf((t) => {
      const listeners = new Set<(event: TransportEvent) => void>()
      return {
        ...t,
        subscribe(listener, options) {
          listeners.add(listener)
          return t.subscribe(listener, options)
        },
        async setTyping(id, typing) {
          await t.setTyping!(id, typing)
          for (const listener of listeners) listener({ type: 'typing', conversationId: id, author: { role: 'visitor' }, typing })
        }
      }
    })
    await expect(run(echoing, TOLD)).rejects.toThrow("typing events of the visitor's own typing on its stream")
  })

  it('fails a transport that never delivers the agent stopping', async () => {
    const sticky = harnessOf((t) => ({ ...t, subscribe: (l, o) => t.subscribe((e) => (e.type !== 'typing' || e.typing) && l(e), o) }))
    await expect(run(sticky, DELIVERS)).rejects.toThrow(/Waited \d+ ms for a typing event \{ conversationId: ".*", typing: false \}/)
  })

  it('sees only that setTyping() resolves without agent.sawTyping, and skips the events without agent.typing', async () => {
    const blind = harnessOf((t) => ({ ...t, setTyping: async () => {} }), { sawTyping: undefined, typing: undefined })
    expect(await run(blind, TOLD)).toEqual({ status: 'passed' })
    expect(await run(blind, DELIVERS)).toEqual({ status: 'skipped', reason: 'the harness offers no agent.typing' })
  })

  it('skips both checks for a transport that does not declare typing', async () => {
    const mute = harnessOf(({ setTyping: _setTyping, ...t }) => ({ ...t, capabilities: { ...t.capabilities, typing: false } }))
    expect(await run(mute, TOLD)).toEqual({ status: 'skipped', reason: 'the transport does not declare capabilities.typing' })
    expect(await run(mute, DELIVERS)).toEqual({ status: 'skipped', reason: 'the transport does not declare capabilities.typing' })
  })
})
