import { describe, expect, it } from 'vitest'
import { INVISIBLE_ONLY, VISIBLE_WITH_INVISIBLES } from '../text-fixtures.js'
import { AGENT_KEY, startServer, visitor, type Message } from './helpers.js'

const seqs = (messages: Message[]) => messages.map((m) => m.seq)

describe('sending messages', () => {
  it('stores the message as the visitor wrote it', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await v.send('Hello there', 'k1')
    expect(status).toBe(201)
    expect(body).toEqual({
      id: expect.stringMatching(/^m_/),
      clientId: 'k1',
      conversationId: v.conversation.id,
      seq: 1,
      author: { role: 'visitor', id: v.visitorId },
      text: 'Hello there',
      createdAt: expect.any(Number)
    })
  })

  it('stores a clientId once: 201 first, then 200 with the same message', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await v.send('Hello', 'same')
    const again = await v.send('Hello (edited)', 'same')
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages).toHaveLength(1)
  })

  it('numbers messages 1, 2, 3 … per conversation', async () => {
    const server = await startServer()
    const a = await visitor(server)
    const b = await visitor(server)
    const sent = []
    for (let i = 0; i < 3; i++) sent.push((await a.send(`a${i}`)).body, (await b.send(`b${i}`)).body)
    expect(sent.filter((m) => m.conversationId === a.conversation.id).map((m) => m.seq)).toEqual([1, 2, 3])
    expect(sent.filter((m) => m.conversationId === b.conversation.id).map((m) => m.seq)).toEqual([1, 2, 3])
  })

  it('keeps seq gap-free when many sends race', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await Promise.all(Array.from({ length: 20 }, (_, i) => v.send(`m${i}`)))
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages?limit=100`, { token: v.token })
    expect(seqs(body.messages)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  it('refuses a blank text with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await v.send('   ')
    expect(status).toBe(400)
    expect(body.error.code).toBe('bad-request')
  })

  it('refuses text of invisible characters only with 400, as blank', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (const text of INVISIBLE_ONLY) {
      const { status, body } = await v.send(text)
      expect({ text, status, code: body.error.code, message: body.error.message }).toEqual({
        text,
        status: 400,
        code: 'bad-request',
        message: '"text" is blank'
      })
    }
  })

  it('stores visible text that holds joiners, variation selectors and soft hyphens as written', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (const text of VISIBLE_WITH_INVISIBLES) {
      const { status, body } = await v.send(text)
      expect({ status, text: body.text }).toEqual({ status: 201, text })
    }
  })

  it('refuses a text over 5,000 characters with 413', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await v.send('x'.repeat(5000))).status).toBe(201)
    expect((await v.send('x'.repeat(5001))).status).toBe(413)
  })

  it('refuses a new message to a closed conversation with 403 but still answers a retry', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await v.send('before closing', 'early')
    await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/close`, { token: AGENT_KEY })
    const late = await v.send('too late')
    expect(late.status).toBe(403)
    expect(late.body.error.code).toBe('conversation-closed')
    expect((await v.send('before closing', 'early')).status).toBe(200)
  })
})

describe('history paging', () => {
  async function withMessages(count: number) {
    const server = await startServer()
    const v = await visitor(server)
    for (let i = 1; i <= count; i++) await v.send(`message ${i}`)
    const page = (query: string) =>
      server.call('GET', `/v1/conversations/${v.conversation.id}/messages${query}`, { token: v.token })
    return { server, page }
  }

  it('returns the newest page, oldest first, with cursors both ways', async () => {
    const { page } = await withMessages(5)
    const { body } = await page('?limit=2')
    expect(seqs(body.messages)).toEqual([4, 5])
    expect(body.before).toBe('4')
    expect(body.after).toBe('5')
  })

  it('pages back with before until before is null', async () => {
    const { page } = await withMessages(5)
    const second = await page('?limit=2&before=4')
    expect(seqs(second.body.messages)).toEqual([2, 3])
    expect(second.body.before).toBe('2')
    const third = await page('?limit=2&before=2')
    expect(seqs(third.body.messages)).toEqual([1])
    expect(third.body.before).toBeNull()
  })

  it('pages forward with after, and after the end returns nothing with the same cursor', async () => {
    const { page } = await withMessages(5)
    const forward = await page('?limit=2&after=1')
    expect(seqs(forward.body.messages)).toEqual([2, 3])
    expect(forward.body.after).toBe('3')
    const end = await page('?after=5')
    expect(end.body).toEqual({ messages: [], before: '6', after: '5' })
  })

  it('describes an empty conversation with before null and after "0"', async () => {
    const { page } = await withMessages(0)
    expect((await page('')).body).toEqual({ messages: [], before: null, after: '0' })
  })

  it('defaults to 30 messages and caps limit at 100', async () => {
    const { page } = await withMessages(35)
    expect((await page('')).body.messages).toHaveLength(30)
    expect((await page('?limit=1000')).body.messages).toHaveLength(35)
  })

  it('refuses malformed cursors and both directions at once with 400', async () => {
    const { page } = await withMessages(2)
    expect((await page('?before=abc')).status).toBe(400)
    expect((await page('?after=-1')).status).toBe(400)
    expect((await page('?limit=0')).status).toBe(400)
    expect((await page('?before=2&after=1')).status).toBe(400)
  })
})
