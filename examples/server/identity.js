// @ts-check
import { SignJWT, errors, jwtVerify } from 'jose'
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

/**
 * Check an HS256 JWT signed by the site's backend with `secret`, and return its claims.
 *
 * `jose` does the JWT work: only `alg: "HS256"` is accepted (a token that names another algorithm,
 * `none` above all, is refused before anything else is read, so the header cannot choose how it is
 * checked), the signature is compared in constant time before the claims are read, and `exp` and
 * `nbf` are checked with {@link CLOCK_LEEWAY_SECONDS} of leeway. What the claims must hold beyond
 * that (a `sub`, a short `name`) is this server's own rule.
 *
 * @param {string} token `<header>.<payload>.<signature>`, each base64url without padding.
 * @param {string} secret
 * @param {number} [nowMs] Clock, ms since the epoch. Default `Date.now()`.
 * @returns {Promise<IdentityClaims>}
 * @throws {HttpError} 401 `token-expired` when `exp` has passed, 401 `invalid-identity` otherwise.
 *
 * @example
 * const { sub, name } = await verifyIdentityToken(body.identity.token, process.env.IDENTITY_SECRET)
 */
export async function verifyIdentityToken(token, secret, nowMs = Date.now()) {
  /** @type {import('jose').JWTPayload} */
  let claims
  try {
    ;({ payload: claims } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      requiredClaims: ['sub', 'exp'],
      currentDate: new Date(nowMs)
    }))
  } catch (error) {
    throw refusal(error)
  }

  const { sub, exp, iat, nbf, name, email } = claims
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw invalid('The identity token needs "sub": the user id, a string of 1 to 200 characters')
  }
  for (const [claim, value, max] of /** @type {const} */ ([['name', name, 200], ['email', email, 320]])) {
    if (value !== undefined && (typeof value !== 'string' || value.length > max)) {
      throw invalid(`The identity token's "${claim}" must be a string of at most ${max} characters`)
    }
  }

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
 * @returns {Promise<string>}
 *
 * @example
 * const iat = Math.floor(Date.now() / 1000)
 * await signIdentityToken({ sub: 'user-42', name: 'Ada', iat, exp: iat + 3600 }, secret)
 */
export function signIdentityToken(claims, secret) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key(secret))
}

/** @param {string} secret */
const key = (secret) => new TextEncoder().encode(secret)

/**
 * What a person should read when `jose` refused a token. Anything that is not a refusal of the
 * token is a bug and goes on as it is.
 * @param {unknown} error
 */
function refusal(error) {
  if (!(error instanceof errors.JOSEError)) return error
  if (error instanceof errors.JWTExpired) {
    return new HttpError(401, 'token-expired', 'The identity token has expired: ask the site for a new one')
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('The identity token must be signed with HS256')
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('The identity token signature does not match the identity secret')
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return invalid('The identity token is not valid yet ("nbf")')
    return invalid(`The identity token's claims were refused: ${error.message}`)
  }
  return invalid(`The identity token is not a JWT signed with HS256: ${error.message}`)
}

/** @param {string} message */
const invalid = (message) => new HttpError(401, 'invalid-identity', message)
