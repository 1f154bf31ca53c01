import { describe, expect, it } from 'vitest'
import { AGENT_KEY, agentSend, busyVisitor, sleep, startServer, visitor } from './helpers.js'
import { aim, closeCode, closePayload, encodeFrame, OP, rawSocket, wsClient } from './ws-helpers.js'

const isReady = (m: any) => m.type === 'ready'
const text = (m: any) => m.message?.text

describe('GET /v1/ws: handshake and frames (RFC 6455)', () => {
  it('answers the upgrade with 101 and the Sec-WebSocket-Accept of the RFC example', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url, { key: 'dGhlIHNhbXBsZSBub25jZQ==' })
    expect(raw.status).toBe(101)
    expect(raw.head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
  })

  it('refuses another path with 404 and another protocol version with 426', async () => {
    const server = await startServer()
    expect((await rawSocket(server.url, { path: '/v1/elsewhere' })).status).toBe(404)
    const old = await rawSocket(server.url, { version: '8' })
    expect(old.status).toBe(426)
    expect(old.head).toContain('Sec-WebSocket-Version: 13')
  })

  it('answers a ping control frame with a pong carrying the same payload', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    raw.write(encodeFrame(OP.ping, 'are you there'))
    const pong = await raw.frame((f) => f.opcode === OP.pong)
    expect(pong.payload.toString()).toBe('are you there')
  })

  it('joins a fragmented message, with a control frame between its fragments', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const raw = await rawSocket(server.url)
    const auth = JSON.stringify({ type: 'auth', token: v.token, cursor: '' })
    raw.write(encodeFrame(OP.text, auth.slice(0, 10), { fin: false }))
    raw.write(encodeFrame(OP.ping, 'between'))
    raw.write(encodeFrame(OP.continuation, auth.slice(10, 20), { fin: false }))
    raw.write(encodeFrame(OP.continuation, auth.slice(20)))
    await raw.frame((f) => f.opcode === OP.pong)
    const ready = await raw.frame((f) => f.opcode === OP.text)
    expect(JSON.parse(ready.payload.toString())).toEqual({ type: 'ready', cursor: '1' })
  })

  it('reads frames split across TCP packets', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const raw = await rawSocket(server.url)
    const frame = encodeFrame(OP.text, JSON.stringify({ type: 'auth', token: v.token }))
    for (const byte of frame) raw.write(Buffer.from([byte]))
    const ready = await raw.frame((f) => f.opcode === OP.text)
    expect(JSON.parse(ready.payload.toString())).toEqual({ type: 'ready', cursor: '1' })
  })

  it('closes with 1002 when a client frame is not masked', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    raw.write(encodeFrame(OP.text, '{"type":"ping"}', { mask: false }))
    expect(closeCode(await raw.frame((f) => f.opcode === OP.close))).toBe(1002)
    await raw.ended
  })

  it('closes with 1009 on a frame larger than 64 KiB, before it arrived', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    // Only the header is sent: the declared length alone is refused.
    raw.write(encodeFrame(OP.text, '', { length: 70_000 }).subarray(0, 10))
    expect(closeCode(await raw.frame((f) => f.opcode === OP.close))).toBe(1009)
  })

  it('closes with 1009 when the fragments of one message pass 64 KiB', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    const part = 'x'.repeat(40_000)
    raw.write(encodeFrame(OP.text, part, { fin: false }))
    raw.write(encodeFrame(OP.continuation, part, { fin: false }))
    expect(closeCode(await raw.frame((f) => f.opcode === OP.close))).toBe(1009)
  })

  it('closes with 1007 on a text message that is not UTF-8', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    raw.write(encodeFrame(OP.text, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))
    expect(closeCode(await raw.frame((f) => f.opcode === OP.close))).toBe(1007)
  })

  it('closes with 1002 on a continuation without a message in progress', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    raw.write(encodeFrame(OP.continuation, 'orphan'))
    expect(closeCode(await raw.frame((f) => f.opcode === OP.close))).toBe(1002)
  })

  it('fails the connection with 1007 on a close frame whose reason is not UTF-8 (RFC 6455 §8.1)', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    raw.write(encodeFrame(OP.close, Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from([0xff, 0xfe, 0xfd])])))
    const frame = await raw.frame((f) => f.opcode === OP.close)
    expect(closeCode(frame)).toBe(1007)
  })

  it('answers a close frame with the same code, then ends the connection', async () => {
    const server = await startServer()
    const raw = await rawSocket(server.url)
    raw.write(encodeFrame(OP.close, closePayload(1000, 'bye')))
    expect(closeCode(await raw.frame((f) => f.opcode === OP.close))).toBe(1000)
    await raw.ended
  })
})

describe('GET /v1/ws: the event stream', () => {
  it('sends ready after auth, then live events with their name, id and data fields', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    const sent = await agentSend(server, v.conversation.id, 'hello over ws')
    const event = await client.until((m) => text(m) === 'hello over ws')
    expect(event).toEqual({ event: 'message', id: expect.stringMatching(/^\d+$/), message: sent.body })
  })

  it('tells in ready where the stream starts: the newest event id, or the cursor it resumes from', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('one')
    const live = await wsClient(server.url, { token: v.token })
    expect(await live.until(isReady)).toEqual({ type: 'ready', cursor: '2' })
    const resumed = await wsClient(server.url, { token: v.token, cursor: '1' })
    expect(await resumed.until(isReady)).toEqual({ type: 'ready', cursor: '1' })
  })

  it('replays the events after the cursor, in order, before live ones', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await wsClient(server.url, { token: v.token })
    await agentSend(server, v.conversation.id, 'seen')
    const seen = await first.until((m) => text(m) === 'seen')
    first.socket.close()
    await agentSend(server, v.conversation.id, 'missed 1')
    await agentSend(server, v.conversation.id, 'missed 2')
    const again = await wsClient(server.url, { token: v.token, cursor: seen.id })
    await agentSend(server, v.conversation.id, 'live')
    await again.until((m) => text(m) === 'live')
    expect(again.messages.map((m) => m.type ?? text(m))).toEqual(['ready', 'missed 1', 'missed 2', 'live'])
  })

  it('sends reset with the newest id when the cursor was forgotten', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await agentSend(server, v.conversation.id, 'old')
    const { body } = await server.call('POST', '/v1/_faults/forget-events', { token: AGENT_KEY })
    const client = await wsClient(server.url, { token: v.token, cursor: '1' })
    expect(await client.until((m) => m.event === 'reset')).toEqual({ event: 'reset', id: String(body.lastEventId) })
  })

  it('sends typing live without an id', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/typing`, { token: AGENT_KEY, body: { typing: true } })
    expect(await client.until((m) => m.event === 'typing')).toEqual({
      event: 'typing',
      conversationId: v.conversation.id,
      author: { role: 'agent', name: 'Agent' },
      typing: true
    })
  })

  it('answers an application ping with pong', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    client.send({ type: 'ping' })
    await client.until((m) => m.type === 'pong')
  })

  it('closes with 4401 for an unknown token, so the client starts its session again', async () => {
    const server = await startServer()
    const client = await wsClient(server.url, { token: 'not-a-token' })
    expect((await client.closed).code).toBe(4401)
  })

  it('closes with 4400 when the first message is not auth, or the cursor is malformed', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const chatty = await wsClient(server.url)
    chatty.send({ type: 'ping' })
    expect((await chatty.closed).code).toBe(4400)
    const bad = await wsClient(server.url, { token: v.token, cursor: 'yesterday' })
    expect(await bad.closed).toMatchObject({ code: 4400, reason: expect.stringContaining('cursor') })
  })

  it('closes with 4400 and the protocol\'s own reason when the cursor is an object, an array or a boolean', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const cases: [unknown, string][] = [
      [{ toString: 1 }, 'an object'],
      [{ toString: 'x' }, 'an object'],
      [['41'], 'an array'],
      [true, 'a boolean']
    ]
    for (const [cursor, got] of cases) {
      const client = await wsClient(server.url)
      client.send({ type: 'auth', token: v.token, cursor })
      expect({ cursor, ...(await client.closed) }).toEqual({ cursor, code: 4400, reason: `"cursor" must be a decimal number, got ${got}` })
    }
  })

  it('accepts a cursor sent as a whole number, as it does a decimal string', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url)
    client.send({ type: 'auth', token: v.token, cursor: 0 })
    expect(await client.until(isReady)).toEqual({ type: 'ready', cursor: '0' })
  })

  it('delivers a resume whose replay exceeds 1 MiB on one socket, not cutting it as a slow client', async () => {
    // 300 messages of ~4.5 KB: a 1.4 MB replay, written in one tick before the client could read any.
    const { server, someone } = await busyVisitor(300, 4500)
    const client = await wsClient(server.url, { token: someone.token, cursor: '0' })
    const outcome = await Promise.race([
      client.until((m) => m.event === 'message' && m.message.seq === 300, 5000).then(() => 'all replayed'),
      client.closed.then(({ code }) => `closed (${code}) after ${client.messages.filter((m) => m.event === 'message').length} of 300`)
    ])
    expect(outcome).toBe('all replayed')
  }, 30_000)

  it('drops a client that reads nothing while over 1 MiB of live events piles up', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    client.socket.pause()
    // 60 KB a message, up to 30 MB: far past any kernel buffer plus 1 MiB.
    const chunk = JSON.stringify({ event: 'raw', filler: 'x'.repeat(60_000) })
    const reached: number[] = []
    for (let i = 0; i < 500 && reached.at(-1) !== 0; i++) reached.push((await aim(server, v.visitorId, { sendRaw: chunk })).streams)
    expect(reached[0]).toBe(1)
    expect(reached.at(-1)).toBe(0)
  }, 60_000)

  it('stops sending to a socket the client closed', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    client.socket.close(1000)
    expect((await client.closed).code).toBe(1000)
    expect((await agentSend(server, v.conversation.id, 'after close')).status).toBe(201)
  })
})

describe('GET /v1/ws: fault injection', () => {
  it('refuses the upgrade with 503 when fail503 is 1', async () => {
    const server = await startServer({ faults: { fail503: 1 } })
    const raw = await rawSocket(server.url)
    expect(raw.status).toBe(503)
    expect(raw.head).toContain('Retry-After: 1')
  })

  it('closes with 4401 while the session is expired, and accepts the socket once it started again', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await aim(server, v.visitorId, { expireSession: true })
    expect((await (await wsClient(server.url, { token: v.token })).closed).code).toBe(4401)
    await server.call('POST', '/v1/sessions', { body: { resumeKey: v.resumeKey } })
    await (await wsClient(server.url, { token: v.token })).until(isReady)
  })

  it('closes with 4000 + the status of refuseNext', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await aim(server, v.visitorId, { refuseNext: 1, status: 503 })
    expect((await (await wsClient(server.url, { token: v.token })).closed).code).toBe(4503)
    await (await wsClient(server.url, { token: v.token })).until(isReady)
  })

  it('closes the sockets with 1001 on endStreams', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    expect((await aim(server, v.visitorId, { endStreams: true })).streams).toBe(1)
    expect((await client.closed).code).toBe(1001)
  })

  it('writes sendRaw as one text message, unchanged', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    await aim(server, v.visitorId, { sendRaw: '{"event":"message","message":{"id":"half"}}' })
    expect(await client.until((m) => m.event === 'message')).toEqual({ event: 'message', message: { id: 'half' } })
  })

  it('goes silent on silent: true (no events, no pongs, not closed), and ends the socket on silent: false', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    expect((await aim(server, v.visitorId, { silent: true })).streams).toBe(1)
    await agentSend(server, v.conversation.id, 'into the void')
    client.send({ type: 'ping' })
    client.socket.ping()
    let ponged = false
    client.socket.once('pong', () => (ponged = true))
    expect(await client.idle(200)).toEqual([])
    expect(ponged).toBe(false)
    expect(client.socket.readyState).toBe(client.socket.OPEN)

    // A socket opened meanwhile works: only the connections open at the time went silent.
    const fresh = await wsClient(server.url, { token: v.token })
    await fresh.until(isReady)
    fresh.send({ type: 'ping' })
    await fresh.until((m) => m.type === 'pong')

    expect((await aim(server, v.visitorId, { silent: false })).streams).toBe(1)
    expect((await client.closed).code).toBe(1001)
    expect(fresh.socket.readyState).toBe(fresh.socket.OPEN)
  })

  it('ends silent sockets when every fault is turned off', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const client = await wsClient(server.url, { token: v.token })
    await client.until(isReady)
    await aim(server, v.visitorId, { silent: true })
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: {} })
    expect((await client.closed).code).toBe(1001)
  })

  it('refuses a silent that is not a boolean with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status } = await server.call('POST', `/v1/_faults/visitors/${v.visitorId}`, { token: AGENT_KEY, body: { silent: 'yes' } })
    expect(status).toBe(400)
    await sleep(0)
  })
})
