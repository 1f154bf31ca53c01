import type { VisitorSession } from '../transports/types.js'

/**
 * Who the data on this device belongs to: `u-<user id>` for an identified user, `v-<visitor id>` for
 * an anonymous visitor. Two people who share a device never share a partition.
 */
export function personOf(session: VisitorSession): string {
  return session.identified ? `u-${session.identified.id}` : `v-${session.visitorId}`
}

/** The IndexedDB database of one person on one site. */
export function personDatabase(site: string, person: string): string {
  return `confab-${encodeURIComponent(site)}-${encodeURIComponent(person)}`
}
