// @ts-check
import { badRequest } from './http.js'

/** Conversation ids this server mints: `c_` and base64url characters. */
const CONVERSATION_ID = /^c_[A-Za-z0-9_-]{1,64}$/

/**
 * A required string field of a JSON body, 1 to `max` characters.
 * @param {Record<string, unknown>} body
 * @param {string} name
 * @param {number} max
 * @returns {string}
 */
export function stringField(body, name, max) {
  const value = body[name]
  if (value === undefined) throw badRequest(`"${name}" is missing`)
  if (typeof value !== 'string') throw badRequest(`"${name}" must be a string`)
  if (value.length === 0 || value.length > max) throw badRequest(`"${name}" must be 1 to ${max} characters long`)
  return value
}

/**
 * Like {@link stringField}, but absent is fine.
 * @param {Record<string, unknown>} body
 * @param {string} name
 * @param {number} max
 * @returns {string | undefined}
 */
export function optionalStringField(body, name, max) {
  return body[name] === undefined ? undefined : stringField(body, name, max)
}

/**
 * @param {Record<string, unknown>} body
 * @param {string} name
 */
export function booleanField(body, name) {
  const value = body[name]
  if (typeof value !== 'boolean') throw badRequest(`"${name}" must be true or false`)
  return value
}

/**
 * @param {Record<string, unknown>} body
 * @returns {'chat' | 'messaging'}
 */
export function modeField(body) {
  const mode = body.mode
  if (mode !== 'chat' && mode !== 'messaging') throw badRequest('"mode" must be "chat" or "messaging"')
  return mode
}

/**
 * A conversation id taken from the path, checked before it reaches the store.
 * @param {string} raw
 */
export function conversationId(raw) {
  if (!CONVERSATION_ID.test(raw)) throw badRequest(`"${raw.slice(0, 80)}" is not a conversation id`)
  return raw
}

/**
 * A non-negative decimal integer from the query string (a message cursor or an event id).
 * @param {string | null | undefined} value
 * @param {string} name
 * @returns {number | undefined}
 */
export function decimalParam(value, name) {
  if (value === null || value === undefined) return undefined
  const number = /^\d{1,15}$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(number)) throw badRequest(`"${name}" must be a decimal number, got "${value.slice(0, 40)}"`)
  return number
}

/**
 * An optional decimal field of a JSON message (the WebSocket `auth` message's `cursor`): absent, null
 * or empty is none; a decimal string or a whole number is read like {@link decimalParam}; anything else
 * (an object, an array, a boolean) is refused before it is turned into a string.
 * @param {Record<string, unknown>} body
 * @param {string} name
 * @returns {number | undefined}
 */
export function optionalDecimalField(body, name) {
  const value = body[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string' && typeof value !== 'number') {
    const got = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
    throw badRequest(`"${name}" must be a decimal number, got ${got}`)
  }
  return decimalParam(String(value), name)
}

/**
 * `?limit=`: a positive integer, capped at `max`.
 * @param {URLSearchParams} query
 * @param {number} fallback
 * @param {number} max
 */
export function limitParam(query, fallback, max) {
  const limit = decimalParam(query.get('limit'), 'limit') ?? fallback
  if (limit < 1) throw badRequest('"limit" must be at least 1')
  return Math.min(limit, max)
}
