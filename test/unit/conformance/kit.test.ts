import { describe, expect, it } from 'vitest'
import {
  createMemoryBackend,
  createMemoryTransport,
  runTransportConformance,
  transportConformanceChecks,
  type ConformanceHarness
} from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'

/** A harness whose transports are the memory transport changed by `mutate`. */
function harnessOf(mutate: (transport: Transport) => Transport = (t) => t): ConformanceHarness {
  const backend = createMemoryBackend()
  return {
    name: 'mutant',
    createTransport: () => mutate(createMemoryTransport({ backend })),
    agent: { reply: async (conversationId, text) => void backend.reply(conversationId, text) },
    timeout: 1500
  }
}

/** Run the one check whose name contains `part`. */
function run(harness: ConformanceHarness, part: string) {
  const found = transportConformanceChecks(harness).filter((check) => check.name.includes(part))
  expect(found).toHaveLength(1)
  return found[0]!.run()
}

describe('the transport conformance kit', () => {
  it('fails a transport that stores a repeated clientId twice', async () => {
    const careless = harnessOf((t) => ({ ...t, send: (id, m) => t.send(id, { ...m, clientId: crypto.randomUUID() }) }))
    await expect(run(careless, 'clientId sent twice, and answers')).rejects.toThrow(/clientId/)
  })

  it('fails a transport that replays events from before the cursor it resumes from', async () => {
    const repetitive = harnessOf((t) => ({ ...t, subscribe: (l, o) => t.subscribe(l, o?.cursor ? { cursor: '0' } : {}) }))
    await expect(run(repetitive, 'resumes from the last event cursor')).rejects.toThrow(/"seen live","missed 1"/)
  })

  it('fails a transport whose before cursors overlap', async () => {
    const overlapping = harnessOf((t) => ({
      ...t,
      history: (id, q = {}) => t.history(id, q.before ? { ...q, before: String(Number(q.before) + 1) } : q)
    }))
    await expect(run(overlapping, 'pages history back')).rejects.toThrow(/texts read page by page/)
  })

  it('fails a transport that declares a capability without its method', async () => {
    const boastful = harnessOf((t) => ({ ...t, capabilities: { ...t.capabilities, typing: true } }))
    await expect(run(boastful, 'declares every capability')).rejects.toThrow('capabilities.typing is true, but the transport has no setTyping()')
  })

  it('fails a transport that rejects a resume key it does not know', async () => {
    const strict = harnessOf((t) => ({
      ...t,
      connect: (input) => (input.resumeKey?.startsWith('conformance-unknown') ? Promise.reject(new Error('no such visitor')) : t.connect(input))
    }))
    await expect(run(strict, 'resume key the backend does not know')).rejects.toThrow(/connect\(\{ resumeKey: .* \}\) rejected: no such visitor/)
  })

  it('fails a transport that never reports online, naming what it waited for', async () => {
    const silent = harnessOf((t) => ({ ...t, subscribe: (l, o) => t.subscribe((e) => e.type !== 'status' && l(e), o) }))
    await expect(run({ ...silent, timeout: 1000 }, "reports status 'online'")).rejects.toThrow(/Waited \d+ ms for a status 'online' event/)
  })

  it('skips a check of a capability the transport does not declare when it runs', async () => {
    const forgetful = harnessOf((t) => ({ ...t, capabilities: { ...t.capabilities, streamResume: false } }))
    expect(await run(forgetful, 'resumes from the last event cursor')).toEqual({
      status: 'skipped',
      reason: 'the transport does not declare capabilities.streamResume'
    })
  })

  it('registers checks with the runner, those needing a missing fault as skipped', () => {
    const registered: string[] = []
    const it = Object.assign((name: string) => void registered.push(`run: ${name}`), {
      skip: (name: string) => void registered.push(`skip: ${name}`)
    })
    runTransportConformance({ describe: (name, body) => (registered.push(name), body()), it }, harnessOf())
    expect(registered[0]).toBe('mutant transport conformance')
    expect(registered).toContain('run: stores one message when the same clientId is sent twice at once')
    expect(registered).toContain(
      'skip: starts the session again when it expired (401), so calls made meanwhile still succeed (skipped: the harness offers no faults.expireSession)'
    )
    expect(registered.length).toBe(transportConformanceChecks(harnessOf()).length + 1)
  })
})
