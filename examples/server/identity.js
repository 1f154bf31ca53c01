// @ts-check
import crypto from 'node:crypto'
import { HttpError } from './http.js'

/**
 * Who an identity token says the user is. `id` is the token's `sub`: the site's own user id.
 * @typedef {{ id: string, name?: string, email?: string }} Identified
 */
/**
 * The claims this server reads from an identity token (times in seconds since the epoch, as JWT has them).
 * @typedef {object} IdentityClaims
 * @property {string} sub The site's user id.
 * @property {number} exp Expiry.
 * @property {number} [iat] When the site's backend signed it.
 * @property {number} [nbf] Not valid before.
 * @property {string} [name]
 * @property {string} [email]
 */

/**
 * Clocks of the site's backend and of this server may disagree by this much (RFC 7519 allows "some
 * small leeway") before `exp` and `nbf` count.
 */
export const CLOCK_LEEWAY_SECONDS = 60

/** Longest identity token accepted; a real one is a few hundred bytes. */
export const MAX_TOKEN_LENGTH = 4096

const SEGMENT = /^[A-Za-z0-9_-]+$/

/**
 * Check an HS256 JWT signed by the site's backend with `secret`, and return its claims.
 *
 * Only `alg: "HS256"` is accepted: a token that names another algorithm (`none` above all) is refused
 * before anything else is read, so the header cannot choose how it is checked. The signature is
 * compared in constant time and checked before the claims are parsed.
 *
 * @param {string} token `<header>.<payload>.<signature>`, each base64url without padding.
 * @param {string} secret
 * @param {number} [nowMs] Clock, ms since the epoch. Default `Date.now()`.
 * @returns {IdentityClaims}
 * @throws {HttpError} 401 `token-expired` when `exp` has passed, 401 `invalid-identity` otherwise.
 *
 * @example
 * const { sub, name } = verifyIdentityToken(body.identity.token, process.env.IDENTITY_SECRET)
 */
export function verifyIdentityToken(token, secret, nowMs = Date.now()) {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw invalid('The identity token is not a JWT (three base64url parts separated by dots)')
  }
  const [header, payload, signature] = /** @type {[string, string, string]} */ (parts)

  const head = decodeJson(header, 'header')
  if (head.alg !== 'HS256') throw invalid(`The identity token must be signed with HS256, not ${JSON.stringify(head.alg ?? null)}`)

  const expected = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  // timingSafeEqual throws on buffers of different lengths; a wrong length is a wrong signature anyway.
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw invalid('The identity token signature does not match the identity secret')
  }

  const claims = decodeJson(payload, 'payload')
  const { sub, exp, iat, nbf, name, email } = claims
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw invalid('The identity token needs "sub": the user id, a string of 1 to 200 characters')
  }
  if (!isTime(exp)) throw invalid('The identity token needs "exp": its expiry in seconds since the epoch')
  for (const [claim, value] of /** @type {const} */ ([['iat', iat], ['nbf', nbf]])) {
    if (value !== undefined && !isTime(value)) throw invalid(`The identity token's "${claim}" must be seconds since the epoch`)
  }
  for (const [claim, value, max] of /** @type {const} */ ([['name', name, 200], ['email', email, 320]])) {
    if (value !== undefined && (typeof value !== 'string' || value.length > max)) {
      throw invalid(`The identity token's "${claim}" must be a string of at most ${max} characters`)
    }
  }

  const now = nowMs / 1000
  if (now >= /** @type {number} */ (exp) + CLOCK_LEEWAY_SECONDS) {
    throw new HttpError(401, 'token-expired', 'The identity token has expired: ask the site for a new one')
  }
  if (typeof nbf === 'number' && now + CLOCK_LEEWAY_SECONDS < nbf) throw invalid('The identity token is not valid yet ("nbf")')

  /** @type {IdentityClaims} */
  const result = { sub, exp: /** @type {number} */ (exp) }
  if (typeof iat === 'number') result.iat = iat
  if (typeof nbf === 'number') result.nbf = nbf
  if (typeof name === 'string') result.name = name
  if (typeof email === 'string') result.email = email
  return result
}

/**
 * Sign an identity token: what a site's backend does (see README.md for a standalone version). The
 * server itself only uses it for the demo identity endpoint.
 *
 * @param {Record<string, unknown> & { sub: string, exp: number }} claims
 * @param {string} secret
 * @returns {string}
 *
 * @example
 * const iat = Math.floor(Date.now() / 1000)
 * signIdentityToken({ sub: 'user-42', name: 'Ada', iat, exp: iat + 3600 }, secret)
 */
export function signIdentityToken(claims, secret) {
  const encode = (/** @type {unknown} */ value) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`
  return `${unsigned}.${crypto.createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

/**
 * @param {string} segment
 * @param {string} what
 * @returns {Record<string, unknown>}
 */
function decodeJson(segment, what) {
  let value
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    throw invalid(`The identity token's ${what} is not base64url-encoded JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`The identity token's ${what} is not a JSON object`)
  }
  return value
}

/** @param {unknown} value */
const isTime = (value) => typeof value === 'number' && Number.isFinite(value)

/** @param {string} message */
const invalid = (message) => new HttpError(401, 'invalid-identity', message)
