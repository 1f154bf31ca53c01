import type { ReadableAtom } from 'nanostores'
import { checkAttributes, checkTrackedEvent, pageOf } from '../content/visitor.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import type { JsonValue, PageContext, Transport, VisitorAttributeChanges, VisitorSession } from '../transports/types.js'
import { backoffDelay } from '../util/backoff.js'
import { randomId } from '../util/ids.js'
import type { Timers } from '../util/timers.js'

/** What the visitor context needs: the adapter, the session, and the page. */
export interface VisitorContextDeps {
  /** The adapter itself (its methods are called on it, so a class keeps its `this`). */
  transport: Transport
  /** Start the session, or join the start under way. */
  connect(): Promise<void>
  /** The session's life: aborted when it stops (shutdown, identify, a wipe). */
  currentSignal(): AbortSignal
  /** The session; `null` once the person's data is gone (shutdown, another user, an ended chat). */
  $session: ReadableAtom<VisitorSession | null>
  timers: Timers
  random: () => number
  now: () => number
  crypto: Crypto
  /** The page the visitor is on, when known. */
  page(): PageContext | undefined
  /** Where a failure nobody waits for goes (the page told at the start of a session). */
  report(error: ConfabError): void
}

/** Changes waiting to go in one `updateVisitor` call, with the callers waiting for them. */
interface Batch {
  attributes: VisitorAttributeChanges
  page?: PageContext
  /** The person they were made for: aborted once their data is gone, and then they go nowhere. */
  person: AbortSignal
  settle: [resolve: () => void, reject: (error: unknown) => void][]
}

/**
 * The visitor's attributes, page and tracked events, told to the backend: each checked against
 * `VISITOR_LIMITS` before anything goes, then delivered while the session lives, retried with
 * backoff while the failure may pass. Updates go one at a time, in order, and those made while one
 * is on its way go together in the next (so the last write of a key is the one the backend keeps);
 * an event keeps its client id through every retry, so the backend stores it once. What waits
 * outlives a session that starts again for the same person (`identify()` of the anonymous visitor,
 * whom the backend merges into the user), not the person's data (shutdown, another user).
 *
 * @example
 * const context = createVisitorContext({ transport, connect, currentSignal, timers, random, now, crypto, page, report })
 * await context.update({ plan: 'pro' })
 * await context.trackEvent('order:placed', { orderId: 42 })
 */
export function createVisitorContext(deps: VisitorContextDeps) {
  const { transport } = deps
  const waiting: Batch[] = []
  let pumping = false
  let person = new AbortController()
  const forget = () => {
    person.abort()
    person = new AbortController()
  }
  // Another user's session, an ended chat: the data of the person they were for is gone.
  deps.$session.listen((session) => session || forget())

  const unsupported = (what: string) => createError('unsupported', `The ${transport.name} transport does not take ${what}`)

  /** Wait `ms`, or less if the session stops meanwhile. */
  const pause = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const handle = deps.timers.setTimeout(done, ms)
      signal.addEventListener('abort', done, { once: true })
      function done() {
        deps.timers.clearTimeout(handle)
        signal.removeEventListener('abort', done)
        resolve()
      }
    })

  /** Run `call` once a session is up, again after failures that may pass, for as long as the person's data lives. */
  async function deliver(what: string, of: AbortSignal, call: (signal: AbortSignal) => Promise<void>): Promise<void> {
    for (let attempt = 0; !of.aborted; attempt++) {
      let life: AbortSignal | undefined
      try {
        life = deps.currentSignal()
        await deps.connect()
        // Stopped while it started (identify()): wait for the next start.
        if (life.aborted) continue
        if (!of.aborted) return await call(life)
      } catch (caught) {
        const error = toConfabError(caught, `${what} failed`)
        // The session stopped under it (identify()): the next one sends it again.
        if (of.aborted || life?.aborted) continue
        if (!error.retryable) throw error
        await pause(Math.max(backoffDelay(attempt, { random: deps.random }), error.retryAfter ?? 0), of)
      }
    }
    throw createError('closed', `${what}: the visitor's data was deleted before the backend took it`)
  }

  async function pump(): Promise<void> {
    if (pumping) return
    pumping = true
    for (let batch = waiting.shift(); batch; batch = waiting.shift()) {
      const { attributes, page, person: of, settle } = batch
      try {
        await deliver('update()', of, (live) => transport.updateVisitor!(page ? { attributes, page } : { attributes }, { signal: live }))
        for (const [resolve] of settle) resolve()
      } catch (error) {
        for (const [, reject] of settle) reject(error)
      }
    }
    pumping = false
  }

  /** Queue checked changes, with the page as it is now, joining the last batch of this person that still has room. */
  function queue(attributes: VisitorAttributeChanges): Promise<void> {
    const of = person.signal
    const last = waiting[waiting.length - 1]
    const joined = last?.person === of ? checkAttributes({ ...last.attributes, ...attributes }) : undefined
    const batch: Batch = joined?.ok ? last! : { attributes, person: of, settle: [] }
    if (joined?.ok) batch.attributes = joined.attributes
    else waiting.push(batch)
    const page = deps.page()
    if (page) batch.page = page
    const done = new Promise<void>((resolve, reject) => batch.settle.push([resolve, reject]))
    void pump()
    return done
  }

  return {
    /** `client.update()`: see its documentation. */
    update(attributes: VisitorAttributeChanges = {}): Promise<void> {
      const checked = checkAttributes(attributes)
      if (!checked.ok) {
        return Promise.reject(createError('invalid-argument', `update(attributes): ${checked.problem.message}`, { data: checked.problem }))
      }
      if (!transport.updateVisitor) return Promise.reject(unsupported('visitor attributes'))
      return queue(checked.attributes)
    },

    /** `client.trackEvent()`: see its documentation. */
    trackEvent(name: string, metadata?: { [key: string]: JsonValue }): Promise<void> {
      // The id exists before anything asynchronous, so every retry carries the same idempotency key.
      const given = { clientId: randomId(deps.crypto), name, at: deps.now(), ...(metadata === undefined ? {} : { metadata }) }
      const checked = checkTrackedEvent(given)
      if (!checked.ok) {
        return Promise.reject(createError('invalid-argument', `trackEvent(name, metadata): ${checked.problem.message}`, { data: checked.problem }))
      }
      if (!transport.trackEvent) return Promise.reject(unsupported('tracked events'))
      return deliver('trackEvent()', person.signal, (live) => transport.trackEvent!(checked.event, { signal: live }))
    },

    /** The person's data is being deleted (shutdown, in this tab or another): what waits goes nowhere. */
    forget,

    /** A session started: tell the backend which page the visitor is on (with what waits to go). */
    started(): void {
      if (!transport.updateVisitor || !deps.page()) return
      queue({}).catch((error: ConfabError) => error.code !== 'closed' && deps.report(error))
    }
  }
}

/** The page the browser shows (`location`, `document`), or `undefined` outside a browser. */
export const browserPage = (): PageContext | undefined =>
  typeof location === 'undefined' || typeof document === 'undefined' ? undefined : pageOf(location.href, document.title, document.referrer)
