import { describe, expect, it } from 'vitest'
import { verifySignature } from '../../../examples/bot/signature.js'
import { signature } from '../../../examples/server/hook.js'
import { agentSend, visitor } from './helpers.js'
import { BOT_KEY, BOT_SECRET, hookReceiver, serverWithHook } from './hook-helpers.js'

describe('bot hook signatures', () => {
  const body = '{"type":"message","text":"héllo"}'

  it('signs a body as GitHub does: sha256= and the hex HMAC-SHA256 of its UTF-8 bytes', () => {
    // printf '%s' '{"type":"message","text":"héllo"}' | openssl dgst -sha256 -hmac s3cret
    expect(signature('s3cret', body)).toBe('sha256=65b7dbab8421ee493b0b551e52c73d88a3e20705670e72195b85ef15475cd60b')
  })

  it('verifies what it signs, from the string or its bytes', () => {
    expect(verifySignature('s3cret', body, signature('s3cret', body))).toBe(true)
    expect(verifySignature('s3cret', Buffer.from(body), signature('s3cret', body))).toBe(true)
  })

  const sent = signature('s3cret', body)
  it.each<[string, string, string, string | string[] | undefined]>([
    ['a changed body', 's3cret', `${body} `, sent],
    ['another secret', 'other', body, sent],
    ['no header', 's3cret', body, undefined],
    ['a header without sha256=', 's3cret', body, sent.slice('sha256='.length)],
    ['a shortened signature', 's3cret', body, sent.slice(0, -2)],
    ['a signature in upper case', 's3cret', body, `sha256=${sent.slice(7).toUpperCase()}`],
    ['a header given twice', 's3cret', body, [sent, sent]]
  ])('refuses %s', (_, secret, received, header) => {
    expect(verifySignature(secret, received, header)).toBe(false)
  })
})

describe('bot hook deliveries', () => {
  it('posts a visitor message, signed, with its delivery id and type in headers', async () => {
    const hook = await hookReceiver()
    const server = await serverWithHook(hook.url)
    const v = await visitor(server)
    const sent = await v.send('Where is my order?')
    const [started, message] = await hook.until(2)
    expect(started!.body).toMatchObject({ type: 'conversation.started', conversation: { id: v.conversation.id, visitorId: v.visitorId } })
    expect(message!.body).toEqual({
      id: expect.stringMatching(/^d_/),
      type: 'message',
      createdAt: expect.any(Number),
      conversation: expect.objectContaining({ id: v.conversation.id, status: 'open', visitor: { id: v.visitorId } }),
      message: sent.body
    })
    expect(message!.body.conversation).not.toHaveProperty('lastMessage')
    expect(message!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-confab-event': 'message',
      'x-confab-delivery': message!.body.id,
      'x-confab-signature-256': signature(BOT_SECRET, message!.raw)
    })
  })

  it('posts a postback once per clientId, and never an agent or bot message', async () => {
    const hook = await hookReceiver()
    const server = await serverWithHook(hook.url)
    const v = await visitor(server)
    await agentSend(server, v.conversation.id, 'Hello from a person')
    await server.call('POST', `/v1/bot/conversations/${v.conversation.id}/messages`, { token: BOT_KEY, body: { clientId: 'b1', text: 'Hi' } })
    const path = `/v1/conversations/${v.conversation.id}/postbacks`
    for (let i = 0; i < 2; i++) await server.call('POST', path, { token: v.token, body: { clientId: 'p1', payload: 'HANDOFF', actionId: 'talk' } })
    await hook.until(2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(hook.received.map((r) => r.body.type)).toEqual(['conversation.started', 'postback'])
    expect(hook.received[1]!.body.postback).toMatchObject({ clientId: 'p1', payload: 'HANDOFF', actionId: 'talk' })
  })

  it('posts a form response as a message with its part, and a closed conversation once', async () => {
    const hook = await hookReceiver()
    const server = await serverWithHook(hook.url)
    const v = await visitor(server)
    const answers = { type: 'form-response', fields: [{ name: 'order', label: 'Order number', value: 'A-1' }] }
    const path = `/v1/conversations/${v.conversation.id}/messages`
    await server.call('POST', path, { token: v.token, body: { clientId: 'f1', text: 'Order number: A-1', parts: [answers] } })
    for (let i = 0; i < 2; i++) await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    await hook.until(3)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(hook.received.map((r) => r.body.type)).toEqual(['conversation.started', 'message', 'conversation.closed'])
    expect(hook.received[1]!.body.message.parts).toEqual([answers])
    expect(hook.received[2]!.body.conversation.status).toBe('closed')
  })

  it('tries a failed delivery again with the same id and body until it is taken', async () => {
    const hook = await hookReceiver({ statuses: [204, 503, 500] })
    const server = await serverWithHook(hook.url)
    const v = await visitor(server)
    await v.send('hello')
    const [, first, second, third] = await hook.until(4)
    expect([first, second, third].map((r) => r!.body.id)).toEqual([first!.body.id, first!.body.id, first!.body.id])
    expect(new Set([first, second, third].map((r) => r!.raw)).size).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(hook.received).toHaveLength(4)
  })

  it('gives a delivery up after the last retry and reports it', async () => {
    const errors: unknown[] = []
    const hook = await hookReceiver({ statuses: [204, 503, 503, 503, 503] })
    const server = await serverWithHook(hook.url, { onError: (error) => errors.push(error) })
    const v = await visitor(server)
    await v.send('hello')
    await hook.until(4)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(hook.received).toHaveLength(4)
    expect(String(errors[0])).toMatch(/gave up delivery d_\S+ \(message\) to http:\/\/127\.0\.0\.1:\d+\/hook: it answered 503/)
  })

  it('does not try again a delivery the bot refused with 400', async () => {
    const errors: unknown[] = []
    const hook = await hookReceiver({ statuses: [204, 400] })
    const server = await serverWithHook(hook.url, { onError: (error) => errors.push(error) })
    const v = await visitor(server)
    await v.send('hello')
    await hook.until(2)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(hook.received).toHaveLength(2)
    expect(String(errors[0])).toMatch(/it answered 400/)
  })

  it('tries again when the bot is not listening', async () => {
    const errors: unknown[] = []
    const server = await serverWithHook('http://127.0.0.1:9/hook', { onError: (error) => errors.push(error) })
    const v = await visitor(server)
    await v.send('hello')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(String(errors[0])).toMatch(/gave up delivery .* it got no answer/)
  })

  it('answers the visitor while the bot is slow, and delivers a conversation in order', async () => {
    const hook = await hookReceiver({ hold: true })
    const server = await serverWithHook(hook.url)
    const v = await visitor(server)
    const started = Date.now()
    for (const text of ['one', 'two', 'three']) expect((await v.send(text)).status).toBe(201)
    expect(Date.now() - started).toBeLessThan(1000)
    await hook.until(1)
    expect(hook.received).toHaveLength(1)
    for (let i = 0; i < 3; i++) {
      hook.release()
      await hook.until(i + 2)
    }
    expect(hook.received.map((r) => r.body.message?.text ?? r.body.type)).toEqual(['conversation.started', 'one', 'two', 'three'])
    hook.release()
  })

  it('sends nothing when no hook is set', async () => {
    const hook = await hookReceiver()
    const server = await serverWithHook(hook.url, { botWebhook: undefined })
    const v = await visitor(server)
    await v.send('hello')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(hook.received).toEqual([])
  })
})
