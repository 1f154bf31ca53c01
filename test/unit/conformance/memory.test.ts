import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createError, isConfabError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport, runTransportConformance, type ConformanceHarness } from '../../../src/testing/index.js'

/** Serves the files the backend stores at their `getUrl`, as a backend's file host does. */
const files = createServer((request, response) => {
  const file = backend.upload(`${origin}${request.url}`)
  if (!file?.blob) return void response.writeHead(404).end()
  response.writeHead(200, { 'content-type': file.type })
  void file.blob.arrayBuffer().then((bytes) => response.end(Buffer.from(bytes)))
})
let origin = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())))

const backend = createMemoryBackend({ fileUrl: ({ id, name }) => `${origin}/files/${id}/${encodeURIComponent(name)}` })
/** Faults of the upload checks. */
const uploadFaults = { expireUploads: async () => backend.expireSlots() }

/**
 * The memory adapter on one shared backend. It has no wire and no session tokens, so the checks of
 * expired sessions, malformed events and cut streams do not apply and are reported as skipped.
 */
const harness: ConformanceHarness = {
  name: 'memory',
  createTransport: () => createMemoryTransport({ backend }),
  agent: {
    reply: async (conversationId, text) => void backend.reply(conversationId, text),
    send: async (conversationId, content) => void backend.reply(conversationId, content),
    postbacks: async (conversationId) => backend.postbacks(conversationId),
    visitor: async (visitorId) => backend.visitor(visitorId),
    typing: async (conversationId, on) => backend.typing(conversationId, on),
    sawTyping: async (conversationId) => backend.visitorTyping(conversationId)
  },
  faults: {
    failNextSends: async (_session, count, status) =>
      backend.failNextSends(count, createError('http', `send answered ${status}`, { status, retryable: status >= 500 })),
    dropNextResponse: async () => {
      backend.failNextSends(1, undefined, { stored: true })
      backend.failNextUpdates(1, undefined, { stored: true })
    },
    rateLimitNext: async (_session, seconds) =>
      backend.failNextSends(1, createError('rate-limited', 'send answered 429', { status: 429, retryAfter: seconds * 1000 })),
    forgetEvents: async () => backend.truncateEvents(0),
    storeUnknownPart: async (conversationId, content) =>
      void backend.replyUnchecked(conversationId, { ...content, parts: [...(content.parts ?? []), { type: 'x-unknown' }] }),
    ...uploadFaults
  },
  afterEach: () => {
    backend.failNextSends(0)
    backend.failNextUpdates(0)
  }
}

runTransportConformance({ describe, it }, harness)

describe('memory backend fault hooks', () => {
  it('stores a message whose answer it then fails, when told the failure comes after storing', async () => {
    const transport = createMemoryTransport({ backend: createMemoryBackend() })
    await transport.connect({})
    const { id } = await transport.createConversation({ mode: 'messaging' })
    transport.backend.failNextSends(1, undefined, { stored: true })
    const error = await transport.send(id, { clientId: 'lost', text: 'stored anyway' }).catch((caught: unknown) => caught)
    expect(isConfabError(error) && error.code).toBe('network')
    expect(transport.backend.messages(id).map((m) => m.clientId)).toEqual(['lost'])
    const retried = await transport.send(id, { clientId: 'lost', text: 'stored anyway' })
    expect(retried.id).toBe(transport.backend.messages(id)[0]!.id)
  })

  it('stores nothing for a failure before storing, as before', async () => {
    const transport = createMemoryTransport({ backend: createMemoryBackend() })
    await transport.connect({})
    const { id } = await transport.createConversation({ mode: 'messaging' })
    transport.backend.failNextSends(1)
    await expect(transport.send(id, { clientId: 'refused', text: 'not stored' })).rejects.toMatchObject({ code: 'network' })
    expect(transport.backend.messages(id)).toEqual([])
  })

  it('ends its streams on close(), so none comes back on the next connect()', async () => {
    const transport = createMemoryTransport({ backend: createMemoryBackend() })
    const { resumeKey } = await transport.connect({})
    const { id } = await transport.createConversation({ mode: 'messaging' })
    const events: string[] = []
    transport.subscribe((event) => events.push(event.type === 'status' ? event.status : event.type))
    await Promise.resolve()
    transport.close()
    await transport.connect({ resumeKey })
    transport.backend.reply(id, 'after the new connect')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(events).toEqual(['connecting', 'online', 'closed'])
  })
})
