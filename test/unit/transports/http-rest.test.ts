import { delay, http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { parseRetryAfter } from '../../../src/transports/http/errors.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import { BASE, connected, conversation, failure, message, server, sessions, useServer } from './http-fixtures.js'

useServer()


describe('http transport: session', () => {
  it('starts a session with the resume key and returns it without the token', async () => {
    const { bodies } = sessions()
    const transport = createHttpTransport({ url: BASE })
    const session = await transport.connect({ resumeKey: 'rk1' })
    expect(bodies).toEqual([{ resumeKey: 'rk1' }])
    expect(session).toEqual({ visitorId: 'v1', resumeKey: 'rk1' })
  })

  it('starts a new visitor when there is no resume key', async () => {
    const { bodies } = sessions()
    const session = await createHttpTransport({ url: BASE }).connect({})
    expect(bodies).toEqual([{}])
    expect(session.resumeKey).toBe('rk-new')
  })

  it('sends the session token as a Bearer authorization on later calls', async () => {
    sessions()
    let authorization: string | null = null
    server.use(
      http.get(`${BASE}/v1/conversations/c1`, ({ request }) => {
        authorization = request.headers.get('authorization')
        return HttpResponse.json(conversation())
      })
    )
    const transport = await connected()
    await transport.getConversation('c1')
    expect(authorization).toBe('Bearer t1')
  })

  it('sends the extra headers option with every request', async () => {
    sessions()
    let site: string | null = null
    server.use(
      http.get(`${BASE}/v1/conversations/c1`, ({ request }) => {
        site = request.headers.get('x-site')
        return HttpResponse.json(conversation())
      })
    )
    const transport = await connected({ headers: { 'x-site': 'acme' } })
    await transport.getConversation('c1')
    expect(site).toBe('acme')
  })

  it("runs a site's ky hooks after its own: a header made per request goes beside the session token", async () => {
    sessions()
    let headers: [string | null, string | null] = [null, null]
    server.use(
      http.get(`${BASE}/v1/conversations/c1`, ({ request }) => {
        headers = [request.headers.get('authorization'), request.headers.get('x-csrf-token')]
        return HttpResponse.json(conversation())
      })
    )
    let issued = 0
    const transport = await connected({ hooks: { beforeRequest: [(request) => request.headers.set('x-csrf-token', `csrf-${++issued}`)] } })
    await transport.getConversation('c1')
    expect(headers).toEqual(['Bearer t1', 'csrf-2'])
  })

  it('rejects calls made before connect with a closed error', async () => {
    const error = await failure(createHttpTransport({ url: BASE }).getConversation('c1'))
    expect(error.code).toBe('closed')
  })

  it('uses the injected fetch instead of the global one', async () => {
    const fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = input instanceof Request ? input.url : String(input)
      return Response.json(url.endsWith('/v1/sessions') ? { visitorId: 'v9', resumeKey: 'rk9', token: 't9' } : {})
    })
    const session = await createHttpTransport({ url: BASE, fetch }).connect({})
    expect(session.visitorId).toBe('v9')
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe('http transport: conversations and messages', () => {
  it('lists conversations with limit and cursor as query parameters', async () => {
    sessions()
    let query: URLSearchParams | undefined
    server.use(
      http.get(`${BASE}/v1/conversations`, ({ request }) => {
        query = new URL(request.url).searchParams
        return HttpResponse.json({ conversations: [conversation({ subject: 'Billing' })], next: 'p2' })
      })
    )
    const transport = await connected()
    const page = await transport.listConversations({ cursor: 'p1', limit: 20 })
    expect(Object.fromEntries(query!)).toEqual({ cursor: 'p1', limit: '20' })
    expect(page).toEqual({ conversations: [conversation({ subject: 'Billing' })], next: 'p2' })
  })

  it('creates a conversation with its mode and subject', async () => {
    sessions()
    let body: unknown
    server.use(
      http.post(`${BASE}/v1/conversations`, async ({ request }) => {
        body = await request.json()
        return HttpResponse.json(conversation({ mode: 'chat', subject: 'Hi' }), { status: 201 })
      })
    )
    const transport = await connected()
    const created = await transport.createConversation({ mode: 'chat', subject: 'Hi' })
    expect(body).toEqual({ mode: 'chat', subject: 'Hi' })
    expect(created).toEqual(conversation({ mode: 'chat', subject: 'Hi' }))
  })

  it('gets a conversation with its last message', async () => {
    sessions()
    const stored = conversation({ lastMessage: message({ author: { role: 'agent', name: 'Ada' } }) })
    server.use(http.get(`${BASE}/v1/conversations/c1`, () => HttpResponse.json(stored)))
    const transport = await connected()
    expect(await transport.getConversation('c1')).toEqual(stored)
  })

  it('keeps only the fields the contract knows', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/conversations/c1`, () => HttpResponse.json({ ...conversation(), visitorId: 'v1', extra: 1 }))
    )
    const transport = await connected()
    expect(await transport.getConversation('c1')).toEqual(conversation())
  })

  it('encodes the conversation id in the path', async () => {
    sessions()
    let path = ''
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, ({ request }) => {
        path = new URL(request.url).pathname
        return HttpResponse.json(conversation({ id: 'a/b c' }))
      })
    )
    const transport = await connected()
    await transport.getConversation('a/b c')
    expect(path).toBe('/v1/conversations/a%2Fb%20c')
  })

  it('rejects an unknown conversation with not-found', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/conversations/nope`, () =>
        HttpResponse.json({ error: { code: 'not-found', message: 'No such conversation' } }, { status: 404 })
      )
    )
    const transport = await connected()
    const error = await failure(transport.getConversation('nope'))
    expect(error).toMatchObject({ code: 'not-found', status: 404, retryable: false })
  })

  it('reads history with before and limit as query parameters', async () => {
    sessions()
    let query: URLSearchParams | undefined
    server.use(
      http.get(`${BASE}/v1/conversations/c1/messages`, ({ request }) => {
        query = new URL(request.url).searchParams
        return HttpResponse.json({ messages: [message({ seq: 9 }), message({ id: 'm10', seq: 10 })], before: '9', after: '10' })
      })
    )
    const transport = await connected()
    const page = await transport.history('c1', { before: '11', limit: 2 })
    expect(Object.fromEntries(query!)).toEqual({ before: '11', limit: '2' })
    expect(page).toEqual({ messages: [message({ seq: 9 }), message({ id: 'm10', seq: 10 })], before: '9', after: '10' })
  })

  it('reads newer history with after as a query parameter', async () => {
    sessions()
    let query: URLSearchParams | undefined
    server.use(
      http.get(`${BASE}/v1/conversations/c1/messages`, ({ request }) => {
        query = new URL(request.url).searchParams
        return HttpResponse.json({ messages: [], before: null, after: '10' })
      })
    )
    const transport = await connected()
    const page = await transport.history('c1', { after: '10' })
    expect(Object.fromEntries(query!)).toEqual({ after: '10' })
    expect(page).toEqual({ messages: [], before: null, after: '10' })
  })

  it('posts the clientId and text when sending and resolves with the stored message', async () => {
    sessions()
    let body: unknown
    server.use(
      http.post(`${BASE}/v1/conversations/c1/messages`, async ({ request }) => {
        body = await request.json()
        return HttpResponse.json(message({ clientId: 'k7', text: 'Hi there' }), { status: 201 })
      })
    )
    const transport = await connected()
    const stored = await transport.send('c1', { clientId: 'k7', text: 'Hi there' })
    expect(body).toEqual({ clientId: 'k7', text: 'Hi there' })
    expect(stored).toEqual(message({ clientId: 'k7', text: 'Hi there' }))
  })

  it('accepts a 200 answer to a duplicate send as success', async () => {
    sessions()
    server.use(http.post(`${BASE}/v1/conversations/c1/messages`, () => HttpResponse.json(message(), { status: 200 })))
    const transport = await connected()
    expect(await transport.send('c1', { clientId: 'k1', text: 'Hello' })).toEqual(message())
  })

  it('posts the typing state to the typing endpoint', async () => {
    sessions()
    let body: unknown
    server.use(
      http.post(`${BASE}/v1/conversations/c1/typing`, async ({ request }) => {
        body = await request.json()
        return new HttpResponse(null, { status: 204 })
      })
    )
    const transport = await connected()
    await transport.setTyping!('c1', true)
    expect(body).toEqual({ typing: true })
  })

  it('rejects a response missing fields with malformed-event carrying the data', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/conversations/c1`, () => HttpResponse.json({ id: 'c1', mode: 'chat' })))
    const transport = await connected()
    const error = await failure(transport.getConversation('c1'))
    expect(error).toMatchObject({ code: 'malformed-event', retryable: false, data: { id: 'c1', mode: 'chat' } })
    expect(error.message).toContain('GET /v1/conversations/c1')
  })

  it('rejects a body that is not JSON with malformed-event carrying the text', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/conversations`, () => HttpResponse.text('<html>maintenance</html>')))
    const transport = await connected()
    const error = await failure(transport.listConversations())
    expect(error).toMatchObject({ code: 'malformed-event', data: '<html>maintenance</html>' })
  })

  it('rejects a history page with one bad message as malformed', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/conversations/c1/messages`, () =>
        HttpResponse.json({ messages: [message(), { ...message(), author: { role: 'robot' } }], before: null, after: '2' })
      )
    )
    const transport = await connected()
    expect((await failure(transport.history('c1'))).code).toBe('malformed-event')
  })
})

describe('http transport: errors', () => {
  it('maps a 503 to a retryable http error that names the request', async () => {
    sessions()
    server.use(http.post(`${BASE}/v1/conversations/c1/messages`, () => new HttpResponse(null, { status: 503 })))
    const transport = await connected()
    const error = await failure(transport.send('c1', { clientId: 'k1', text: 'Hello' }))
    expect(error).toMatchObject({ code: 'http', status: 503, retryable: true })
    expect(error.message).toBe('POST /v1/conversations/c1/messages answered 503')
  })

  it('maps a 400 to an http error that is not retryable and quotes the server', async () => {
    sessions()
    server.use(
      http.post(`${BASE}/v1/conversations/c1/messages`, () =>
        HttpResponse.json({ error: { code: 'bad-request', message: 'text is empty' } }, { status: 400 })
      )
    )
    const transport = await connected()
    const error = await failure(transport.send('c1', { clientId: 'k1', text: ' ' }))
    expect(error).toMatchObject({ code: 'http', status: 400, retryable: false })
    expect(error.message).toBe('POST /v1/conversations/c1/messages answered 400: text is empty')
  })

  it('maps a 408 to a retryable http error', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/conversations`, () => new HttpResponse(null, { status: 408 })))
    const transport = await connected()
    expect(await failure(transport.listConversations())).toMatchObject({ code: 'http', status: 408, retryable: true })
  })

  it('maps a 429 with Retry-After seconds to rate-limited with retryAfter in ms', async () => {
    sessions()
    server.use(
      http.post(`${BASE}/v1/conversations/c1/messages`, () =>
        new HttpResponse(null, { status: 429, headers: { 'retry-after': '3' } })
      )
    )
    const transport = await connected()
    const error = await failure(transport.send('c1', { clientId: 'k1', text: 'Hello' }))
    expect(error).toMatchObject({ code: 'rate-limited', status: 429, retryable: true, retryAfter: 3000 })
  })

  it('reads an HTTP-date Retry-After as the ms left until that date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })

  it('maps a lost response to a retryable network error', async () => {
    sessions()
    server.use(http.get(`${BASE}/v1/conversations`, () => HttpResponse.error()))
    const transport = await connected()
    const error = await failure(transport.listConversations())
    expect(error).toMatchObject({ code: 'network', retryable: true })
    expect(error.message).toContain('GET /v1/conversations')
  })

  it('maps an answer slower than the timeout to a retryable timeout', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/conversations`, async () => {
        await delay(200)
        return HttpResponse.json({ conversations: [], next: null })
      })
    )
    const transport = await connected({ timeout: 20 })
    expect(await failure(transport.listConversations())).toMatchObject({ code: 'timeout', retryable: true })
  })

  it('leaves retries to the client: a failed read or send is asked once', async () => {
    sessions()
    let asked = 0
    server.use(
      http.get(`${BASE}/v1/conversations`, () => {
        asked++
        return new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })
      }),
      http.post(`${BASE}/v1/conversations/c1/messages`, () => {
        asked++
        return new HttpResponse(null, { status: 503 })
      })
    )
    const transport = await connected()
    expect(await failure(transport.listConversations())).toMatchObject({ code: 'http', status: 503 })
    expect(await failure(transport.send('c1', { clientId: 'k1', text: 'Hello' }))).toMatchObject({ code: 'http', status: 503 })
    expect(asked).toBe(2)
  })

  it('rejects requests in flight with closed when the transport closes', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/conversations`, async () => {
        await delay(200)
        return HttpResponse.json({ conversations: [], next: null })
      })
    )
    const transport = await connected()
    const pending = failure(transport.listConversations())
    transport.close()
    expect((await pending).code).toBe('closed')
  })

  it('rejects with closed when the caller aborts a send', async () => {
    sessions()
    server.use(
      http.post(`${BASE}/v1/conversations/c1/messages`, async () => {
        await delay(200)
        return HttpResponse.json(message())
      })
    )
    const transport = await connected()
    const controller = new AbortController()
    const pending = failure(transport.send('c1', { clientId: 'k1', text: 'Hello' }, { signal: controller.signal }))
    controller.abort()
    expect((await pending).code).toBe('closed')
  })
})

describe('http transport: expired sessions', () => {
  /** Conversations that only the token `t2` may read. */
  function onlyForSecondToken() {
    const seen: (string | null)[] = []
    server.use(
      http.get(`${BASE}/v1/conversations`, ({ request }) => {
        const authorization = request.headers.get('authorization')
        seen.push(authorization)
        return authorization === 'Bearer t2'
          ? HttpResponse.json({ conversations: [], next: null })
          : HttpResponse.json({ error: { code: 'unauthorized', message: 'unknown token' } }, { status: 401 })
      })
    )
    return seen
  }

  it('starts the session again once on a 401 and repeats the call with the new token', async () => {
    const { bodies } = sessions()
    const seen = onlyForSecondToken()
    const transport = await connected()
    expect(await transport.listConversations()).toEqual({ conversations: [], next: null })
    expect(bodies).toEqual([{ resumeKey: 'rk1' }, { resumeKey: 'rk1' }])
    expect(seen).toEqual(['Bearer t1', 'Bearer t2'])
  })

  it('starts the session again only once for concurrent 401s', async () => {
    const { count } = sessions()
    onlyForSecondToken()
    const transport = await connected()
    await Promise.all([transport.listConversations(), transport.listConversations(), transport.listConversations()])
    expect(count()).toBe(2)
  })

  it("still starts the session again on a 401 when a site adds its own afterResponse hook, which sees the answer that counts", async () => {
    sessions()
    onlyForSecondToken()
    const statuses: number[] = []
    const transport = await connected({ hooks: { afterResponse: [(_request, _options, response) => void statuses.push(response.status)] } })
    expect(await transport.listConversations()).toEqual({ conversations: [], next: null })
    expect(statuses.at(-1)).toBe(200)
  })

  it('rejects with unauthorized when the repeated call gets a 401 too', async () => {
    const { count } = sessions()
    server.use(http.get(`${BASE}/v1/conversations`, () => new HttpResponse(null, { status: 401 })))
    const transport = await connected()
    const error = await failure(transport.listConversations())
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, retryable: false })
    expect(count()).toBe(2)
  })
})
