import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import { createHttpTransport, type HttpTransportOptions } from '../../../src/transports/http/index.js'
import { webSocketKind } from '../../../src/transports/http/ws-stream.js'
import type { TransportEvent } from '../../../src/transports/types.js'
import { AGENT_KEY, startServer, type TestServer } from '../server/helpers.js'
import { message } from './http-fixtures.js'
import { openScripted, scriptedSocketServer, settle, TestWebSocket } from './stream-fixtures.js'

/** A WebSocket stream against `url`, with tokens t1, t2 … (a refresh moves to the next). */
function webSocketStream(url: string, options: Parameters<typeof openScripted>[1] = {}) {
  let token = 1
  const refresh = vi.fn(async () => {
    token++
  })
  const kind = webSocketKind(url, TestWebSocket, async () => `t${token}`, refresh)
  return { ...openScripted([kind], options), refresh }
}

/** Aim `endStreams` at one visitor of `server`, retrying until a held connection was reached. */
async function endStreams(server: TestServer, visitorId: string) {
  for (let tries = 0; tries < 200; tries++) {
    const answer = await server.call('POST', `/v1/_faults/visitors/${visitorId}`, { token: AGENT_KEY, body: { endStreams: true } })
    if (answer.body.streams > 0) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('no open event connection to end')
}

/** An HTTP transport against the reference server, closed when the test ends. */
function liveTransport(server: TestServer, options: Partial<HttpTransportOptions>) {
  const transport = createHttpTransport({ url: server.url, events: null, WebSocket: TestWebSocket, ...options })
  onTestFinished(() => transport.close())
  return transport
}

const ready = { type: 'ready' }
const frame = (event: string, data: object, id?: string) => ({ event, ...(id === undefined ? {} : { id }), ...data })

describe('WebSocket stream', () => {
  it('authenticates in its first message, not in the URL, and reports online on ready', async () => {
    const server = await scriptedSocketServer()
    const { seen } = webSocketStream(server.url, { cursor: '41' })
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    expect(server.connections[0]!.url).toBe('/v1/ws')
    expect(server.connections[0]!.auth).toEqual({ type: 'auth', token: 't1', cursor: '41' })
  })

  it('delivers events with their id as the cursor', async () => {
    const server = await scriptedSocketServer((conn) => {
      conn.send(ready)
      conn.send(frame('message', { message: message() }, '42'))
      conn.send(frame('typing', { conversationId: 'c1', author: { role: 'agent' }, typing: true }))
    })
    const { seen } = webSocketStream(server.url)
    await vi.waitFor(() => expect(seen.events.filter((e) => e.type !== 'status')).toHaveLength(2))
    expect(seen.events.filter((e) => e.type !== 'status')).toEqual([
      { type: 'message', message: message(), cursor: '42' },
      { type: 'typing', conversationId: 'c1', author: { role: 'agent' }, typing: true }
    ])
  })

  it('reconnects after the server closes, resuming from the last event id', async () => {
    const server = await scriptedSocketServer((conn, index) => {
      conn.send(ready)
      if (index > 0) return
      conn.send(frame('message', { message: message() }, '42'))
      conn.send(frame('typing', { conversationId: 'c1', author: { role: 'agent' }, typing: false }))
      conn.socket.close(1001)
    })
    const { seen, clock } = webSocketStream(server.url, { cursor: '41' })
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting']))
    clock.advance(0)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting', 'online']))
    expect(server.connections.map((conn) => conn.auth.cursor)).toEqual(['41', '42'])
    expect(seen.of('status')[2]?.error).toMatchObject({ code: 'network', message: 'WebSocket closed (1001)' })
  })

  it('resumes from the cursor of ready when no event came before the drop', async () => {
    const server = await scriptedSocketServer((conn, index) => {
      conn.send({ type: 'ready', cursor: index === 0 ? '57' : '58' })
      if (index === 0) conn.socket.close(1001)
    })
    const { seen, clock } = webSocketStream(server.url)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting']))
    clock.advance(0)
    await vi.waitFor(() => expect(server.connections).toHaveLength(2))
    await vi.waitFor(() => expect(server.connections[1]!.auth).toBeDefined())
    expect(server.connections.map((conn) => conn.auth.cursor)).toEqual(['', '57'])
  })

  it('drops a malformed frame, reports it as malformed-event and goes on', async () => {
    const server = await scriptedSocketServer((conn) => {
      conn.send(ready)
      conn.send('{not json')
      conn.send(frame('message', { message: { id: 'half a message' } }))
      conn.send(frame('poll', { question: '?' }, '7'))
      conn.send(frame('message', { message: message() }, '8'))
    })
    const { seen } = webSocketStream(server.url)
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.of('error').map((e) => (e.error as ConfabError).code)).toEqual(['malformed-event', 'malformed-event', 'malformed-event'])
    expect((seen.of('error')[0]!.error as ConfabError).data).toBe('{not json')
    expect(seen.of('message')[0]!.cursor).toBe('8')
    expect(seen.statuses()).toEqual(['connecting', 'online'])
  })

  it('emits reset when the server no longer knows the cursor', async () => {
    const server = await scriptedSocketServer((conn) => {
      conn.send(ready)
      conn.send(frame('reset', {}, '90'))
    })
    const { seen } = webSocketStream(server.url, { cursor: '3' })
    await vi.waitFor(() => expect(seen.of('reset')).toEqual([{ type: 'reset', cursor: '90' }]))
  })

  it('pings after heartbeatMs without a frame and stays open while pongs come back', async () => {
    const server = await scriptedSocketServer((conn) => {
      conn.send(ready)
      conn.socket.on('message', () => conn.send({ type: 'pong' }))
    })
    const { seen, clock } = webSocketStream(server.url, { heartbeat: 2000 })
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    for (let round = 1; round <= 3; round++) {
      clock.advance(2000)
      await vi.waitFor(() => expect(server.connections[0]!.received).toHaveLength(round))
      await settle()
    }
    expect(server.connections[0]!.received).toEqual([{ type: 'ping' }, { type: 'ping' }, { type: 'ping' }])
    clock.advance(9000)
    await settle()
    expect(seen.statuses()).toEqual(['connecting', 'online'])
    expect(server.connections).toHaveLength(1)
  })

  it('takes a socket that goes silent for dead within heartbeat + 10 s, then reconnects from its cursor', async () => {
    // The server never answers pings: a half-open socket, as after a NAT forgot the connection.
    const server = await scriptedSocketServer((conn, index) => {
      conn.send(ready)
      if (index === 0) conn.send(frame('message', { message: message() }, '5'))
    })
    const { seen, clock } = webSocketStream(server.url, { heartbeat: 25_000 })
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    clock.advance(24_999)
    await settle()
    expect(server.connections[0]!.received).toEqual([])
    clock.advance(1)
    await vi.waitFor(() => expect(server.connections[0]!.received).toEqual([{ type: 'ping' }]))
    clock.advance(9_999)
    await settle()
    expect(seen.statuses()).toEqual(['connecting', 'online'])
    clock.advance(1)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online', 'reconnecting']))
    expect(seen.of('status')[2]?.error).toMatchObject({ code: 'timeout', message: 'Event stream went silent' })
    expect(clock.now()).toBe(35_000)
    clock.advance(0)
    await vi.waitFor(() => expect(server.connections).toHaveLength(2))
    expect(server.connections[1]!.auth.cursor).toBe('5')
    await vi.waitFor(() => expect(seen.statuses().at(-1)).toBe('online'))
  })

  it('also takes a socket that never gets ready for dead', async () => {
    const server = await scriptedSocketServer(() => {})
    const { seen, clock } = webSocketStream(server.url, { heartbeat: 1000 })
    await vi.waitFor(() => expect(server.connections[0]?.auth).toBeDefined())
    clock.advance(11_000)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting']))
    expect(seen.of('status')[1]?.error).toMatchObject({ code: 'timeout' })
  })

  it('starts the session again when the server closes with 4401, and reconnects with the new token at once', async () => {
    const server = await scriptedSocketServer((conn) => {
      if (conn.auth.token === 't1') conn.socket.close(4401, 'expired')
      else conn.send(ready)
    })
    const { seen, refresh } = webSocketStream(server.url)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    expect(refresh).toHaveBeenCalledWith('t1')
    expect(server.connections.map((conn) => conn.auth.token)).toEqual(['t1', 't2'])
  })

  it('drops a cursor the server refuses (4400) and emits reset', async () => {
    const server = await scriptedSocketServer((conn) => {
      if (conn.auth.cursor === 'garbage') conn.socket.close(4400, 'bad cursor')
      else conn.send(ready)
    })
    const { seen, clock } = webSocketStream(server.url, { cursor: 'garbage' })
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting']))
    expect(seen.of('status')[1]?.error).toMatchObject({ status: 400 })
    clock.advance(0)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online']))
    expect(seen.of('reset')).toEqual([{ type: 'reset' }])
    expect(server.connections.map((conn) => conn.auth.cursor)).toEqual(['garbage', ''])
  })

  it('closes the socket when stopped and emits closed', async () => {
    const server = await scriptedSocketServer()
    const { seen, stop, clock } = webSocketStream(server.url)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'online']))
    const closed = new Promise((resolve) => server.connections[0]!.socket.once('close', resolve))
    stop()
    await closed
    expect(seen.statuses()).toEqual(['connecting', 'online', 'closed'])
    expect(clock.pending()).toEqual([])
  })
})

describe('WebSocket stream against the reference server', () => {
  it('gets an event published while it reconnected, though no event came before the drop', async () => {
    const server = await startServer()
    const transport = liveTransport(server, { stream: ['websocket'], heartbeatMs: 25_000, random: () => 0.999 })
    const session = await transport.connect({})
    const events: TransportEvent[] = []
    transport.subscribe((event) => events.push(event))
    await vi.waitFor(() => expect(events.some((e) => e.type === 'status' && e.status === 'online')).toBe(true))
    await endStreams(server, session.visitorId)
    const created = await transport.createConversation({ mode: 'messaging' })
    // The stream is back once a later message arrives; the event of the gap must have come before.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await transport.send(created.id, { clientId: 'after-gap', text: 'after the gap' })
    await vi.waitFor(() => expect(events.some((e) => e.type === 'message' && e.message.clientId === 'after-gap')).toBe(true), { timeout: 3000 })
    expect(events.some((e) => e.type === 'conversation' && e.conversation.id === created.id)).toBe(true)
  })
})
