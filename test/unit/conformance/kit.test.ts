import { describe, expect, it } from 'vitest'
import {
  createMemoryBackend,
  createMemoryTransport,
  runTransportConformance,
  transportConformanceChecks,
  type ConformanceHarness
} from '../../../src/testing/index.js'
import { acceptsType } from '../../../src/content/upload-types.js'
import { createError } from '../../../src/errors/index.js'
import type { Message, Part, Transport, UploadLimits, UploadSlot } from '../../../src/transports/types.js'

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

/** The same, with an agent that sends rich content and lists postbacks, and the unknown-part fault. */
function richHarnessOf(mutate: (transport: Transport) => Transport = (t) => t): ConformanceHarness {
  const backend = createMemoryBackend()
  return {
    name: 'rich mutant',
    createTransport: () => mutate(createMemoryTransport({ backend })),
    agent: {
      reply: async (conversationId, text) => void backend.reply(conversationId, text),
      send: async (conversationId, content) => void backend.reply(conversationId, content),
      postbacks: async (conversationId) => backend.postbacks(conversationId)
    },
    faults: {
      dropNextResponse: async () => backend.failNextSends(1, undefined, { stored: true }),
      storeUnknownPart: async (conversationId, content) =>
        void backend.replyUnchecked(conversationId, { ...content, parts: [...(content.parts ?? []), { type: 'x-unknown' }] })
    },
    timeout: 1500
  }
}

/** `message` without the fields `strip` takes off its parts. */
const stripParts = (message: Message, strip: (part: Record<string, unknown>) => Record<string, unknown>): Message =>
  message.parts ? { ...message, parts: message.parts.map((part) => strip({ ...part }) as unknown as Part) } : message

/** A transport that changes every message it hands over, from history and from the stream. */
const rewriting = (t: Transport, change: (message: Message) => Message): Transport => ({
  ...t,
  history: async (id, query) => {
    const page = await t.history(id, query)
    return { ...page, messages: page.messages.map(change) }
  },
  subscribe: (listener, options) => t.subscribe((e) => listener(e.type === 'message' ? { ...e, message: change(e.message) } : e), options)
})

/**
 * The memory transport with slots of its own (nothing is put anywhere): `limits` announced, and
 * refusals as the contract says, unless `change` says otherwise.
 */
function uploading(limits: UploadLimits | undefined, change: { retryable?: boolean; idempotent?: boolean } = {}) {
  const { retryable = false, idempotent = true } = change
  return (t: Transport): Transport => {
    const slots = new Map<string, UploadSlot>()
    let granted = 0
    return {
      ...t,
      capabilities: { ...t.capabilities, uploads: true },
      // The memory transport announces limits of its own: these replace them, or take them away.
      connect: async (input) => {
        const { uploadLimits: _theirs, ...session } = await t.connect(input)
        return limits ? { ...session, uploadLimits: limits } : session
      },
      async requestUpload(_id, request) {
        if (limits && request.size > limits.maxBytes) throw createError('http', 'answered 413', { status: 413, retryable })
        if (limits && !acceptsType(limits.types, request.type)) throw createError('http', 'answered 415', { status: 415, retryable })
        const key = idempotent ? request.clientId : String(++granted)
        const slot = slots.get(key) ?? { putUrl: `https://files.example/put/${key}`, getUrl: `https://files.example/get/${key}` }
        slots.set(key, slot)
        return slot
      },
      putUpload: async () => {}
    }
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
    const boastful = harnessOf(({ setTyping: _setTyping, ...t }) => ({ ...t, capabilities: { ...t.capabilities, typing: true } }))
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

  it('fails a transport that declares a part type the contract does not know', async () => {
    const inventive = harnessOf((t) => ({ ...t, capabilities: { ...t.capabilities, content: [...t.capabilities.content!, 'video' as never] } }))
    await expect(run(inventive, 'declares every capability')).rejects.toThrow('capabilities.content lists "video", which is not a part type')
  })

  it("fails a transport that loses an image's alt text on the way from history, naming the field", async () => {
    const lossy = richHarnessOf((t) => rewriting(t, (m) => stripParts(m, ({ alt: _alt, ...rest }) => rest)))
    await expect(run(lossy, 'that a visitor sends unchanged')).rejects.toThrow(/read from history\(\) changed on the way: parts\[0\]\.alt: expected "Brown leather boots", got undefined/)
    await expect(run(lossy, 'from an agent to the visitor unchanged')).rejects.toThrow(/parts\[0\]\.alt/)
  })

  it('fails a transport that drops metadata from the event stream only', async () => {
    const forgetful = richHarnessOf((t) => ({
      ...t,
      subscribe: (listener, options) =>
        t.subscribe((e) => listener(e.type === 'message' ? { ...e, message: { ...e.message, metadata: undefined } } : e), options)
    }))
    await expect(run(forgetful, "carries an agent's markdown")).rejects.toThrow(/from the event stream changed on the way: metadata: expected \{"source"/)
  })

  it('fails a transport that turns quick replies into buttons', async () => {
    const muddled = richHarnessOf((t) => rewriting(t, ({ replies, ...m }) => (replies ? { ...m, actions: replies } : m)))
    await expect(run(muddled, "carries an agent's markdown")).rejects.toThrow(/read from history\(\) changed on the way: replies: expected an array of 3, got undefined/)
  })

  it('fails a transport that stores a postback again when its clientId comes back', async () => {
    const careless = richHarnessOf((t) => ({ ...t, postback: (id, p) => t.postback!(id, { ...p, clientId: crypto.randomUUID() }) }))
    await expect(run(careless, 'stores a postback once per clientId')).rejects.toThrow(/postbacks: expected 2 items, got 4/)
  })

  it('fails a transport that answers a lost postback as delivered', async () => {
    const hopeful = richHarnessOf((t) => ({ ...t, postback: (id, p) => t.postback!(id, p).catch(() => undefined) }))
    await expect(run(hopeful, 'postback whose answer was lost')).rejects.toThrow(/should have been rejected/)
  })

  it('fails a transport that silently leaves out a part it does not know, naming what the client reported', async () => {
    const silent = richHarnessOf((t) =>
      rewriting(t, (m) => (m.parts ? { ...m, parts: m.parts.filter((p) => (p.type as string) !== 'x-unknown') } : m))
    )
    await expect(run(silent, 'part of an unknown type')).rejects.toThrow(/Waited \d+ ms for an error event naming the unknown part "x-unknown" \(live\); the client reported \[\]/)
  })

  it('fails a transport that drops a message with a part it does not know', async () => {
    const dropping = richHarnessOf((t) => ({
      ...t,
      subscribe: (listener, options) =>
        t.subscribe((e) => (e.type === 'message' && e.message.parts?.some((p) => (p.type as string) === 'x-unknown') ? undefined : listener(e)), options)
    }))
    await expect(run(dropping, 'part of an unknown type')).rejects.toThrow(/Waited \d+ ms for the message "A newer kind of message" \(live\)/)
  })

  it('passes a transport whose slots and refusals follow the contract', async () => {
    const kept = harnessOf(uploading({ maxBytes: 1000, types: ['image/*'] }))
    for (const check of ['announces upload limits', 'same slot again for the same clientId', 'larger than uploadLimits.maxBytes', 'does not accept with status 415']) {
      expect(await run(kept, check), check).toEqual({ status: 'passed' })
    }
  })

  it('fails a transport that declares uploads but announces no upload limits', async () => {
    await expect(run(harnessOf(uploading(undefined)), 'announces upload limits')).rejects.toThrow(/must announce uploadLimits/)
  })

  it('fails a transport that grants another slot for a clientId it was asked before', async () => {
    const forgetful = harnessOf(uploading({ maxBytes: 1000, types: [] }, { idempotent: false }))
    await expect(run(forgetful, 'same slot again for the same clientId')).rejects.toThrow(/getUrl of the slot asked again/)
  })

  it('fails a transport whose refusal of a file too large is retryable', async () => {
    const hopeful = harnessOf(uploading({ maxBytes: 1000, types: [] }, { retryable: true }))
    await expect(run(hopeful, 'larger than uploadLimits.maxBytes')).rejects.toThrow(/must not be retryable/)
  })

  it('skips the upload checks of a transport without uploads, and the refused type when any type is accepted', async () => {
    const without = harnessOf(({ requestUpload: _r, putUpload: _p, ...t }) => ({ ...t, capabilities: { ...t.capabilities, uploads: false } }))
    expect(await run(without, 'grants an upload slot')).toEqual({ status: 'skipped', reason: 'the transport does not declare capabilities.uploads' })
    expect(await run(harnessOf(uploading({ maxBytes: 1000, types: [] })), 'does not accept with status 415')).toEqual({
      status: 'skipped',
      reason: 'the upload limits accept any type ([])'
    })
  })

  it('skips the content checks for what the harness or the transport lacks, saying which', async () => {
    expect(await run(harnessOf(), 'from an agent to the visitor unchanged')).toEqual({ status: 'skipped', reason: 'the harness offers no agent.send' })
    expect(await run(harnessOf(), 'stores a postback once per clientId')).toEqual({ status: 'skipped', reason: 'the harness offers no agent.postbacks' })
    const plain = richHarnessOf(({ postback: _postback, ...t }) => ({ ...t, capabilities: { ...t.capabilities, content: [] } }))
    expect(await run(plain, 'that a visitor sends unchanged')).toEqual({
      status: 'skipped',
      reason: 'the transport declares no part type a visitor sends in capabilities.content'
    })
    expect(await run(plain, 'stores a postback once per clientId')).toEqual({ status: 'skipped', reason: 'the transport has no postback()' })
    expect(transportConformanceChecks(harnessOf()).find((c) => c.name.includes('part of an unknown type'))?.skip).toBe('the harness offers no faults.storeUnknownPart')
  })
})

/** A harness whose agent reads what the backend knows of a visitor, with lost answers of tracked events. */
function visitorHarnessOf(mutate: (transport: Transport) => Transport = (t) => t): ConformanceHarness {
  const backend = createMemoryBackend()
  return {
    name: 'visitor mutant',
    createTransport: () => mutate(createMemoryTransport({ backend })),
    agent: { reply: async (conversationId, text) => void backend.reply(conversationId, text), visitor: async (id) => backend.visitor(id) },
    faults: { dropNextResponse: async () => backend.failNextUpdates(1, undefined, { stored: true }) },
    timeout: 1500
  }
}

describe('the transport conformance kit on visitor attributes and events', () => {
  it('fails a transport that replaces the attributes instead of merging them', async () => {
    const replacing = visitorHarnessOf((t) => ({
      ...t,
      updateVisitor: async (update) => {
        // Deletes every key it was not given, as a PUT would.
        await t.updateVisitor!({ attributes: Object.fromEntries(['plan', 'company', 'seats', 'trial'].map((key) => [key, update.attributes[key] ?? null])) })
        await t.updateVisitor!(update)
      }
    }))
    await expect(run(replacing, 'merges visitor attributes')).rejects.toThrow(/the attributes after two updates: expected \{"plan":"pro","company":"Acme","seats":12\}/)
  })

  it('fails a transport that keeps the query of the page', async () => {
    const leaky = visitorHarnessOf((t) => ({ ...t, updateVisitor: (update) => t.updateVisitor!({ attributes: update.attributes }) }))
    await expect(run(leaky, 'merges visitor attributes')).rejects.toThrow(/must keep the page/)
  })

  it('fails a transport whose refusal of too many attributes is retryable', async () => {
    const hopeful = visitorHarnessOf((t) => ({
      ...t,
      updateVisitor: (update) => t.updateVisitor!(update).catch((error) => Promise.reject(createError('network', error.message)))
    }))
    await expect(run(hopeful, 'refuses visitor attributes beyond the limits')).rejects.toThrow(/an update with 51 attributes must not be retryable/)
  })

  it('fails a transport that stores a tracked event again when its clientId comes back', async () => {
    const careless = visitorHarnessOf((t) => ({ ...t, trackEvent: (event) => t.trackEvent!({ ...event, clientId: crypto.randomUUID() }) }))
    await expect(run(careless, 'stores a tracked event once per clientId')).rejects.toThrow(/the events the backend kept \(each sent twice\)/)
  })

  it('fails a transport that answers a lost tracked event as delivered', async () => {
    const hopeful = visitorHarnessOf((t) => ({ ...t, trackEvent: (event) => t.trackEvent!(event).catch(() => undefined) }))
    await expect(run(hopeful, 'tracked event whose answer was lost')).rejects.toThrow(/should have been rejected/)
  })

  it('skips the visitor checks of a transport without them, and the read-backs without agent.visitor', async () => {
    const without = visitorHarnessOf(({ updateVisitor: _u, trackEvent: _t, ...t }) => t)
    expect(await run(without, 'merges visitor attributes')).toEqual({ status: 'skipped', reason: 'the transport has no updateVisitor()' })
    expect(await run(without, 'refuses a tracked event')).toEqual({ status: 'skipped', reason: 'the transport has no trackEvent()' })
    expect(await run(harnessOf(), 'stores a tracked event once per clientId')).toEqual({ status: 'skipped', reason: 'the harness offers no agent.visitor' })
    expect(await run(harnessOf(), 'refuses visitor attributes beyond the limits')).toEqual({ status: 'passed' })
  })
})
