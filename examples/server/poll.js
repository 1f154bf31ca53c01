// @ts-check
import { jsonEvent } from './sse.js'

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./sse.js').Streams} Streams */
/** @typedef {import('./sse.js').Audience} Audience */
/** @typedef {import('./sse.js').WireEvent} WireEvent */
/** @typedef {import('./sse.js').Subscriber} Subscriber */

/** The longest a poll is held; below the usual 30–60 s proxy idle timeouts. */
export const MAX_POLL_MS = 25_000

/**
 * Answer one long poll: the events after `cursor` at once when there are any, else the first live
 * ones, else an empty batch after `waitMs`. The status and headers go out at once, so the client
 * knows the poll was accepted while it waits; the body is `{ cursor, events }`.
 *
 * @param {{ req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse }} exchange
 * @param {{ store: Store, streams: Streams }} context
 * @param {Audience} audience
 * @param {number | undefined} cursor
 * @param {number} waitMs
 */
export function longPoll({ req, res }, { store, streams }, audience, cursor, waitMs) {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.flushHeaders()
  /** @type {WireEvent[]} */
  const batch = []
  /** @param {string} body */
  const answer = (body) => {
    clearTimeout(timer)
    detach()
    if (!res.writableEnded) res.end(body)
  }
  // Always on a later turn, after every event of a commit was published: the newest id then is a
  // safe cursor, since each event up to it was either in this batch or not for this audience.
  const flush = () => answer(JSON.stringify({ cursor: String(store.lastEventId()), events: batch.map(jsonEvent) }))
  /** @type {Subscriber} */
  const sub = {
    audience,
    send(event) {
      // The first event schedules the answer; events of the same tick join the batch.
      if (batch.push(event) === 1) setImmediate(flush)
    },
    socket: req.socket,
    write: answer,
    // The socket, not the response: a poll is also ended after its answer went out.
    end: () => req.socket.destroy()
  }
  for (const event of streams.replay(audience, cursor)) sub.send(event)
  const detach = streams.attach(sub)
  const timer = setTimeout(flush, waitMs)
  res.once('close', () => {
    clearTimeout(timer)
    detach()
  })
  req.socket.setNoDelay(true)
}
