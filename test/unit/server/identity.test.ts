import { describe, expect, it } from 'vitest'
import { createServer } from '../../../examples/server/app.js'
import { startServer } from './helpers.js'
import { IDENTITY_SECRET, signIn, signToken, startIdentityServer, userToken } from './identity-helpers.js'

const now = () => Math.floor(Date.now() / 1000)

describe('identified sessions', () => {
  it('starts an identified session without a resume key', async () => {
    const server = await startIdentityServer()
    const { status, body } = await signIn(server, userToken('user-1', { name: 'Ada Lovelace', email: 'ada@example.com' }))
    expect(status).toBe(201)
    expect(body).toEqual({
      visitorId: expect.any(String),
      token: expect.any(String),
      identified: { id: 'user-1', name: 'Ada Lovelace', email: 'ada@example.com' },
      uploadLimits: { maxBytes: expect.any(Number), types: expect.any(Array) }
    })
    expect(body).not.toHaveProperty('resumeKey')
  })

  it('gives the same user the same visitor on a second device, with its own token', async () => {
    const server = await startIdentityServer()
    const laptop = await signIn(server, userToken('user-1'))
    const created = await server.call('POST', '/v1/conversations', { token: laptop.body.token, body: { mode: 'messaging' } })
    const phone = await signIn(server, userToken('user-1'))
    expect(phone.status).toBe(200)
    expect(phone.body.visitorId).toBe(laptop.body.visitorId)
    expect(phone.body.token).not.toBe(laptop.body.token)
    const list = await server.call('GET', '/v1/conversations', { token: phone.body.token })
    expect(list.body.conversations.map((c: { id: string }) => c.id)).toEqual([created.body.id])
  })

  it('keeps different users apart', async () => {
    const server = await startIdentityServer()
    const ada = await signIn(server, userToken('user-1'))
    const bob = await signIn(server, userToken('user-2'))
    expect(bob.body.visitorId).not.toBe(ada.body.visitorId)
  })

  it('refuses an expired token with 401 token-expired', async () => {
    const server = await startIdentityServer()
    const token = signToken({ sub: 'user-1', iat: now() - 7200, exp: now() - 3600 })
    const { status, body } = await signIn(server, token)
    expect(status).toBe(401)
    expect(body.error.code).toBe('token-expired')
  })

  it('accepts a token that expired less than a minute ago, for clocks that disagree', async () => {
    const server = await startIdentityServer()
    const { status } = await signIn(server, signToken({ sub: 'user-1', exp: now() - 10 }))
    expect(status).toBe(201)
  })

  it('refuses a token signed with another secret with 401 invalid-identity', async () => {
    const server = await startIdentityServer()
    const token = signToken({ sub: 'user-1', exp: now() + 3600 }, { secret: 'guessed-secret' })
    const { status, body } = await signIn(server, token)
    expect(status).toBe(401)
    expect(body.error.code).toBe('invalid-identity')
  })

  it('refuses a token whose claims were changed after signing', async () => {
    const server = await startIdentityServer()
    const [header, , signature] = userToken('user-1').split('.')
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: now() + 3600 })).toString('base64url')
    const { status, body } = await signIn(server, `${header}.${forged}.${signature}`)
    expect(status).toBe(401)
    expect(body.error.code).toBe('invalid-identity')
  })

  it('refuses a token whose header says alg none, whatever its signature', async () => {
    const server = await startIdentityServer()
    const claims = { sub: 'user-1', exp: now() + 3600 }
    const signed = signToken(claims, { header: { alg: 'none', typ: 'JWT' } })
    const unsigned = signed.slice(0, signed.lastIndexOf('.') + 1)
    for (const token of [signed, unsigned]) {
      const { status, body } = await signIn(server, token)
      expect(status).toBe(401)
      expect(body.error.code).toBe('invalid-identity')
    }
  })

  it('refuses a token signed with an algorithm other than HS256', async () => {
    const server = await startIdentityServer()
    const token = signToken({ sub: 'user-1', exp: now() + 3600 }, { header: { alg: 'HS512', typ: 'JWT' } })
    const { status, body } = await signIn(server, token)
    expect(status).toBe(401)
    expect(body.error.code).toBe('invalid-identity')
  })

  it.each([
    ['not three parts', 'abc.def'],
    ['not base64url', 'a b.c d.e f'],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`],
    ['no sub', signToken({ exp: now() + 3600 })],
    ['a sub that is not a string', signToken({ sub: 42, exp: now() + 3600 })],
    ['no exp', signToken({ sub: 'user-1' })],
    ['an exp that is not a number', signToken({ sub: 'user-1', exp: 'tomorrow' })],
    ['a name that is not a string', signToken({ sub: 'user-1', exp: now() + 3600, name: { first: 'Ada' } })],
    ['a payload that is not an object', signToken([1, 2] as unknown as Record<string, unknown>)]
  ])('refuses a malformed token (%s) with 401 invalid-identity', async (_, token) => {
    const server = await startIdentityServer()
    const { status, body } = await signIn(server, token)
    expect(status).toBe(401)
    expect(body.error.code).toBe('invalid-identity')
  })

  it('refuses a token that is not valid yet', async () => {
    const server = await startIdentityServer()
    const { status, body } = await signIn(server, userToken('user-1', { nbf: now() + 600 }))
    expect(status).toBe(401)
    expect(body.error.code).toBe('invalid-identity')
  })

  it('refuses an identity with 400 identity-disabled when the server has no identity secret', async () => {
    const server = await startServer()
    const { status, body } = await signIn(server, userToken('user-1'))
    expect(status).toBe(400)
    expect(body.error.code).toBe('identity-disabled')
  })

  it('answers 400 bad-request to an identity that is not an object with a token', async () => {
    const server = await startIdentityServer()
    for (const identity of ['token', { token: 7 }, {}, null]) {
      const { status, body } = await server.call('POST', '/v1/sessions', { body: { identity } })
      expect(status).toBe(400)
      expect(body.error.code).toBe('bad-request')
    }
  })

  it('stores the name and email of a newer token', async () => {
    const server = await startIdentityServer()
    await signIn(server, userToken('user-1', { name: 'Ada', email: 'ada@old.example', iat: now() - 60 }))
    const { body } = await signIn(server, userToken('user-1', { name: 'Ada Lovelace', email: 'ada@new.example' }))
    expect(body.identified).toEqual({ id: 'user-1', name: 'Ada Lovelace', email: 'ada@new.example' })
    const again = await signIn(server, userToken('user-1'))
    expect(again.body.identified).toEqual({ id: 'user-1', name: 'Ada Lovelace', email: 'ada@new.example' })
  })

  it('keeps the name of a newer token when an older token arrives later', async () => {
    const server = await startIdentityServer()
    await signIn(server, userToken('user-1', { name: 'Ada Lovelace' }))
    const { body } = await signIn(server, userToken('user-1', { name: 'Ada', iat: now() - 600 }))
    expect(body.identified.name).toBe('Ada Lovelace')
  })

  it('keeps identified users and their session tokens across a restart', async () => {
    const server = await startIdentityServer()
    const first = await signIn(server, userToken('user-1', { name: 'Ada' }))
    await server.restart()
    expect((await server.call('GET', '/v1/conversations', { token: first.body.token })).status).toBe(200)
    const again = await signIn(server, userToken('user-1'))
    expect(again.body).toMatchObject({ visitorId: first.body.visitorId, identified: { id: 'user-1', name: 'Ada' } })
  })
})

describe('GET /demo/identity', () => {
  it('signs a one-hour identity token for a demo user when demoIdentity is on', async () => {
    const server = await startIdentityServer({ demoIdentity: true })
    const { status, body } = await server.call('GET', '/demo/identity?user=alice')
    expect(status).toBe(200)
    expect(body).toEqual({ id: 'demo-alice', name: 'Alice Martin', email: 'alice@example.com', token: expect.any(String) })
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString())
    expect(claims.exp - claims.iat).toBe(3600)
    const session = await signIn(server, body.token)
    expect(session.body.identified).toEqual({ id: 'demo-alice', name: 'Alice Martin', email: 'alice@example.com' })
  })

  it('signs for Bob too', async () => {
    const server = await startIdentityServer({ demoIdentity: true })
    const { body } = await server.call('GET', '/demo/identity?user=bob')
    expect(body).toMatchObject({ id: 'demo-bob', name: 'Bob Okafor', email: 'bob@example.com' })
  })

  it('refuses a user it does not know with 400', async () => {
    const server = await startIdentityServer({ demoIdentity: true })
    for (const query of ['?user=mallory', '?user=toString', '']) {
      expect((await server.call('GET', `/demo/identity${query}`)).status).toBe(400)
    }
  })

  it('does not exist when demoIdentity is off', async () => {
    const server = await startIdentityServer()
    expect((await server.call('GET', '/demo/identity?user=alice')).status).toBe(404)
  })

  it('refuses to start with demoIdentity but no identity secret', () => {
    expect(() => createServer({ dataDir: '/nonexistent/confab', demoIdentity: true })).toThrow(/identitySecret/)
  })

  it('signs with the identity secret the site backend shares', async () => {
    const server = await startIdentityServer({ demoIdentity: true })
    const { body } = await server.call('GET', '/demo/identity?user=alice')
    const [header, payload] = body.token.split('.')
    expect(body.token).toBe(signToken(JSON.parse(Buffer.from(payload, 'base64url').toString()), {
      secret: IDENTITY_SECRET,
      header: JSON.parse(Buffer.from(header, 'base64url').toString())
    }))
  })
})
