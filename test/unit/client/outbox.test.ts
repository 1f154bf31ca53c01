import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import type { Message, OutgoingMessage, Transport } from '../../../src/transports/types.js'
import { createManualClock, recordingTransport } from './helpers.js'
import { createProfile, openPage } from './profile.js'

describe('the outbox', () => {
  const network = setupServer()
  beforeAll(() => network.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => network.resetHandlers())
  afterAll(() => network.close())

  it('is written to IndexedDB before the send request leaves', async () => {
    const BASE = 'http://127.0.0.1:9998'
    const profile = createProfile()
    const seenByServer: unknown[][] = []
    const stored: Message[] = []
    const conversation = { id: 'c1', mode: 'messaging', status: 'open', createdAt: 1, updatedAt: 1 }
    network.use(
      http.post(`${BASE}/v1/sessions`, () => HttpResponse.json({ visitorId: 'v1', resumeKey: 'rk', token: 't' }, { status: 201 })),
      http.get(`${BASE}/v1/conversations`, () => HttpResponse.json({ conversations: [conversation], next: null })),
      http.get(`${BASE}/v1/conversations/c1/messages`, () => HttpResponse.json({ messages: stored, before: null, after: '0' })),
      http.get(`${BASE}/v1/events`, () => new HttpResponse(new ReadableStream({ start() {} }), { headers: { 'content-type': 'text/event-stream' } })),
      http.post(`${BASE}/v1/conversations/c1/messages`, async ({ request }) => {
        // Another connection to the same database, as a reload would open.
        seenByServer.push(await profile.outbox('v-v1'))
        const body = (await request.json()) as OutgoingMessage
        const message: Message = { id: 'm1', clientId: body.clientId, conversationId: 'c1', seq: 1, author: { role: 'visitor', id: 'v1' }, text: body.text, createdAt: 2 }
        stored.push(message)
        return HttpResponse.json(message, { status: 201 })
      })
    )
    const transport = createHttpTransport({ url: BASE, events: null, random: () => 0 })
    const client = openPage(profile, transport)
    await client.connect()
    const sent = await client.send('kept first')
    expect(sent.status).toBe('sent')
    expect(seenByServer).toEqual([[expect.objectContaining({ clientId: sent.clientId, text: 'kept first', status: 'queued' })]])
    // Confirmed: it left the outbox in the transaction that stored it.
    await vi.waitFor(async () => expect(await profile.outbox('v-v1')).toEqual([]))
    await client.shutdown()
  })

  it('sends again after a reload with the same client id, and the backend keeps one copy', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const first = recordingTransport(backend)
    const page1 = openPage(profile, first.transport)
    await page1.connect()
    await page1.startConversation()
    // The first attempt is stored but its answer never comes: the page reloads meanwhile.
    backend.failNextSends(1, undefined, { stored: true })
    const release = first.hold()
    void page1.send('survives a reload')
    await vi.waitFor(() => expect(first.sends).toHaveLength(1))
    const person = `v-${page1.$session.get()!.visitorId}`
    expect(await profile.outbox(person)).toHaveLength(1)

    const second = recordingTransport(backend)
    const page2 = openPage(profile, second.transport)
    await page2.connect()
    await vi.waitFor(() => expect(page2.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([['survives a reload', 'sent']]), { timeout: 2000 }).catch((e) => {
      console.log(JSON.stringify(page2.$activeMessages.get()), second.sends)
      throw e
    })
    // The lost answer is retried too: always the id the first page chose.
    expect(new Set(second.sends.map((m) => m.clientId))).toEqual(new Set([first.sends[0]!.clientId]))
    const id = page2.$activeId.get()!
    expect(backend.messages(id).map((m) => m.text)).toEqual(['survives a reload'])
    await vi.waitFor(async () => expect(await profile.outbox(person)).toEqual([]))
    release()
  })

  it('holds a message written while the session is still starting, so a reload then keeps it', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const page1 = openPage(profile, createMemoryTransport({ backend }))
    await page1.connect()
    await page1.startConversation()
    const person = `v-${page1.$session.get()!.visitorId}`
    // The backend does not answer the next page's session request.
    const page2 = openPage(profile, { ...createMemoryTransport({ backend }), connect: () => new Promise(() => undefined) })
    void page2.connect()
    await vi.waitFor(() => expect(page2.$activeId.get()).not.toBeNull())
    void page2.send('typed before the session came back')
    await vi.waitFor(async () => expect(await profile.outbox(person)).toEqual([expect.objectContaining({ text: 'typed before the session came back', status: 'queued' })]))
  })

  it('keeps and sends in order a message typed before the page painted, while the session starts', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const page1 = openPage(profile, createMemoryTransport({ backend }))
    await page1.connect()
    const { id } = await page1.startConversation()
    await page1.send('before the reload')
    // The next page: its session waits for the backend until the test lets it go.
    const inner = createMemoryTransport({ backend })
    let answer!: () => void
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const page2 = openPage(profile, { ...inner, connect: async (options) => (await answered, inner.connect(options)) })
    // Typed before the device painted the thread, then twice once it has.
    const sends = [page2.send('first')]
    await vi.waitFor(() => expect(page2.$activeId.get()).toBe(id))
    sends.push(page2.send('second'), page2.send('third'))
    // Shown and on the device before any session: a reload now would keep all three.
    const person = `v-${page1.$session.get()!.visitorId}`
    await vi.waitFor(async () => expect((await profile.outbox(person)).map((e) => (e as { text: string }).text).sort()).toEqual(['first', 'second', 'third']))
    expect(page2.$activeMessages.get().map((m) => m.text)).toEqual(['before the reload', 'first', 'second', 'third'])
    answer()
    await Promise.all(sends)
    expect(backend.messages(id).map((m) => m.text)).toEqual(['before the reload', 'first', 'second', 'third'])
  })

  it('sends in the order send() was called however long each outbox write takes', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    // The outbox write of "slow" takes longer than the ones after it.
    const cache = async (name: string) => {
      const opened = await profile.cache(name)
      return Object.assign(Object.create(opened), {
        async write(changes: Parameters<typeof opened.write>[0]) {
          if (changes.outbox?.some((entry) => entry.text === 'slow')) await new Promise((r) => setTimeout(r, 30))
          return opened.write(changes)
        }
      }) as typeof opened
    }
    const page = openPage(profile, createMemoryTransport({ backend }), { cache })
    await page.connect()
    const { id } = await page.startConversation()
    await Promise.all([page.send('slow'), page.send('fast'), page.send('faster')])
    expect(backend.messages(id).map((m) => m.text)).toEqual(['slow', 'fast', 'faster'])
  })

  it('keeps a refused message failed across a reload, with Retry and Discard', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const t1 = recordingTransport(backend)
    const page1 = openPage(profile, t1.transport)
    await page1.connect()
    await page1.startConversation()
    backend.failNextSends(1, createError('http', 'Too long', { status: 413 }))
    const failed = await page1.send('too long')
    expect(failed).toMatchObject({ status: 'failed', error: 'Too long' })
    const person = `v-${page1.$session.get()!.visitorId}`
    await vi.waitFor(async () => expect(await profile.outbox(person)).toEqual([expect.objectContaining({ status: 'failed' })]))

    const page2 = openPage(profile, createMemoryTransport({ backend }))
    await page2.connect()
    expect(t1.sends).toHaveLength(1)
    expect(page2.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([['too long', 'failed']])
    const sent = await page2.retry(failed.clientId!)
    expect(sent).toMatchObject({ status: 'sent', clientId: failed.clientId })

    backend.failNextSends(1, createError('http', 'Nope', { status: 400 }))
    const second = await page2.send('discard me')
    page2.discard(second.clientId!)
    expect(page2.$activeMessages.get().map((m) => m.text)).toEqual(['too long'])
    await vi.waitFor(async () => expect(await profile.outbox(`v-${page2.$session.get()!.visitorId}`)).toEqual([]))
  })

  it('counts a "duplicate id" answer (409) as sent', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const client = openPage(profile, createMemoryTransport({ backend }))
    await client.connect()
    await client.startConversation()
    backend.failNextSends(1, createError('http', 'Duplicate client id', { status: 409 }))
    expect(await client.send('already there')).toMatchObject({ status: 'sent' })
  })

  it('makes no attempt while offline and sends as soon as the browser is back online', async () => {
    const backend = createMemoryBackend()
    const profile = createProfile()
    const { transport, sends } = recordingTransport(backend)
    const listeners: (() => void)[] = []
    const network = { onLine: true, addEventListener: (_: 'online', listener: () => void) => void listeners.push(listener) }
    const client = openPage(profile, transport, { network })
    await client.connect()
    await client.startConversation()
    network.onLine = false
    const sending = client.send('written offline')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sends).toHaveLength(0)
    expect(client.$activeMessages.get().map((m) => m.status)).toEqual(['queued'])
    network.onLine = true
    for (const listener of listeners) listener()
    expect(await sending).toMatchObject({ status: 'sent', text: 'written offline' })
    expect(sends).toHaveLength(1)
  })

  it('waits Retry-After, and backs off with full jitter up to 30 s, keeping the same id', async () => {
    const backend = createMemoryBackend()
    const clock = createManualClock()
    const inner = createMemoryTransport({ backend })
    const sends: OutgoingMessage[] = []
    const errors = [
      createError('rate-limited', 'Slow down', { status: 429, retryable: true, retryAfter: 5000 }),
      ...Array.from({ length: 8 }, () => createError('network', 'No answer', { retryable: true }))
    ]
    const transport: Transport = {
      ...inner,
      async send(id, message) {
        sends.push(message)
        const error = errors.shift()
        if (error) throw error
        return inner.send(id, message)
      }
    }
    const client = openPage(createProfile(), transport, { timers: clock.timers, now: clock.now, random: () => 1 - 1e-6 })
    await client.connect()
    await client.startConversation()
    const sending = client.send('patient')
    /** No further attempt came (a short real wait: a loaded machine can only make this pass wrongly, never fail). */
    const still = async (count: number) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      expect(sends.length).toBe(count)
    }
    /** The next attempt came, however slowly the machine gets there. */
    const reaches = (count: number) => vi.waitFor(() => expect(sends.length).toBe(count))
    await reaches(1)
    clock.advance(4_999)
    await still(1)
    clock.advance(1)
    await reaches(2)
    // Then ceilings 1 000, 2 000 … 30 000 ms with random() just under 1: each retry comes just before its ceiling.
    const ceilings = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
    for (const ceiling of ceilings) {
      const before = sends.length
      clock.advance(ceiling - 2)
      await still(before)
      clock.advance(2)
      await reaches(before + 1)
    }
    expect(new Set(sends.map((m) => m.clientId)).size).toBe(1)
    expect(await sending).toMatchObject({ status: 'sent' })
  })
})

describe('receiving without gaps', () => {
  /** A client whose stream the test drives, with history calls recorded. */
  async function gapSetup() {
    const backend = createMemoryBackend()
    const inner = createMemoryTransport({ backend })
    const history: unknown[] = []
    let push: (event: Parameters<Parameters<Transport['subscribe']>[0]>[0]) => void = () => undefined
    let refuseAfter = false
    const transport: Transport = {
      ...inner,
      async history(id, query = {}) {
        history.push(query)
        if (refuseAfter && query.after !== undefined) throw createError('http', 'Gone', { status: 410 })
        return inner.history(id, query)
      },
      subscribe(listener) {
        push = listener
        listener({ type: 'status', status: 'online' })
        return () => undefined
      }
    }
    const client = openPage(createProfile(), transport)
    await client.connect()
    const conversation = await client.startConversation()
    const say = (text: string) => backend.reply(conversation.id, text)
    return { backend, client, conversation, history, say, push: (m: Message) => push({ type: 'message', message: m }), refuse: () => (refuseAfter = true) }
  }

  it('reads the missing range when a sequence number is skipped, one backfill at a time', async () => {
    const { client, history, say, push } = await gapSetup()
    push(say('one'))
    say('two')
    say('three')
    history.length = 0
    const four = say('four')
    push(four)
    push(four)
    await vi.waitFor(() => expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['one', 'two', 'three', 'four']))
    expect(history).toEqual([expect.objectContaining({ after: expect.any(String) })])
  })

  it('reloads the thread when the gap is too large', async () => {
    const { client, history, say, push } = await gapSetup()
    push(say('first'))
    for (let i = 0; i < 150; i++) say(`missed ${i}`)
    history.length = 0
    push(say('latest'))
    await vi.waitFor(() => expect(client.$activeMessages.get().at(-1)?.text).toBe('latest'))
    await vi.waitFor(() => expect(history).toEqual([expect.not.objectContaining({ after: expect.anything() })]))
    const shown = client.$activeMessages.get()
    // The newest page, joined up: no message from before the gap hangs above it.
    expect(shown.map((m) => m.seq)).toEqual(shown.map((_, i) => shown[0]!.seq! + i))
  })

  it('reloads the thread when the backend no longer knows the cursor (410)', async () => {
    const { client, history, say, push, refuse } = await gapSetup()
    push(say('one'))
    say('two')
    refuse()
    history.length = 0
    push(say('three'))
    await vi.waitFor(() => expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['one', 'two', 'three']))
    expect(history).toEqual([expect.objectContaining({ after: expect.any(String) }), expect.not.objectContaining({ after: expect.anything() })])
  })
})
