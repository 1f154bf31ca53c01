import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import type { UploadSlot } from '../../../src/transports/types.js'
import { BASE, collect, connected, eventStream, failure, server, useServer } from './http-fixtures.js'

useServer()

const LIMITS = { maxBytes: 26_214_400, types: ['image/*', 'application/pdf', 'text/plain'] }

const SLOT: UploadSlot = {
  putUrl: `${BASE}/v1/uploads/u_1?token=secret`,
  headers: { 'Content-Type': 'image/png' },
  getUrl: `${BASE}/v1/files/u_1/photo.png`,
  expiresAt: 1_767_226_500_000
}

const REQUEST = { clientId: 'f1', name: 'photo.png', size: 1234, type: 'image/png' }

/** `POST /v1/sessions` answering `extra` beside the session. */
function sessionWith(extra: Record<string, unknown>) {
  server.use(http.post(`${BASE}/v1/sessions`, () => HttpResponse.json({ visitorId: 'v1', resumeKey: 'rk1', token: 't1', ...extra })))
}

/** `POST /v1/conversations/c1/uploads` answering `answer`, recording each request. */
function slots(answer: () => Response) {
  const requests: { authorization: string | null; body: unknown }[] = []
  server.use(
    http.post(`${BASE}/v1/conversations/c1/uploads`, async ({ request }) => {
      requests.push({ authorization: request.headers.get('authorization'), body: await request.json() })
      return answer()
    })
  )
  return requests
}

const refusal = (status: number, code: string, message: string) => HttpResponse.json({ error: { code, message } }, { status })

describe('http transport: uploads', () => {
  it('declares uploads and asks for slots, leaving the PUT of the bytes to the client', () => {
    const transport = createHttpTransport({ url: BASE, events: null })
    expect(transport.capabilities.uploads).toBe(true)
    expect(typeof transport.requestUpload).toBe('function')
    expect(transport.putUpload).toBeUndefined()
  })

  it("passes on the session's upload limits", async () => {
    sessionWith({ uploadLimits: LIMITS })
    const session = await createHttpTransport({ url: BASE, events: null }).connect({})
    expect(session).toEqual({ visitorId: 'v1', resumeKey: 'rk1', uploadLimits: LIMITS })
  })

  it('connects without upload limits when the server announces none', async () => {
    sessionWith({})
    const session = await createHttpTransport({ url: BASE, events: null }).connect({})
    expect(session).not.toHaveProperty('uploadLimits')
  })

  it.each([
    ['a maxBytes that is not a whole number', { maxBytes: 1.5, types: [] }],
    ['a maxBytes of 0', { maxBytes: 0, types: [] }],
    ['types that are not MIME types', { maxBytes: 100, types: ['png'] }],
    ['no types list', { maxBytes: 100 }],
    ['a string', '25 MB']
  ])('drops upload limits with %s and reports them once someone listens, without failing connect', async (_, uploadLimits) => {
    sessionWith({ uploadLimits })
    eventStream({ chunks: [], then: 'hold' })
    const transport = createHttpTransport({ url: BASE, events: null, stream: ['sse'] })
    const session = await transport.connect({})
    expect(session).toEqual({ visitorId: 'v1', resumeKey: 'rk1' })
    const { listener, of } = collect()
    const stop = transport.subscribe(listener)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(of('error').map((event) => [(event.error as { code?: string }).code, (event.error as { data?: unknown }).data])).toEqual([
      ['malformed-event', uploadLimits]
    ])
    stop()
    transport.close()
  })

  it('asks for a slot with the file’s clientId, name, size and type, and the session token', async () => {
    sessionWith({ uploadLimits: LIMITS })
    const requests = slots(() => HttpResponse.json(SLOT, { status: 201 }))
    const transport = await connected()
    expect(await transport.requestUpload!('c1', REQUEST)).toEqual(SLOT)
    expect(requests).toEqual([{ authorization: 'Bearer t1', body: REQUEST }])
  })

  it('passes on stored: true for a file whose bytes the server already holds', async () => {
    sessionWith({})
    slots(() => HttpResponse.json({ ...SLOT, stored: true }))
    const transport = await connected()
    expect(await transport.requestUpload!('c1', REQUEST)).toEqual({ ...SLOT, stored: true })
  })

  it('rejects a file too large with a non-retryable error carrying 413 and the server’s reason', async () => {
    sessionWith({})
    slots(() => refusal(413, 'too-large', 'The file is 30000000 bytes; this server takes files of at most 26214400 bytes (25 MB)'))
    const transport = await connected()
    const error = await failure(transport.requestUpload!('c1', { ...REQUEST, size: 30_000_000 }))
    expect([error.code, error.status, error.retryable]).toEqual(['http', 413, false])
    expect(error.message).toBe(
      'POST /v1/conversations/c1/uploads answered 413: The file is 30000000 bytes; this server takes files of at most 26214400 bytes (25 MB)'
    )
  })

  it('rejects a type the server refuses with a non-retryable error carrying 415', async () => {
    sessionWith({})
    slots(() => refusal(415, 'unsupported-media-type', 'Files of type application/x-msdownload are not accepted here'))
    const transport = await connected()
    const error = await failure(transport.requestUpload!('c1', { ...REQUEST, type: 'application/x-msdownload' }))
    expect([error.code, error.status, error.retryable]).toEqual(['http', 415, false])
  })

  it('rejects a slot request the server could not answer (503) as retryable', async () => {
    sessionWith({})
    slots(() => refusal(503, 'unavailable', 'try again'))
    const transport = await connected()
    const error = await failure(transport.requestUpload!('c1', REQUEST))
    expect([error.status, error.retryable]).toEqual([503, true])
  })

  it.each([
    ['without a getUrl', { putUrl: SLOT.putUrl }],
    ['with headers that are not strings', { ...SLOT, headers: { 'Content-Type': 42 } }],
    ['with a putUrl that is not http(s)', { ...SLOT, putUrl: 'javascript:alert(1)' }],
    ['with a relative getUrl', { ...SLOT, getUrl: '/v1/files/u_1/photo.png' }]
  ])('rejects a slot %s as malformed-event', async (_, answer) => {
    sessionWith({})
    slots(() => HttpResponse.json(answer, { status: 201 }))
    const transport = await connected()
    expect((await failure(transport.requestUpload!('c1', REQUEST))).code).toBe('malformed-event')
  })
})
