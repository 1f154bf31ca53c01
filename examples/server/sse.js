// @ts-check

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').StoredEvent} StoredEvent */
/** @typedef {import('./store.js').Author} Author */

/**
 * Who a stream is for: one visitor (their own conversations) or the agents (everything).
 * @typedef {{ agent: true } | { agent: false, visitorId: string }} Audience
 */
/**
 * @typedef {object} Stream
 * @property {Audience} audience
 * @property {import('node:http').ServerResponse} res
 */

/** A stream whose client reads slower than this many buffered bytes is dropped; it resumes by id. */
const MAX_BUFFERED = 1024 * 1024

/**
 * Server-sent event streams over the store's events: replay after a cursor, then live.
 *
 * Durable events (`message`, `conversation`) carry the store's event id. `typing` is ephemeral:
 * sent live without an `id:` line (so it leaves the client's last event id alone) and never
 * replayed.
 *
 * @param {{ store: Store, pingMs?: number }} options
 *
 * @example
 * const streams = createStreams({ store })
 * streams.open(req, res, { agent: true }, lastEventId)
 */
export function createStreams({ store, pingMs = 15_000 }) {
  /** @type {Set<Stream>} */
  const streams = new Set()

  store.onEvent((event) => {
    for (const stream of streams) if (sees(stream.audience, event.visitorId)) send(stream, frame(stream.audience, event))
  })

  /**
   * One event in wire format. Agents also learn whose conversation it is.
   * @param {Audience} audience
   * @param {StoredEvent} event
   */
  function frame(audience, event) {
    const data =
      event.type === 'message'
        ? { message: event.message }
        : {
            conversation: audience.agent
              ? { ...event.conversation, visitorId: event.visitorId, visitor: store.visitorSummary(event.visitorId) }
              : event.conversation
          }
    return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`
  }

  /**
   * @param {Stream} stream
   * @param {string} text
   */
  function send(stream, text) {
    if (stream.res.writableLength > MAX_BUFFERED) {
      stream.res.destroy()
      return
    }
    stream.res.write(text)
  }

  return {
    /**
     * Answer `res` with an event stream. With a `cursor`, first replay every later event the
     * audience may see, or a `reset` when they are no longer all kept.
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
      /** @type {Stream} */
      const stream = { audience, res }
      let text = 'retry: 1000\n\n'
      if (cursor !== undefined) {
        const { events, reset } = store.since(cursor)
        if (reset) text += `id: ${store.lastEventId()}\nevent: reset\ndata: {}\n\n`
        for (const event of events) if (sees(audience, event.visitorId)) text += frame(audience, event)
      }
      res.write(text)
      // Registered in the same tick as the replay was read, so no event falls in between.
      streams.add(stream)
      const ping = setInterval(() => send(stream, ': ping\n\n'), pingMs)
      res.once('close', () => {
        clearInterval(ping)
        streams.delete(stream)
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
      const text = `event: typing\ndata: ${JSON.stringify({ conversationId, author, typing })}\n\n`
      for (const stream of streams) {
        const { audience } = stream
        if (audience.agent || (author.role !== 'visitor' && audience.visitorId === visitorId)) send(stream, text)
      }
    },

    /**
     * End the streams of one visitor (its token stopped working: it was merged into a user; or a
     * fault test cuts them). A client that reconnects resumes, or is refused with 401 once merged.
     * @param {string} visitorId
     * @returns {number} how many streams were ended
     */
    disconnect(visitorId) {
      let ended = 0
      for (const stream of streams) {
        if (!stream.audience.agent && stream.audience.visitorId === visitorId) {
          stream.res.end()
          streams.delete(stream)
          ended++
        }
      }
      return ended
    },

    /**
     * Write `text` unchanged to the open streams of one visitor: fault injection sends malformed
     * or unknown events this way.
     * @param {string} visitorId
     * @param {string} text
     * @returns {number} how many streams it was written to
     */
    writeRaw(visitorId, text) {
      let written = 0
      for (const stream of streams) {
        if (!stream.audience.agent && stream.audience.visitorId === visitorId) {
          send(stream, text)
          written++
        }
      }
      return written
    },

    /** End every open stream (the server is shutting down). */
    closeAll() {
      for (const stream of streams) stream.res.end()
      streams.clear()
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
