// @ts-check
import { HttpError, badRequest, bearer } from './http.js'
import { agentOnly } from './routes/agent.js'
import { findThread } from './routes/messages.js'
import { refuseUpgrade } from './routes/socket.js'

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').Visitor} Visitor */
/** @typedef {import('./sse.js').Streams} Streams */
/** @typedef {import('./sse.js').Subscriber} Subscriber */
/** @typedef {import('./router.js').Route} Route */

/** Visitor (and user) ids this server mints. */
const VISITOR_ID = /^v_[A-Za-z0-9_-]{1,64}$/

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
 * @property {number} dropNextPostbacks The visitor's next postbacks stored, then left unanswered
 *   (its other requests are answered).
 * @property {boolean} expired Its session tokens answer 401 until it starts a session again.
 * @property {number} failNextPuts The next `PUT`s of the bytes of its uploads fail, as `putFault` says.
 * @property {'reset' | 'unavailable'} putFault How: the connection is cut once the first bytes came
 *   (`'reset'`), or the PUT is refused with 503 before anything is read (`'unavailable'`).
 */

/**
 * A change to one visitor's faults, as `POST /v1/_faults/visitors/:id` takes it: the stream actions
 * happen at once, the rest replaces what it names.
 * @typedef {object} VisitorFaultChange
 * @property {number} [refuseNext]
 * @property {number} [status]
 * @property {number} [retryAfter]
 * @property {number} [dropNext]
 * @property {number} [dropNextPostbacks]
 * @property {boolean} [expireSession]
 * @property {number} [failNextPuts]
 * @property {'reset' | 'unavailable'} [putFault]
 * @property {boolean} [expireUploads] Let the slots of its uploads not stored yet expire now.
 * @property {boolean} [endStreams] End the visitor's open event connections (streams, WebSockets, polls) now.
 * @property {boolean} [silent] `true`: its open event connections go silent now, without closing;
 *   `false`: end the ones still silent.
 * @property {string} [sendRaw] Write this text, unchanged, to the visitor's open event streams now.
 */

/** @type {VisitorFaults} */
const NO_VISITOR_FAULTS = {
  refuseNext: 0,
  status: 503,
  retryAfter: 1,
  dropNext: 0,
  dropNextPostbacks: 0,
  expired: false,
  failNextPuts: 0,
  putFault: 'reset'
}

/**
 * Fault injection, to test how clients cope: one wrapper around the protocol's pieces, so the
 * protocol's own code (app.js, sse.js, poll.js, routes/) knows nothing of it. Off until a test turns
 * it on, from the options or through the fault switch (`POST /v1/_faults…`, agent key only):
 *
 * - `routes(routes)`: the visitor API's routes refuse (503, or what is aimed at the caller) and
 *   drop answers after commit; the fault switch's routes are added.
 * - `upgrade(listener)`: WebSocket upgrades are refused with 503 too.
 * - `authenticate(check)`: a socket's auth is refused as the visitor's requests are.
 * - On the switch's word, open event connections go silent, get raw text, or end.
 *
 * @param {FaultConfig | undefined} initial
 * @param {{ store: Store, streams: Streams, agentKey: string }} context
 *
 * @example
 * const faults = createFaults({ fail503: 0.2, seed: 7 }, { store, streams, agentKey })
 * const router = createRouter(faults.routes(routes))
 * server.on('upgrade', faults.upgrade(sockets.upgrade))
 */
export function createFaults(initial = {}, { store, streams, agentKey }) {
  let config = parseFaults(initial)
  let random = mulberry32(config.seed ?? 1)
  /** @param {number | undefined} chance */
  const roll = (chance) => chance !== undefined && chance > 0 && random() < chance
  /** @type {Map<string, VisitorFaults>} */
  const visitors = new Map()
  /**
   * Connections gone silent, with what gives them their voice back. Kept after they were detached
   * from the streams (a long poll that answered into the void), until their socket closes.
   * @type {Map<Subscriber, { visitorId: string, unmute: () => void }>}
   */
  const silent = new Map()

  /**
   * The refusal due for this request of `visitorId`, if any: 401 while its session is expired,
   * else the next counted refusal.
   * @param {string} visitorId
   * @returns {HttpError | undefined}
   */
  function refusal(visitorId) {
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
  }

  /**
   * Whether this successful `POST` of `visitorId` is to be left unanswered (counts it down).
   * @param {string} visitorId
   * @param {boolean} postback It stored a postback.
   */
  function dropNext(visitorId, postback) {
    const aimed = visitors.get(visitorId)
    if (!aimed) return false
    const count = postback && aimed.dropNextPostbacks > 0 ? 'dropNextPostbacks' : 'dropNext'
    if (aimed[count] === 0) return false
    aimed[count]--
    return true
  }

  /**
   * Change one visitor's faults and answer them as they now stand.
   * @param {string} visitorId
   * @param {VisitorFaultChange} change
   * @returns {VisitorFaults}
   */
  function aim(visitorId, { refuseNext, status, retryAfter, dropNext, dropNextPostbacks, expireSession, failNextPuts, putFault }) {
    const current = visitors.get(visitorId) ?? NO_VISITOR_FAULTS
    /** @type {VisitorFaults} */
    const next = {
      refuseNext: refuseNext ?? current.refuseNext,
      status: status ?? current.status,
      retryAfter: retryAfter ?? current.retryAfter,
      dropNext: dropNext ?? current.dropNext,
      dropNextPostbacks: dropNextPostbacks ?? current.dropNextPostbacks,
      expired: expireSession ?? current.expired,
      failNextPuts: failNextPuts ?? current.failNextPuts,
      putFault: putFault ?? current.putFault
    }
    visitors.set(visitorId, next)
    return { ...next }
  }

  /**
   * The `silent` fault: the visitor's open connections stay open but deliver nothing more (no
   * events, no pings, no pongs), as a connection whose network path died does. Their sockets take
   * every byte and send none; connections opened later are not affected.
   * @param {string} visitorId
   * @returns {number} how many connections went silent
   */
  function mute(visitorId) {
    const muted = streams.connections(visitorId).filter((sub) => !silent.has(sub))
    for (const sub of muted) {
      const { socket } = sub
      const write = socket.write
      socket.write = /** @type {typeof socket.write} */ (
        (/** @type {unknown[]} */ ...args) => {
          const done = args.find((arg) => typeof arg === 'function')
          if (done) process.nextTick(/** @type {() => void} */ (done))
          return true
        }
      )
      silent.set(sub, { visitorId, unmute: () => void (socket.write = write) })
      socket.once('close', () => silent.delete(sub))
    }
    return muted.length
  }

  /**
   * End the connections still silent (of every visitor when `visitorId` is undefined): they missed
   * events, so they must not simply go on.
   * @param {string | undefined} visitorId
   * @returns {number} how many were ended
   */
  function endSilent(visitorId) {
    let ended = 0
    for (const [sub, muted] of silent) {
      if (visitorId !== undefined && muted.visitorId !== visitorId) continue
      end(sub)
      ended++
    }
    return ended
  }

  /**
   * End one connection, silent or not: a silent one gets its voice back first, for its close frame.
   * @param {Subscriber} sub
   */
  function end(sub) {
    silent.get(sub)?.unmute()
    silent.delete(sub)
    streams.end(sub)
  }

  /**
   * Write `text` unchanged to the visitor's open connections that are not silent: a malformed or
   * unknown event, say.
   * @param {string} visitorId
   * @param {string} text
   * @returns {number} how many connections it was written to
   */
  function writeRaw(visitorId, text) {
    const open = streams.connections(visitorId).filter((sub) => !silent.has(sub))
    for (const sub of open) sub.write(text)
    return open.length
  }

  /**
   * The `failNextPuts` fault, if aimed at the visitor whose upload this PUT is for: a 503 before
   * anything is read, or the connection cut once its first bytes came. True when it was cut.
   * @param {import('./router.js').Request} request
   * @returns {Promise<boolean>}
   */
  async function failPut(request) {
    const upload = store.upload(request.params.id ?? '')
    const owner = upload?.by === 'visitor' ? store.thread(upload.conversationId)?.visitorId : undefined
    const aimed = owner === undefined ? undefined : visitors.get(owner)
    if (!aimed || aimed.failNextPuts === 0) return false
    aimed.failNextPuts--
    if (aimed.putFault === 'unavailable') {
      throw new HttpError(503, 'unavailable', 'Injected fault: the server is unavailable, put the file again', { 'retry-after': '1' })
    }
    const { req } = request
    await new Promise((resolve) => req.once('data', resolve).once('end', resolve).once('close', resolve))
    req.socket.destroy()
    return true
  }

  /**
   * A visitor API route with faults injected around it.
   * @param {Route} route
   * @returns {Route}
   */
  function injected(route) {
    const sessions = route.path === '/v1/sessions'
    const postbacks = route.path.endsWith('/postbacks')
    const puts = route.method === 'PUT' && route.path === '/v1/uploads/:id'
    return {
      ...route,
      async handle(request) {
        if (roll(config.fail503)) {
          throw new HttpError(503, 'unavailable', 'Injected fault: the server is unavailable, try again', { 'retry-after': '1' })
        }
        if (puts && (await failPut(request))) return undefined
        // Faults aimed at one visitor find it by the token it sends.
        const token = bearer(request.req) ?? request.query.get('token') ?? ''
        const target = sessions ? undefined : store.visitorByToken(token)?.id
        const refused = target === undefined ? undefined : refusal(target)
        if (refused) throw refused

        const reply = await route.handle(request)
        if (!reply || reply.status >= 300) return reply
        // The visitor started a session again: an injected expiry is over.
        if (sessions) {
          const aimed = visitors.get(/** @type {{ visitorId: string }} */ (reply.body).visitorId)
          if (aimed) aimed.expired = false
        }
        if (route.method === 'POST' && (roll(config.dropAfterCommit) || (target !== undefined && dropNext(target, postbacks)))) {
          // Stored, never answered: the client must retry and get the same result.
          request.req.socket.destroy()
          return undefined
        }
        return reply
      }
    }
  }

  const route = agentOnly(agentKey)
  /** The fault switch. */
  const switches = [
    route('POST', '/v1/_faults', async (request) => {
      const next = parseFaults(await request.body())
      // Visitors' faults go too, so `{}` turns everything off, and the sequence restarts from its seed.
      config = next
      random = mulberry32(next.seed ?? 1)
      visitors.clear()
      endSilent(undefined)
      return { status: 200, body: { ...config } }
    }),
    route('POST', '/v1/_faults/visitors/:id', async (request) => {
      const visitorId = request.params.id ?? ''
      if (!VISITOR_ID.test(visitorId)) throw new HttpError(400, 'bad-request', 'The visitor id is malformed')
      const change = parseVisitorFaults(await request.body())
      const aimed = aim(visitorId, change)
      const pending = change.expireUploads ? store.uploadsOf(visitorId).filter((u) => u.by === 'visitor' && u.storedAt === undefined) : []
      for (const upload of pending) store.expireUpload(upload.id)
      // The raw text first, so one request can send a bad event and then cut the stream.
      let streamCount = change.sendRaw === undefined ? 0 : writeRaw(visitorId, change.sendRaw)
      if (change.silent !== undefined) streamCount = Math.max(streamCount, change.silent ? mute(visitorId) : endSilent(visitorId))
      if (change.endStreams) {
        const open = streams.connections(visitorId)
        for (const sub of open) end(sub)
        streamCount = Math.max(streamCount, open.length)
      }
      return { status: 200, body: { ...aimed, streams: streamCount, expiredUploads: pending.length } }
    }),
    // A message stored without the content rules, as a newer or broken backend might send it: only
    // `text` must be a string (the store and the event streams need no more).
    route('POST', '/v1/_faults/conversations/:id/unchecked-message', async (request) => {
      const thread = findThread(store, request)
      const { clientId: _clientId, author: _author, ...content } = await request.body()
      if (typeof content.text !== 'string') throw badRequest('"text" must be a string')
      const author = /** @type {const} */ ({ role: 'agent', name: 'Agent' })
      const message = store.addMessage(thread.conversation.id, { .../** @type {{ text: string }} */ (content), author })
      return { status: 201, body: message }
    }),
    route('POST', '/v1/_faults/forget-events', () => {
      store.forgetEvents()
      return { status: 200, body: { lastEventId: store.lastEventId() } }
    })
  ]

  return {
    /**
     * `routes` with faults injected into the visitor API, and the fault switch.
     * @param {Route[]} routes
     * @returns {Route[]}
     */
    routes: (routes) => [...routes.map((r) => (r.api === 'visitor' ? injected(r) : r)), ...switches],

    /**
     * An `upgrade` listener that refuses with 503 (`fail503`) before `listener` sees the request.
     * @param {(req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void} listener
     * @returns {typeof listener}
     */
    upgrade: (listener) => (req, socket, head) => {
      if (roll(config.fail503)) refuseUpgrade(socket, 503, 'Service Unavailable', 'Retry-After: 1\r\n')
      else listener(req, socket, head)
    },

    /**
     * A session token check that also refuses what is aimed at the visitor.
     * @param {(token: string) => Visitor} check
     * @returns {(token: string) => Visitor}
     */
    authenticate: (check) => (token) => {
      const visitor = check(token)
      const refused = refusal(visitor.id)
      if (refused) throw refused
      return visitor
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
  /** @type {[keyof VisitorFaultChange & ('refuseNext' | 'dropNext' | 'dropNextPostbacks' | 'failNextPuts' | 'retryAfter'), number][]} */
  const counts = [['refuseNext', 1000], ['dropNext', 1000], ['dropNextPostbacks', 1000], ['failNextPuts', 1000], ['retryAfter', 3600]]
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
  const { putFault } = body
  if (putFault !== undefined) {
    if (putFault !== 'reset' && putFault !== 'unavailable') throw badRequest('"putFault" must be "reset" or "unavailable"')
    change.putFault = putFault
  }
  for (const name of /** @type {const} */ (['expireSession', 'endStreams', 'silent', 'expireUploads'])) {
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

