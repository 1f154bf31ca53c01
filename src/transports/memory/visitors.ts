import type { ContentProblem } from '../../content/check.js'
import { checkTrackedEvent, checkVisitorUpdate, keepEvent, mergeAttributes, mergeVisitors } from '../../content/visitor.js'
import { createError } from '../../errors/index.js'
import type { VisitorDetails } from '../types.js'

/** A problem with what a visitor sent, as the reference server answers it: 400, or 413 for a size limit. */
const refused = (problem: ContentProblem) =>
  createError('invalid-argument', problem.message, { status: problem.tooLarge ? 413 : 400, retryable: false, data: problem })

/**
 * What the memory backend knows of its visitors besides their conversations, with the reference
 * server's rules: attributes merged (the last write wins, `null` deletes, the limits of
 * `VISITOR_LIMITS` on each update and on the whole), the last page, and the newest
 * `VISITOR_LIMITS.events` tracked events, each client id once. Faults for tests.
 */
export function createMemoryVisitors(now: () => number) {
  const known = new Map<string, VisitorDetails>()
  let failures = { count: 0, error: new Error(), stored: false }

  const details = (visitorId: string): VisitorDetails => {
    let found = known.get(visitorId)
    if (!found) known.set(visitorId, (found = { attributes: {}, events: [] }))
    return found
  }

  /** Run `store`, failing before or after it as the next failure aimed at these calls says. */
  function faulty(store: () => void): void {
    const failure = failures.count > 0 ? failures : undefined
    if (failure) failure.count--
    if (failure && !failure.stored) throw failure.error
    store()
    if (failure) throw failure.error
  }

  return {
    update(visitorId: string, given: unknown): void {
      faulty(() => {
        const checked = checkVisitorUpdate(given)
        if (!checked.ok) throw refused(checked.problem)
        const target = details(visitorId)
        const merged = mergeAttributes(target.attributes, checked.update.attributes)
        if (!merged.ok) throw refused(merged.problem)
        target.attributes = merged.attributes
        if (checked.update.page) target.page = { ...checked.update.page, at: now() }
      })
    },
    track(visitorId: string, given: unknown): void {
      faulty(() => {
        const checked = checkTrackedEvent(given)
        if (!checked.ok) throw refused(checked.problem)
        const target = details(visitorId)
        target.events = keepEvent(target.events, checked.event)
      })
    },
    /** A copy of what is known of the visitor (nothing yet: no attributes, no events). */
    details: (visitorId: string): VisitorDetails => structuredClone(known.get(visitorId) ?? { attributes: {}, events: [] }),
    /**
     * The anonymous visitor `from` became the user `into` (the merge rule): the user's attributes win
     * over the visitor's, the newer page is kept, the events join the user's.
     */
    merge(from: string, into: string): void {
      const gone = known.get(from)
      if (!gone) return
      known.delete(from)
      known.set(into, mergeVisitors(details(into), gone))
    },
    /** Make the next `count` updates and tracked events fail with `error`; with `stored`, after they are stored. */
    failNext(count: number, error: Error, stored: boolean): void {
      failures = { count, error, stored }
    }
  }
}

export type MemoryVisitors = ReturnType<typeof createMemoryVisitors>
