import type { Transport, TransportEvent } from '../../../src/transports/types.js'

/**
 * Subscribe to `made` and keep its events: `until` resolves when `test` holds (or fails after `ms`,
 * listing what arrived), `texts` and `statuses` are the messages' texts and the statuses so far.
 */
export function record(made: Transport) {
  const events: TransportEvent[] = []
  const wakers = new Set<() => void>()
  made.subscribe((event) => {
    events.push(event)
    for (const wake of [...wakers]) wake()
  })
  const until = (what: string, test: (list: TransportEvent[]) => boolean, ms = 4000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited for ${what}; got ${JSON.stringify(events.map((e) => [e.type, 'status' in e ? e.status : 'message' in e ? e.message.text : '']))}`)), ms)
      const check = () => {
        if (!test(events)) return
        clearTimeout(timer)
        wakers.delete(check)
        resolve()
      }
      wakers.add(check)
      check()
    })
  const texts = () => events.flatMap((e) => (e.type === 'message' ? [e.message.text] : []))
  const statuses = () => events.flatMap((e) => (e.type === 'status' ? [e.status] : []))
  return { events, until, texts, statuses }
}

/** Whether `list` (from index `from` on) holds an `online` status. */
export const online = (list: TransportEvent[], from = 0) => list.slice(from).some((e) => e.type === 'status' && e.status === 'online')
