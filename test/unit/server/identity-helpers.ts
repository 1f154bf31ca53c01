import { createHmac } from 'node:crypto'
import type { ServerOptions } from '../../../examples/server/app.js'
import { startServer, type Answer, type TestServer } from './helpers.js'

/** The secret the test "site backend" and the server share. */
export const IDENTITY_SECRET = 'test-identity-secret'

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * Sign an HS256 JWT the way a site's backend does (written here independently of the server's own
 * code, following the README).
 */
export function signToken(
  claims: Record<string, unknown>,
  { secret = IDENTITY_SECRET, header = { alg: 'HS256', typ: 'JWT' } }: { secret?: string; header?: Record<string, unknown> } = {}
): string {
  const unsigned = `${encode(header)}.${encode(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

/** A token for `sub`, issued now and valid one hour, with any extra claims. */
export function userToken(sub: string, extra: Record<string, unknown> = {}): string {
  const iat = Math.floor(Date.now() / 1000)
  return signToken({ sub, iat, exp: iat + 3600, ...extra })
}

/** The reference server with identified users on. */
export function startIdentityServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  return startServer({ identitySecret: IDENTITY_SECRET, ...options })
}

/** `POST /v1/sessions` with an identity token (and a resume key, when given). */
export function signIn(server: TestServer, token: string, resumeKey?: string): Promise<Answer> {
  return server.call('POST', '/v1/sessions', { body: { identity: { token }, ...(resumeKey === undefined ? {} : { resumeKey }) } })
}
