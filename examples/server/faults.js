// @ts-check
import { badRequest } from './http.js'

/**
 * Failures the server injects into the visitor API, to test how clients cope. Off by default.
 * @typedef {object} FaultConfig
 * @property {number} [dropAfterCommit] Chance (0..1) that a visitor `POST` is carried out and stored,
 *   but its connection is then cut instead of answered: a lost response.
 * @property {number} [fail503] Chance (0..1) that a visitor request is refused with `503` before anything happens.
 * @property {number} [seed] Seed of the random generator, so a run can be repeated. Default 1.
 */

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

  return {
    /** Replace the configuration and restart the random sequence from its seed. @param {FaultConfig} next */
    set(next) {
      config = next
      random = mulberry32(next.seed ?? 1)
    },
    get: () => ({ ...config }),
    fail503: () => roll(config.fail503),
    dropAfterCommit: () => roll(config.dropAfterCommit)
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
