import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import { BASE, conversation, server, useServer } from './http-fixtures.js'

useServer()

const transport = () => createHttpTransport({ url: BASE, events: null })

/** `POST /v1/sessions` for identified users: refuses every token but `fresh`. */
function identifiedSessions() {
  const tokens: (string | undefined)[] = []
  server.use(
    http.post(`${BASE}/v1/sessions`, async ({ request }) => {
      const body = (await request.json()) as { identity?: { token: string }; resumeKey?: string }
      tokens.push(body.identity?.token)
      if (body.identity?.token !== 'fresh') {
        return HttpResponse.json({ error: { code: 'token-expired', message: 'token expired' } }, { status: 401 })
      }
      return HttpResponse.json({ visitorId: 'u_ada', token: 'session', identified: { id: 'ada', name: 'Ada' } })
    })
  )
  return tokens
}

describe('the HTTP transport with an identified user', () => {
  it('reads an identified session, which has no resume key', async () => {
    identifiedSessions()
    const session = await transport().connect({ identity: { token: 'fresh' } })
    expect(session).toEqual({ visitorId: 'u_ada', identified: { id: 'ada', name: 'Ada' } })
  })

  it('asks the site for a fresh token once when the backend refuses the identity', async () => {
    const tokens = identifiedSessions()
    let asked = 0
    const session = await transport().connect({
      identity: { token: 'expired', refresh: async () => (asked++, 'fresh') }
    })
    expect(asked).toBe(1)
    expect(tokens).toEqual(['expired', 'fresh'])
    expect(session.identified?.id).toBe('ada')
  })

  it('uses the refreshed token when a later call needs a new session', async () => {
    const tokens = identifiedSessions()
    let sessionsRefused = 1
    server.use(
      http.get(`${BASE}/v1/conversations/c1`, () =>
        sessionsRefused-- > 0
          ? HttpResponse.json({ error: { code: 'unauthorized', message: 'gone' } }, { status: 401 })
          : HttpResponse.json(conversation())
      )
    )
    const t = transport()
    await t.connect({ identity: { token: 'expired', refresh: async () => 'fresh' } })
    await expect(t.getConversation('c1')).resolves.toMatchObject({ id: 'c1' })
    expect(tokens).toEqual(['expired', 'fresh', 'fresh'])
  })

  it('rejects with unauthorized when there is no way to refresh the token', async () => {
    identifiedSessions()
    await expect(transport().connect({ identity: { token: 'expired' } })).rejects.toMatchObject({ code: 'unauthorized' })
  })

  it('never sends the refresh function, only the token', async () => {
    const bodies: unknown[] = []
    server.use(
      http.post(`${BASE}/v1/sessions`, async ({ request }) => {
        bodies.push(await request.json())
        return HttpResponse.json({ visitorId: 'u_ada', token: 'session', identified: { id: 'ada' } })
      })
    )
    await transport().connect({ identity: { token: 'fresh', refresh: async () => 'never' }, resumeKey: 'rk' })
    expect(bodies).toEqual([{ identity: { token: 'fresh' }, resumeKey: 'rk' }])
  })
})

describe('the HTTP transport when the backend forgot the visitor', () => {
  it('tells its listeners of the new session and resume key after a refresh', async () => {
    let sessionsGranted = 0
    server.use(
      http.post(`${BASE}/v1/sessions`, () => {
        sessionsGranted++
        return HttpResponse.json({ visitorId: `v${sessionsGranted}`, resumeKey: `rk${sessionsGranted}`, token: `t${sessionsGranted}` })
      }),
      http.get(`${BASE}/v1/conversations`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer t1'
          ? HttpResponse.json({ error: { code: 'unauthorized', message: 'expired' } }, { status: 401 })
          : HttpResponse.json({ conversations: [], next: null })
      ),
      http.get(`${BASE}/v1/events`, () => new HttpResponse(new ReadableStream(), { headers: { 'content-type': 'text/event-stream' } }))
    )
    const t = transport()
    await t.connect({ resumeKey: 'rk0' })
    const events: unknown[] = []
    const stop = t.subscribe((event) => events.push(event))
    await t.listConversations()
    stop()
    expect(events).toContainEqual({ type: 'session', session: { visitorId: 'v2', resumeKey: 'rk2' } })
  })
})
