import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { startServer, visitor } from './helpers.js'

/** What a Node client saw of one upload: the status and error code it read, and any socket error. */
interface Upload {
  status?: number
  connection?: string
  code?: string
  error?: string
}

/**
 * POST `size` bytes to `path` at full speed with Node's http client, on a connection of its own
 * (`agent: false`, so `Connection: close`), with a Content-Length unless `chunked`. Resolves once the
 * request is over, whatever happened.
 */
function upload(url: string, path: string, { size, chunked = false, token }: { size: number; chunked?: boolean; token?: string }) {
  return new Promise<Upload>((resolve) => {
    const seen: Upload = {}
    const headers: Record<string, string | number> = { 'content-type': 'application/json' }
    if (!chunked) headers['content-length'] = size
    if (token !== undefined) headers.authorization = `Bearer ${token}`
    const request = http.request(`${url}${path}`, { method: 'POST', agent: false, headers }, (response) => {
      seen.status = response.statusCode
      seen.connection = response.headers.connection
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk))
      response.on('end', () => (seen.code = JSON.parse(text).error?.code))
    })
    request.on('error', (error: NodeJS.ErrnoException) => (seen.error = error.code ?? error.message))
    request.on('close', () => setTimeout(() => resolve(seen), 20))
    request.end(Buffer.alloc(size, 'x'))
  })
}

const MB = 1024 * 1024

describe('malformed requests', () => {
  it('answers bad JSON with 400 and keeps serving', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const bad = await server.call('POST', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token, body: '{"text": ' })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ error: { code: 'bad-request', message: expect.any(String) } })
    expect((await v.send('still here')).status).toBe(201)
  })

  it('answers a JSON body that is not an object with 400', async () => {
    const server = await startServer()
    const { status } = await server.call('POST', '/v1/sessions', { body: '[1, 2]' })
    expect(status).toBe(400)
  })

  it('answers a missing field with 400 naming it', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await server.call('POST', `/v1/conversations/${v.conversation.id}/messages`, {
      token: v.token,
      body: { text: 'no client id' }
    })
    expect(status).toBe(400)
    expect(body.error.message).toContain('clientId')
  })

  it('answers a wrongly typed field with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const wrong = await server.call('POST', '/v1/conversations', { token: v.token, body: { mode: 'video' } })
    expect(wrong.status).toBe(400)
    const typing = await server.call('POST', `/v1/conversations/${v.conversation.id}/typing`, {
      token: v.token,
      body: { typing: 'yes' }
    })
    expect(typing.status).toBe(400)
  })

  it('answers a body over 64 KiB with 413 and keeps serving', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const huge = JSON.stringify({ clientId: 'big', text: 'x'.repeat(70 * 1024) })
    const { status, body } = await server.call('POST', `/v1/conversations/${v.conversation.id}/messages`, {
      token: v.token,
      body: huge
    })
    expect(status).toBe(413)
    expect(body.error.code).toBe('too-large')
    expect((await server.call('GET', '/health')).status).toBe(200)
  })

  it('answers 413 to a 10 MB body sent at full speed, which the client reads without a broken pipe', async () => {
    const server = await startServer()
    expect(await upload(server.url, '/v1/sessions', { size: 10 * MB })).toEqual({ status: 413, connection: 'close', code: 'too-large' })
  })

  it('answers 413 to a 10 MB body sent in chunks at full speed, without a broken pipe', async () => {
    const server = await startServer()
    const sent = await upload(server.url, '/v1/sessions', { size: 10 * MB, chunked: true })
    expect(sent).toEqual({ status: 413, connection: 'close', code: 'too-large' })
  })

  it('answers 401 to an unauthorized 10 MB upload without a broken pipe', async () => {
    const server = await startServer()
    const sent = await upload(server.url, '/v1/conversations', { size: 10 * MB, token: 'nobody' })
    expect(sent).toEqual({ status: 401, connection: 'close', code: 'unauthorized' })
  })

  it('answers a declared body over 32 MB with 413 at once, closing the connection instead of reading it', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await new Promise<{ status?: number; connection?: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 64 * MB, authorization: `Bearer ${v.token}` }
      })
      request.on('response', (response) => {
        resolve({ status: response.statusCode, connection: response.headers.connection })
        request.destroy()
      })
      request.on('error', reject)
      request.write('{"mode":')
    })
    expect(answer).toEqual({ status: 413, connection: 'close' })
    expect((await server.call('GET', '/health')).status).toBe(200)
  })

  it('answers a body that is not JSON with 415', async () => {
    const server = await startServer()
    const { status, body } = await server.call('POST', '/v1/sessions', {
      body: 'resumeKey=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    })
    expect(status).toBe(415)
    expect(body.error.code).toBe('unsupported-media-type')
  })

  it('answers an unknown route with 404', async () => {
    const server = await startServer()
    const { status, body } = await server.call('GET', '/v1/nothing-here')
    expect(status).toBe(404)
    expect(body.error.code).toBe('not-found')
  })

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const server = await startServer()
    const { status, headers, body } = await server.call('DELETE', '/v1/sessions')
    expect(status).toBe(405)
    expect(headers.get('allow')).toBe('POST')
    expect(body.error.code).toBe('method-not-allowed')
  })

  it('answers a request without a token with 401', async () => {
    const server = await startServer()
    const { status, headers, body } = await server.call('GET', '/v1/conversations')
    expect(status).toBe(401)
    expect(headers.get('www-authenticate')).toBe('Bearer')
    expect(body.error.code).toBe('unauthorized')
  })

  it('answers an unknown token with 401', async () => {
    const server = await startServer()
    expect((await server.call('GET', '/v1/conversations', { token: 'made-up' })).status).toBe(401)
  })

  it('answers a malformed conversation id with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status } = await server.call('GET', '/v1/conversations/..%2F..%2Fetc', { token: v.token })
    expect(status).toBe(400)
  })

  it('survives a burst of broken requests', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const broken = await Promise.all([
      server.call('POST', path, { token: v.token, body: '{' }),
      server.call('POST', path, { token: v.token, body: 'null' }),
      server.call('POST', path, { token: v.token, body: { clientId: 7, text: 'x' } }),
      server.call('POST', path, { token: v.token, body: { clientId: 'x'.repeat(101), text: 'x' } }),
      server.call('PUT', path, { token: v.token, body: {} }),
      server.call('GET', `${path}?limit=abc`, { token: v.token })
    ])
    expect(broken.map((a) => a.status)).toEqual([400, 400, 400, 400, 405, 400])
    expect((await v.send('fine')).body.seq).toBe(1)
  })
})

describe('CORS', () => {
  it('lets any origin call the visitor API', async () => {
    const server = await startServer()
    const { headers } = await server.call('POST', '/v1/sessions', { body: {}, headers: { origin: 'https://shop.example' } })
    expect(headers.get('access-control-allow-origin')).toBe('*')
  })

  it('answers a preflight allowing the headers the widget sends', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/v1/conversations`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type'
      }
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Last-Event-ID, Range')
  })

  it('gives the agent API no CORS headers, so other sites cannot call it', async () => {
    const server = await startServer()
    const { headers } = await server.call('GET', '/v1/agent/conversations', { headers: { origin: 'https://evil.example' } })
    expect(headers.get('access-control-allow-origin')).toBeNull()
  })
})
