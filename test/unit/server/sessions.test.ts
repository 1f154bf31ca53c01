import { describe, expect, it } from 'vitest'
import { startServer } from './helpers.js'

describe('POST /v1/sessions', () => {
  it('starts a new visitor with a token and a resume key', async () => {
    const server = await startServer()
    const { status, body } = await server.call('POST', '/v1/sessions', { body: {} })
    expect(status).toBe(201)
    expect(body).toEqual({
      visitorId: expect.any(String),
      resumeKey: expect.any(String),
      token: expect.any(String),
      uploadLimits: { maxBytes: expect.any(Number), types: expect.any(Array) }
    })
  })

  it('resumes the visitor a known resume key names', async () => {
    const server = await startServer()
    const first = await server.call('POST', '/v1/sessions', { body: {} })
    const again = await server.call('POST', '/v1/sessions', { body: { resumeKey: first.body.resumeKey } })
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
  })

  it('starts a new visitor when the resume key is unknown', async () => {
    const server = await startServer()
    const { status, body } = await server.call('POST', '/v1/sessions', { body: { resumeKey: 'forgotten' } })
    expect(status).toBe(201)
    expect(body.resumeKey).not.toBe('forgotten')
  })

  it('accepts an empty body as a first visit', async () => {
    const server = await startServer()
    const { status } = await server.call('POST', '/v1/sessions')
    expect(status).toBe(201)
  })

  it('lets the token it granted read the visitor conversations', async () => {
    const server = await startServer()
    const { body } = await server.call('POST', '/v1/sessions', { body: {} })
    const list = await server.call('GET', '/v1/conversations', { token: body.token })
    expect(list.status).toBe(200)
    expect(list.body).toEqual({ conversations: [], next: null })
  })
})
