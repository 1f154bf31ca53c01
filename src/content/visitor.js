// @ts-check
// The rules of what a site tells its backend about a visitor (src/transports/types.ts: `VisitorUpdate`,
// `PageContext`, `TrackedEvent`), in one place for the client (before it sends), the memory transport
// and the reference server. Plain JavaScript with JSDoc types, like check.js, so the server runs it
// from a clone with Node alone.

/** @typedef {import('../transports/types.js').JsonValue} JsonValue */
/** @typedef {import('../transports/types.js').PageContext} PageContext */
/** @typedef {import('../transports/types.js').TrackedEvent} TrackedEvent */
/** @typedef {import('../transports/types.js').VisitorAttributes} VisitorAttributes */
/** @typedef {import('../transports/types.js').VisitorAttributeChanges} VisitorAttributeChanges */
/** @typedef {import('../transports/types.js').VisitorUpdate} VisitorUpdate */
/** @typedef {import('./check.js').ContentProblem} ContentProblem */

/**
 * The limits of visitor attributes, page context and tracked events, the same for every backend that
 * follows the protocol. Lengths are JavaScript string lengths (UTF-16 code units); sizes are bytes of
 * UTF-8 JSON.
 */
export const VISITOR_LIMITS = Object.freeze({
  /** Attributes one visitor has, and one update names. */
  attributes: 50,
  /** Characters of an attribute's key (letters, digits, `_`, `.`, `-`). */
  key: 64,
  /** Characters of an attribute's string value. */
  value: 500,
  /** Bytes of a visitor's attributes (and of one update's) as UTF-8 JSON. */
  attributesBytes: 4096,
  /** Characters of an event's name (letters, digits, spaces, `_`, `.`, `:`, `-`). */
  eventName: 64,
  /** Bytes of an event's metadata as UTF-8 JSON. */
  eventMetadata: 2048,
  /** Characters of an event's client id. */
  clientId: 100,
  /** Characters of a page's URL (origin and path). */
  url: 2048,
  /** Characters of a page's title. */
  title: 200,
  /** Tracked events a backend keeps of one visitor (the newest): what agents see. */
  events: 100
})

const KEY = /^[A-Za-z0-9_.-]{1,64}$/
/** ASCII letters, digits, spaces and `_ . : -`, neither starting nor ending with a space. */
const EVENT_NAME = /^(?! )[\w .:-]{1,64}(?<! )$/
const WEB = /^https?:$/

class Problem extends Error {
  /** @param {string} path @param {string} message @param {boolean} [tooLarge] */
  constructor(path, message, tooLarge) {
    super(message)
    this.path = path
    this.tooLarge = tooLarge
  }
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** @param {string} text */
const bytes = (text) => new TextEncoder().encode(text).length

/**
 * Run `read`, turning a rule it finds broken into `{ ok: false, problem }`.
 * @template T
 * @param {() => T} read
 * @returns {{ ok: true, value: T } | { ok: false, problem: ContentProblem }}
 */
function attempt(read) {
  try {
    return { ok: true, value: read() }
  } catch (error) {
    if (!(error instanceof Problem)) throw error
    /** @type {ContentProblem} */
    const problem = { path: error.path, message: error.message }
    if (error.tooLarge) problem.tooLarge = true
    return { ok: false, problem }
  }
}

/**
 * A copy of `value` through JSON, at most `max` bytes as UTF-8 JSON, or a problem naming `at` (in
 * words: `subject`) and the limit.
 * @template T
 * @param {string} at @param {T} value @param {number} max @param {string} [subject]
 * @returns {T}
 */
function fits(at, value, max, subject = `"${at}" is`) {
  let text
  try {
    text = JSON.stringify(value)
  } catch {
    throw new Problem(at, `"${at}" is not JSON`)
  }
  if (bytes(text) > max) throw new Problem(at, `${subject} larger than ${max} bytes as JSON`, true)
  return JSON.parse(text)
}

/**
 * Changes to attributes, copied: keys and values checked, at most the limits in number and size.
 * @param {unknown} value @param {string} at
 * @returns {VisitorAttributeChanges}
 */
function changes(value, at) {
  if (!isObject(value)) throw new Problem(at, `"${at}" must be an object of keys and values`)
  const keys = Object.keys(value)
  if (keys.length > VISITOR_LIMITS.attributes) {
    throw new Problem(at, `"${at}" has ${keys.length} keys: at most ${VISITOR_LIMITS.attributes}`, true)
  }
  /** @type {[string, string | number | boolean | null][]} */
  const entries = keys.map((key) => {
    const path = `${at}.${key}`
    // `__proto__` would set an object's prototype wherever a consumer assigns it.
    if (!KEY.test(key) || key === '__proto__') {
      throw new Problem(path, `"${path}": a key is 1 to ${VISITOR_LIMITS.key} letters, digits, "_", "." or "-"`)
    }
    const item = value[key]
    if (typeof item === 'string' && item.length > VISITOR_LIMITS.value) {
      throw new Problem(path, `"${path}" is longer than ${VISITOR_LIMITS.value} characters`, true)
    }
    if (typeof item === 'number' && !Number.isFinite(item)) throw new Problem(path, `"${path}" must be a finite number`)
    if (item !== null && !['string', 'number', 'boolean'].includes(typeof item)) {
      throw new Problem(path, `"${path}" must be a string, a number, a boolean, or null to delete it`)
    }
    return [key, /** @type {string | number | boolean | null} */ (item)]
  })
  return fits(at, Object.fromEntries(entries), VISITOR_LIMITS.attributesBytes)
}

/**
 * An `http:` or `https:` URL that parses, or `undefined`.
 * @param {unknown} value
 */
function webUrl(value) {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return WEB.test(url.protocol) ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * A page as the protocol keeps it: the URL's origin and path only (a query or a fragment may hold a
 * token: they are cut, never stored), the title, the referrer's origin.
 * @param {unknown} value @param {string} at
 * @returns {PageContext}
 */
function page(value, at) {
  if (!isObject(value)) throw new Problem(at, `"${at}" must be an object: { url, title?, referrer? }`)
  const url = webUrl(value.url)
  if (!url) throw new Problem(`${at}.url`, `"${at}.url" must be an http: or https: URL`)
  const shown = `${url.origin}${url.pathname}`
  if (shown.length > VISITOR_LIMITS.url) throw new Problem(`${at}.url`, `"${at}.url" is longer than ${VISITOR_LIMITS.url} characters`, true)
  /** @type {PageContext} */
  const kept = { url: shown }
  const { title, referrer } = value
  if (title !== undefined) {
    if (typeof title !== 'string') throw new Problem(`${at}.title`, `"${at}.title" must be a string`)
    if (title.length > VISITOR_LIMITS.title) throw new Problem(`${at}.title`, `"${at}.title" is longer than ${VISITOR_LIMITS.title} characters`, true)
    if (title) kept.title = title
  }
  if (referrer !== undefined) {
    const from = webUrl(referrer)
    if (!from) throw new Problem(`${at}.referrer`, `"${at}.referrer" must be an http: or https: URL`)
    kept.referrer = from.origin
  }
  return kept
}

/**
 * Check changes to a visitor's attributes (`Confab('update', attributes)`): an object of at most 50
 * keys of 1 to 64 letters, digits, `_`, `.` or `-`, each a string of at most 500 characters, a finite
 * number, a boolean, or `null` to delete it; at most 4,096 bytes as JSON. The copy holds the same.
 *
 * @param {unknown} attributes
 * @returns {{ ok: true, attributes: VisitorAttributeChanges } | { ok: false, problem: ContentProblem }}
 * @example
 * checkAttributes({ plan: 'pro', seats: 12, trial: null }) // { ok: true, attributes: { … } }
 * checkAttributes({ 'my plan': 'pro' }).problem.message // '"attributes.my plan": a key is 1 to 64 letters, …'
 */
export function checkAttributes(attributes) {
  const checked = attempt(() => changes(attributes, 'attributes'))
  return checked.ok ? { ok: true, attributes: checked.value } : checked
}

/**
 * Check what `Transport.updateVisitor` delivers, `{ attributes, page? }`, as a backend does: the
 * attributes as {@link checkAttributes}, the page's URL cut to its origin and path, its referrer to
 * an origin. Unknown keys are left out.
 *
 * @param {unknown} update
 * @returns {{ ok: true, update: VisitorUpdate } | { ok: false, problem: ContentProblem }}
 * @example
 * const checked = checkVisitorUpdate(body)
 * if (!checked.ok) return reply(checked.problem.tooLarge ? 413 : 400, checked.problem.message)
 */
export function checkVisitorUpdate(update) {
  const checked = attempt(() => {
    if (!isObject(update)) throw new Problem('', 'The update must be an object: { attributes, page? }')
    /** @type {VisitorUpdate} */
    const kept = { attributes: update.attributes === undefined ? {} : changes(update.attributes, 'attributes') }
    if (update.page !== undefined) kept.page = page(update.page, 'page')
    return kept
  })
  return checked.ok ? { ok: true, update: checked.value } : checked
}

/**
 * A visitor's attributes after `changes` (checked): each key set, `null` deleting one; at most 50
 * attributes and 4,096 bytes as JSON in all, else a problem naming the limit.
 *
 * @param {VisitorAttributes} stored
 * @param {VisitorAttributeChanges} changed
 * @returns {{ ok: true, attributes: VisitorAttributes } | { ok: false, problem: ContentProblem }}
 * @example
 * mergeAttributes({ plan: 'free', seats: 1 }, { plan: 'pro', seats: null }) // { ok: true, attributes: { plan: 'pro' } }
 */
export function mergeAttributes(stored, changed) {
  const checked = attempt(() => {
    /** @type {Map<string, string | number | boolean>} */
    const merged = new Map(Object.entries(stored))
    for (const [key, value] of Object.entries(changed)) {
      if (value === null) merged.delete(key)
      else merged.set(key, value)
    }
    if (merged.size > VISITOR_LIMITS.attributes) {
      throw new Problem('attributes', `The visitor would have ${merged.size} attributes: at most ${VISITOR_LIMITS.attributes}`, true)
    }
    return fits('attributes', Object.fromEntries(merged), VISITOR_LIMITS.attributesBytes, "The visitor's attributes would be")
  })
  return checked.ok ? { ok: true, attributes: checked.value } : checked
}

/**
 * Check a tracked event (`Confab('trackEvent', name, metadata)`, `Transport.trackEvent`): a name of
 * 1 to 64 ASCII letters, digits, spaces, `_`, `.`, `:` or `-` (no space first or last), metadata a
 * JSON object of at most 2,048 bytes, a client id of 1 to 100 characters and a time in ms. Unknown
 * keys are left out.
 *
 * @param {unknown} event
 * @returns {{ ok: true, event: TrackedEvent } | { ok: false, problem: ContentProblem }}
 * @example
 * checkTrackedEvent({ clientId: 'e1', name: 'order:placed', metadata: { total: 42 }, at: Date.now() }).ok // true
 */
export function checkTrackedEvent(event) {
  const checked = attempt(() => {
    if (!isObject(event)) throw new Problem('', 'The event must be an object: { clientId, name, metadata?, at }')
    const { clientId, name, metadata, at } = event
    if (typeof name !== 'string' || !EVENT_NAME.test(name)) {
      const long = typeof name === 'string' && name.length > VISITOR_LIMITS.eventName
      throw new Problem(
        'name',
        `"name" must be 1 to ${VISITOR_LIMITS.eventName} letters, digits, spaces, "_", ".", ":" or "-" (no space first or last)`,
        long
      )
    }
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > VISITOR_LIMITS.clientId) {
      throw new Problem('clientId', `"clientId" must be a string of 1 to ${VISITOR_LIMITS.clientId} characters`)
    }
    if (!Number.isSafeInteger(at) || /** @type {number} */ (at) < 0) throw new Problem('at', '"at" must be a time in ms since the epoch')
    /** @type {TrackedEvent} */
    const kept = { clientId, name, at: /** @type {number} */ (at) }
    if (metadata !== undefined) {
      if (!isObject(metadata)) throw new Problem('metadata', '"metadata" must be an object')
      kept.metadata = /** @type {{ [key: string]: JsonValue }} */ (fits('metadata', metadata, VISITOR_LIMITS.eventMetadata))
    }
    return kept
  })
  return checked.ok ? { ok: true, event: checked.value } : checked
}

/**
 * The page a browser shows, as the widget tells the backend: the URL's origin and path, the title
 * (cut to its limit), the referrer's origin. `undefined` for a page that is not `http:` or `https:`
 * (a file, `about:blank`) or whose URL is too long.
 *
 * @param {string} href
 * @param {string} [title]
 * @param {string} [referrer]
 * @returns {PageContext | undefined}
 * @example
 * pageOf('https://shop.example/orders/42?token=abc#top', 'Order 42', 'https://www.google.com/search?q=x')
 * // { url: 'https://shop.example/orders/42', title: 'Order 42', referrer: 'https://www.google.com' }
 */
export function pageOf(href, title, referrer) {
  const url = webUrl(href)
  if (!url || url.origin.length + url.pathname.length > VISITOR_LIMITS.url) return undefined
  /** @type {PageContext} */
  const shown = { url: `${url.origin}${url.pathname}` }
  const name = title?.trim().slice(0, VISITOR_LIMITS.title)
  if (name) shown.title = name
  const from = webUrl(referrer)
  if (from) shown.referrer = from.origin
  return shown
}

/**
 * The events a backend keeps once `event` came: each client id once (a repeat changes nothing),
 * oldest first by `at`, the newest `VISITOR_LIMITS.events`. A new array.
 *
 * @template {TrackedEvent} E
 * @param {readonly E[]} events
 * @param {E} event
 * @returns {E[]}
 * @example
 * kept = keepEvent(kept, { clientId: 'e1', name: 'order:placed', at: 1767225600000 })
 */
export function keepEvent(events, event) {
  if (events.some((known) => known.clientId === event.clientId)) return [...events]
  return [...events, event].sort((a, b) => a.at - b.at).slice(-VISITOR_LIMITS.events)
}

/**
 * What a backend knows of a user once the anonymous visitor `from` became them (the merge rule): the
 * user's attributes win over the visitor's (the visitor's are left out altogether if both together
 * break a limit), the newer page stays, the events join.
 *
 * @template {TrackedEvent} E
 * @param {{ attributes: VisitorAttributes, page?: PageContext & { at: number }, events: E[] }} into
 * @param {{ attributes: VisitorAttributes, page?: PageContext & { at: number }, events: E[] }} from
 * @returns {{ attributes: VisitorAttributes, page?: PageContext & { at: number }, events: E[] }}
 */
export function mergeVisitors(into, from) {
  const merged = mergeAttributes(from.attributes, into.attributes)
  const page = from.page && (!into.page || from.page.at > into.page.at) ? from.page : into.page
  return {
    attributes: merged.ok ? merged.attributes : into.attributes,
    ...(page ? { page } : {}),
    events: from.events.reduce(keepEvent, into.events)
  }
}
