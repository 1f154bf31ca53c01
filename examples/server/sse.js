// @ts-check

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').StoredEvent} StoredEvent */
/** @typedef {import('./store.js').Author} Author */

/**
 * Who a stream is for: one visitor (their own conversations) or the agents (everything).
 * @typedef {{ agent: true } | { agent: false, visitorId: string }} Audience
 */
/**
 * One event as every kind of connection carries it: the SSE `event:` name, `id:` and `data:` object.
 * @typedef {{ event: string, id?: number, data: Record<string, unknown> }} WireEvent
 */
/**
 * One open event connection of any kind (an SSE response, a WebSocket, a held long poll).
 * @typedef {object} Subscriber
 * @property {Audience} audience
 * @property {import('node:net').Socket} socket Its TCP connection.
 * @property {(event: WireEvent) => void} send Deliver one event.
 * @property {(text: string) => void} write Write `text` as it is, in the connection's own unit: SSE
 *   bytes, one WebSocket text message, the body of a poll's answer.
 * @property {() => void} end Close the connection; the client resumes from its last event id.
 */

/**
 * A stream whose client reads too slowly is dropped (it resumes by id): when this many bytes of
 * live events were written while the connection was backed up (Node holding bytes the kernel would
 * not take yet), since it last drained. The replay on connecting never counts: it is written in one
 * go, before the client could read any of it, however fast the client is.
 */
export const MAX_BUFFERED = 1024 * 1024

/**
 * The slow-client check of one connection: `counts(bytes)` before writing live bytes says whether
 * they still fit; past {@link MAX_BUFFERED} the caller drops the connection.
 * @param {import('node:stream').Writable | import('node:http').ServerResponse} out
 */
export function backlog(out) {
  let held = 0
  out.on('drain', () => {
    held = 0
  })
  return {
    /** @param {number} bytes */
    counts: (bytes) => !out.writableNeedDrain || (held += bytes) <= MAX_BUFFERED
  }
}

/**
 * An event as a JSON object (WebSocket frames, long-poll batches): the SSE data object with the
 * event name as `event` and the id, a decimal string, as `id`.
 * @param {WireEvent} wire
 */
export const jsonEvent = ({ event, id, data }) => ({ event, ...(id === undefined ? {} : { id: String(id) }), ...data })

/**
 * The event connections over the store's events: replay after a cursor, then live. Server-sent event
 * streams are made here (`open`); WebSockets (routes/socket.js) and long polls (poll.js) `attach`.
 *
 * Durable events (`message`, `conversation`, `read`) carry the store's event id. `typing` (and, to agents,
 * `postback`, `visitor` and `visitor-event`) is ephemeral: sent live without an id (so it leaves the
 * client's last event id alone) and never replayed.
 *
 * @param {{ store: Store, pingMs?: number }} options
 *
 * @example
 * const streams = createStreams({ store })
 * streams.open(req, res, { agent: true }, lastEventId)
 */
export function createStreams({ store, pingMs = 15_000 }) {
  /** @type {Set<Subscriber>} */
  const subscribers = new Set()

  store.onEvent((event) => {
    for (const sub of subscribers) if (sees(sub.audience, event.visitorId)) sub.send(wire(sub.audience, event))
  })
  // Agents see postbacks as they come (the console shows them in the thread); never replayed, and
  // never sent to visitors, whose own postbacks show nothing.
  store.onPostback((postback) => {
    for (const sub of subscribers) if (sub.audience.agent) sub.send({ event: 'postback', data: { postback } })
  })
  // The same for what the site tells of its visitors (attributes and page, tracked events): agents only.
  store.onVisitorChange(({ type, ...data }) => {
    for (const sub of subscribers) if (sub.audience.agent) sub.send({ event: type === 'update' ? 'visitor' : 'visitor-event', data })
  })

  /**
   * One stored event as the audience sees it. Agents also learn whose conversation it is.
   * @param {Audience} audience
   * @param {StoredEvent} event
   * @returns {WireEvent}
   */
  function wire(audience, event) {
    if (event.type === 'read') {
      const { conversationId, mark } = event
      return { event: 'read', id: event.id, data: { conversationId, reader: mark.reader, messageId: mark.messageId, at: mark.at } }
    }
    const data =
      event.type === 'message'
        ? { message: event.message }
        : {
            conversation: audience.agent
              ? { ...event.conversation, visitorId: event.visitorId, visitor: store.visitorSummary(event.visitorId) }
              : event.conversation
          }
    return { event: event.type, id: event.id, data }
  }

  return {
    /**
     * What a connection resuming after `cursor` must get first: every later event the audience may
     * see, or one `reset` (with the newest id) when they are no longer all kept. Nothing without a
     * cursor. Attach in the same tick, so no event falls in between.
     * @param {Audience} audience
     * @param {number | undefined} cursor
     * @returns {WireEvent[]}
     */
    replay(audience, cursor) {
      if (cursor === undefined) return []
      const { events, reset } = store.since(cursor)
      if (reset) return [{ event: 'reset', id: store.lastEventId(), data: {} }]
      return events.filter((event) => sees(audience, event.visitorId)).map((event) => wire(audience, event))
    },

    /**
     * Start delivering live events to `sub`. Returns the function that stops it.
     * @param {Subscriber} sub
     */
    attach(sub) {
      subscribers.add(sub)
      return () => {
        subscribers.delete(sub)
      }
    },

    /**
     * Answer `res` with a server-sent event stream, replaying after `cursor` first.
     *
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     * @param {Audience} audience
     * @param {number | undefined} cursor
     */
    open(req, res, audience, cursor) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store, no-transform',
        connection: 'keep-alive',
        // Tell buffering proxies (nginx) to pass events through as they come.
        'x-accel-buffering': 'no'
      })
      res.flushHeaders()
      const slow = backlog(res)
      /** @param {string} text */
      const write = (text) => {
        if (slow.counts(Buffer.byteLength(text))) res.write(text)
        else res.destroy()
      }
      /** @param {WireEvent} event */
      const format = ({ event, id, data }) => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
      /** @type {Subscriber} */
      const sub = {
        audience,
        socket: req.socket,
        send: (event) => write(format(event)),
        write,
        end: () => res.end()
      }
      // The `id:` (a block without data, so no event) is where the stream starts: a client that
      // reconnects before any event came resumes from there, rather than live, losing the gap.
      res.write(`retry: 1000\nid: ${cursor ?? store.lastEventId()}\n\n`)
      for (const event of this.replay(audience, cursor)) res.write(format(event))
      const detach = this.attach(sub)
      const ping = setInterval(() => write(': ping\n\n'), pingMs)
      res.once('close', () => {
        clearInterval(ping)
        detach()
      })
      req.socket.setNoDelay(true)
    },

    /**
     * Tell the other side someone is typing. A visitor's typing goes to agents; an agent's to the
     * visitor and the other agents.
     *
     * @param {{ visitorId: string, conversationId: string, author: Author, typing: boolean }} notice
     */
    typing({ visitorId, conversationId, author, typing }) {
      const event = { event: 'typing', data: { conversationId, author, typing } }
      for (const sub of subscribers) {
        const { audience } = sub
        if (audience.agent || (author.role !== 'visitor' && audience.visitorId === visitorId)) sub.send(event)
      }
    },

    /**
     * The open connections of one visitor (of every visitor when `visitorId` is undefined); agents'
     * never.
     * @param {string | undefined} visitorId
     * @returns {Subscriber[]}
     */
    connections: (visitorId) =>
      [...subscribers].filter((sub) => !sub.audience.agent && (visitorId === undefined || sub.audience.visitorId === visitorId)),

    /**
     * Stop delivering to `sub` and close it.
     * @param {Subscriber} sub
     */
    end(sub) {
      subscribers.delete(sub)
      sub.end()
    },

    /**
     * End the connections of one visitor: its token stopped working (it was merged into a user). A
     * client that reconnects is refused with 401.
     * @param {string} visitorId
     * @returns {number} how many connections were ended
     */
    disconnect(visitorId) {
      const ended = this.connections(visitorId)
      for (const sub of ended) this.end(sub)
      return ended.length
    },

    /** End every open connection (the server is shutting down). */
    closeAll() {
      for (const sub of subscribers) sub.end()
      subscribers.clear()
    }
  }
}

/**
 * @param {Audience} audience
 * @param {string} visitorId
 */
function sees(audience, visitorId) {
  return audience.agent || audience.visitorId === visitorId
}

/** @typedef {ReturnType<typeof createStreams>} Streams */
