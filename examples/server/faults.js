// @ts-check
import { HttpError, badRequest } from './http.js'

/**
 * Failures the server injects into the visitor API, to test how clients cope. Off by default.
 * @typedef {object} FaultConfig
 * @property {number} [dropAfterCommit] Chance (0..1) that a visitor `POST` is carried out and stored,
 *   but its connection is then cut instead of answered: a lost response.
 * @property {number} [fail503] Chance (0..1) that a visitor request is refused with `503` before anything happens.
 * @property {number} [seed] Seed of the random generator, so a run can be repeated. Default 1.
 */

/**
 * Failures aimed at one visitor (`POST /v1/_faults/visitors/:id`), so a test can break exactly the
 * request it is about while other visitors go on. Counts go down as requests use them.
 * @typedef {object} VisitorFaults
 * @property {number} refuseNext The visitor's next requests refused before anything happens.
 * @property {number} status The status of those refusals: 429, or 500 to 599.
 * @property {number} retryAfter Their `Retry-After`, in seconds.
 * @property {number} dropNext The visitor's next successful `POST`s stored, then left unanswered.
 * @property {boolean} expired Its session tokens answer 401 until it starts a session again.
 */

/**
 * A change to one visitor's faults, as `POST /v1/_faults/visitors/:id` takes it: the stream actions
 * happen at once, the rest replaces what it names.
 * @typedef {object} VisitorFaultChange
 * @property {number} [refuseNext]
 * @property {number} [status]
 * @property {number} [retryAfter]
 * @property {number} [dropNext]
 * @property {boolean} [expireSession]
 * @property {boolean} [endStreams] End the visitor's open event connections (streams, WebSockets, polls) now.
 * @property {boolean} [silent] `true`: its open event connections go silent now, without closing;
 *   `false`: end the ones still silent.
 * @property {string} [sendRaw] Write this text, unchanged, to the visitor's open event streams now.
 */

/** @type {VisitorFaults} */
const NO_VISITOR_FAULTS = { refuseNext: 0, status: 503, retryAfter: 1, dropNext: 0, expired: false }

/**
 * @param {FaultConfig} [initial]
 *
 * @example
 * const faults = createFaults({ fail503: 0.2, seed: 7 })
 * if (faults.fail503()) refuse()
 */
export function createFaults(initial = {}) {
  let config = parseFaults(initial)
  let random = mulberry32(config.seed ?? 1)
  /** @param {number | undefined} chance */
  const roll = (chance) => chance !== undefined && chance > 0 && random() < chance
  /** @type {Map<string, VisitorFaults>} */
  const visitors = new Map()

  return {
    /**
     * Replace the configuration and restart the random sequence from its seed. Faults aimed at
     * visitors are dropped too, so `{}` turns everything off.
     * @param {FaultConfig} next
     */
    set(next) {
      config = next
      random = mulberry32(next.seed ?? 1)
      visitors.clear()
    },
    get: () => ({ ...config }),
    fail503: () => roll(config.fail503),
    dropAfterCommit: () => roll(config.dropAfterCommit),

    /**
     * Change one visitor's faults and answer them as they now stand.
     * @param {string} visitorId
     * @param {VisitorFaultChange} change
     * @returns {VisitorFaults}
     */
    aim(visitorId, { refuseNext, status, retryAfter, dropNext, expireSession }) {
      const current = visitors.get(visitorId) ?? NO_VISITOR_FAULTS
      const next = {
        refuseNext: refuseNext ?? current.refuseNext,
        status: status ?? current.status,
        retryAfter: retryAfter ?? current.retryAfter,
        dropNext: dropNext ?? current.dropNext,
        expired: expireSession ?? current.expired
      }
      visitors.set(visitorId, next)
      return { ...next }
    },

    /**
     * The refusal due for this request of `visitorId`, if any: 401 while its session is expired,
     * else the next counted refusal.
     * @param {string} visitorId
     * @returns {HttpError | undefined}
     */
    refusal(visitorId) {
      const aimed = visitors.get(visitorId)
      if (!aimed) return undefined
      if (aimed.expired) {
        return new HttpError(401, 'unauthorized', 'Injected fault: the session expired, start a new one', {
          'www-authenticate': 'Bearer'
        })
      }
      if (aimed.refuseNext === 0) return undefined
      aimed.refuseNext--
      const limited = aimed.status === 429
      return new HttpError(
        aimed.status,
        limited ? 'rate-limited' : 'unavailable',
        limited ? 'Injected fault: too many requests, slow down' : 'Injected fault: the server is unavailable, try again',
        { 'retry-after': String(aimed.retryAfter) }
      )
    },

    /**
     * Whether this successful `POST` of `visitorId` is to be left unanswered (counts it down).
     * @param {string} visitorId
     */
    dropNext(visitorId) {
      const aimed = visitors.get(visitorId)
      if (!aimed || aimed.dropNext === 0) return false
      aimed.dropNext--
      return true
    },

    /**
     * The visitor started a session again: an injected expiry is over.
     * @param {string} visitorId
     */
    renew(visitorId) {
      const aimed = visitors.get(visitorId)
      if (aimed) aimed.expired = false
    }
  }
}

/**
 * Check a fault configuration (from options or `POST /v1/_faults`).
 * @param {Record<string, unknown>} body
 * @returns {FaultConfig}
 */
export function parseFaults(body) {
  /** @type {FaultConfig} */
  const config = {}
  for (const name of /** @type {const} */ (['dropAfterCommit', 'fail503'])) {
    const value = body[name]
    if (value === undefined) continue
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw badRequest(`"${name}" must be a number from 0 to 1`)
    config[name] = value
  }
  if (body.seed !== undefined) {
    if (!Number.isSafeInteger(body.seed)) throw badRequest('"seed" must be an integer')
    config.seed = /** @type {number} */ (body.seed)
  }
  return config
}

/**
 * Check a change to one visitor's faults (the body of `POST /v1/_faults/visitors/:id`).
 * @param {Record<string, unknown>} body
 * @returns {VisitorFaultChange}
 */
export function parseVisitorFaults(body) {
  /** @type {VisitorFaultChange} */
  const change = {}
  /** @type {[keyof VisitorFaultChange & ('refuseNext' | 'dropNext' | 'retryAfter'), number][]} */
  const counts = [['refuseNext', 1000], ['dropNext', 1000], ['retryAfter', 3600]]
  for (const [name, max] of counts) {
    const value = body[name]
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || /** @type {number} */ (value) < 0 || /** @type {number} */ (value) > max) {
      throw badRequest(`"${name}" must be an integer from 0 to ${max}`)
    }
    change[name] = /** @type {number} */ (value)
  }
  const { status } = body
  if (status !== undefined) {
    if (!Number.isSafeInteger(status) || (status !== 429 && !(/** @type {number} */ (status) >= 500 && /** @type {number} */ (status) <= 599))) {
      throw badRequest('"status" must be 429 or 500 to 599')
    }
    change.status = /** @type {number} */ (status)
  }
  for (const name of /** @type {const} */ (['expireSession', 'endStreams', 'silent'])) {
    const value = body[name]
    if (value === undefined) continue
    if (typeof value !== 'boolean') throw badRequest(`"${name}" must be true or false`)
    change[name] = value
  }
  if (body.sendRaw !== undefined) {
    if (typeof body.sendRaw !== 'string' || body.sendRaw === '') throw badRequest('"sendRaw" must be a non-empty string')
    change.sendRaw = body.sendRaw
  }
  return change
}

/**
 * A small seeded generator of numbers in [0, 1) (mulberry32).
 * @param {number} seed
 */
function mulberry32(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** @typedef {ReturnType<typeof createFaults>} Faults */
