import { describe, expect, it, vi } from 'vitest'
import { PART_TYPES } from '../../../src/content/check.js'
import { isConfabError, type ConfabError } from '../../../src/errors/index.js'
import { createHttpTransport, type StreamKind } from '../../../src/transports/http/index.js'
import type { Message, MessageContent, Part, Transport, TransportEvent } from '../../../src/transports/types.js'
import { AGENT_CONTENT, VISITOR_CONTENT } from '../content-fixtures.js'
import { AGENT_KEY, startServer, type TestServer } from '../server/helpers.js'
import { TestWebSocket } from './stream-fixtures.js'

/** A transport on the reference server, connected, with one conversation; closed when the test ends. */
async function visitorOn(server: TestServer, stream: StreamKind = 'sse') {
  const transport = createHttpTransport({ url: server.url, stream: [stream], events: null, random: () => 0, WebSocket: TestWebSocket })
  const session = await transport.connect({})
  const conversation = await transport.createConversation({ mode: 'messaging' })
  return { transport, session, conversation }
}

const agentSend = (server: TestServer, conversationId: string, content: MessageContent) =>
  server.call<Message>('POST', `/v1/agent/conversations/${conversationId}/messages`, {
    token: AGENT_KEY,
    body: { clientId: crypto.randomUUID(), ...content }
  })

const postbacksOf = async (server: TestServer, conversationId: string) =>
  (await server.call('GET', `/v1/agent/conversations/${conversationId}/postbacks`, { token: AGENT_KEY })).body.postbacks

async function failure(promise: Promise<unknown>): Promise<ConfabError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  if (!isConfabError(error)) throw new Error(`expected a ConfabError, got ${String(error)}`)
  return error
}

const partOf = (type: Part['type']) => [...AGENT_CONTENT.parts!, ...VISITOR_CONTENT.parts!].find((part) => part.type === type)!
const VISITOR_TYPES = new Set(VISITOR_CONTENT.parts!.map((part) => part.type))

describe('http transport: rich content against the reference server', () => {
  it('declares every part type of the content model', () => {
    expect(createHttpTransport({ url: 'http://127.0.0.1:1' }).capabilities.content).toEqual(PART_TYPES)
  })

  it.each(PART_TYPES)('carries a %s part both ways unchanged', async (type) => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    const content: MessageContent = { text: `A ${type}`, parts: [partOf(type)] }
    if (VISITOR_TYPES.has(type)) {
      const sent = await transport.send(conversation.id, { clientId: `k-${type}`, ...content } as never)
      expect(sent).toMatchObject(content)
    } else {
      expect((await agentSend(server, conversation.id, content)).status).toBe(201)
    }
    const { messages } = await transport.history(conversation.id)
    expect(messages.map(({ text, parts }) => ({ text, parts }))).toEqual([content])
    transport.close()
  })

  it('sends quick-reply answers, metadata and replyTo as the visitor gave them', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    const sent = await transport.send(conversation.id, { clientId: 'k1', ...VISITOR_CONTENT } as never)
    expect(sent).toMatchObject(VISITOR_CONTENT)
    transport.close()
  })

  it('reads quick replies, buttons, blockComposer and metadata of an agent message from history', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    const stored = (await agentSend(server, conversation.id, AGENT_CONTENT)).body
    expect((await transport.history(conversation.id)).messages).toEqual([stored])
    expect((await transport.getConversation(conversation.id)).lastMessage).toEqual(stored)
    transport.close()
  })

  it('finds an agent message by a card title through the archive search', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    const stored = (await agentSend(server, conversation.id, AGENT_CONTENT)).body
    expect(await transport.searchArchive!('Basic')).toEqual([{ message: stored }])
    transport.close()
  })

  it('rejects content the server refuses with an error that names the rule, not retryable', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    const error = await failure(transport.send(conversation.id, { clientId: 'k1', text: 'hi', metadata: { x: 'y'.repeat(5000) } }))
    expect({ status: error.status, retryable: error.retryable }).toEqual({ status: 413, retryable: false })
    expect(error.message).toContain('"metadata" is larger than 4096 bytes as JSON')
    transport.close()
  })

  it.each<StreamKind>(['sse', 'poll', 'websocket'])('receives rich content over %s events as stored', async (stream) => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server, stream)
    const events: TransportEvent[] = []
    const stop = transport.subscribe((event) => events.push(event))
    await vi.waitFor(() => expect(events.some((e) => e.type === 'status' && e.status === 'online')).toBe(true))
    const stored = (await agentSend(server, conversation.id, AGENT_CONTENT)).body
    await vi.waitFor(() => expect(events.find((e) => e.type === 'message')).toMatchObject({ message: stored }), { timeout: 3000 })
    stop()
    transport.close()
  })
})

describe('http transport: postbacks against the reference server', () => {
  it('delivers a postback, which the agent API lists and history does not show', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    await transport.postback!(conversation.id, { clientId: 'p1', payload: 'HANDOFF', messageId: 'm_1', actionId: 'talk' })
    expect(await postbacksOf(server, conversation.id)).toEqual([
      expect.objectContaining({ clientId: 'p1', payload: 'HANDOFF', messageId: 'm_1', actionId: 'talk', conversationId: conversation.id })
    ])
    expect((await transport.history(conversation.id)).messages).toEqual([])
    transport.close()
  })

  it('stores a postback sent twice with the same clientId once', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    await transport.postback!(conversation.id, { clientId: 'p1', payload: 'A' })
    await transport.postback!(conversation.id, { clientId: 'p1', payload: 'A' })
    expect(await postbacksOf(server, conversation.id)).toHaveLength(1)
    transport.close()
  })

  it('stores a postback once when its first answer was lost and it is sent again', async () => {
    const server = await startServer()
    const { transport, session, conversation } = await visitorOn(server)
    await server.call('POST', `/v1/_faults/visitors/${session.visitorId}`, { token: AGENT_KEY, body: { dropNextPostbacks: 1 } })
    const lost = await failure(transport.postback!(conversation.id, { clientId: 'p1', payload: 'A' }))
    expect({ code: lost.code, retryable: lost.retryable }).toEqual({ code: 'network', retryable: true })
    await transport.postback!(conversation.id, { clientId: 'p1', payload: 'A' })
    expect(await postbacksOf(server, conversation.id)).toHaveLength(1)
    transport.close()
  })

  it('rejects a postback to a conversation that does not exist with not-found', async () => {
    const server = await startServer()
    const { transport } = await visitorOn(server)
    expect((await failure(transport.postback!('c_nope', { clientId: 'p1', payload: 'A' }))).code).toBe('not-found')
    transport.close()
  })

  it('rejects a postback to a closed conversation with 403, not retryable', async () => {
    const server = await startServer()
    const { transport, conversation } = await visitorOn(server)
    await transport.closeConversation!(conversation.id)
    const error = await failure(transport.postback!(conversation.id, { clientId: 'p1', payload: 'A' }))
    expect({ status: error.status, retryable: error.retryable }).toEqual({ status: 403, retryable: false })
    transport.close()
  })
})
