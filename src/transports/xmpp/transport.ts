import { createError, isConfabError, type ConfabError } from '../../errors/index.js'
import { backoffDelay } from '../../util/backoff.js'
import type {
  ConnectionStatus,
  Conversation,
  Message,
  Transport,
  TransportEvent,
  VisitorSession
} from '../types.js'
import { openXmppConnection, type Timers, type WebSocketFactory, type XmppConnection } from './connection.js'
import { conditionOf, connectionLost, stanzaError } from './errors.js'
import { makeVisitor, readResumeKey, roomName, type Visitor, type XmppLogin } from './identity.js'
import { archiveQuery, chatStateOf, delayOf, historyPage, readArchived, readFin, readMessage, sliceOf, stanzaIdOf, type ArchiveSlice, type RoomContext } from './messages.js'
import { watchOnline, type NetworkEvents } from './network.js'
import { configForm, invite, joinPresence, readRoomInfo, statusCodes, type RoomInfo } from './rooms.js'
import { child, el, NS, splitJid, type XmlParser } from './xml.js'

/**
 * Options of {@link createXmppTransport}.
 *
 * @example
 * createXmppTransport({ url: 'wss://chat.example.com/xmpp-websocket', domain: 'example.com', agents: ['support@example.com'] })
 */
export interface XmppTransportOptions {
  /** The server's XMPP-over-WebSocket endpoint (RFC 7395), e.g. `wss://example.com/xmpp-websocket`. */
  url: string
  /** The main XMPP host: guest accounts live here (`login: 'account'`). */
  domain: string
  /** The host that offers SASL ANONYMOUS. Default `guest.<domain>`. */
  guestDomain?: string
  /** The multi-user chat service: one room per conversation. Default `conference.<domain>`. */
  mucService?: string
  /**
   * How visitors log in. Default `'anonymous'`: it needs no open in-band registration on the server
   * (a common spam vector that admins keep closed) and leaves no account behind per visitor, while
   * the resume key still brings back the visitor's conversations. `'account'` registers a guest
   * account on the first visit, for servers that want every visitor authenticated by the server.
   */
  login?: XmppLogin
  /** JIDs invited into every new conversation's room (mediated MUC invitations), e.g. your agents. */
  agents?: string[]
  /** Prefix of room names. Default `'confab-'`. */
  roomPrefix?: string
  /** Milliseconds any one request may take. Default 10 000. */
  timeout?: number
  /** Reconnect backoff: first delay's upper bound and the largest delay, in ms. Default 500 and 30 000. */
  reconnect?: { base?: number; cap?: number }
  /** Milliseconds between pings that notice a half-open socket; 0 turns them off. Default 30 000. */
  keepalive?: number
  /** The `WebSocket` constructor. Default: the global one, looked up when connecting. */
  WebSocket?: WebSocketFactory
  /** The `DOMParser` constructor that reads each frame. Default: the global one. */
  DOMParser?: new () => XmlParser
  /** Timers for timeouts, reconnects and pings. Default: the global ones. */
  timers?: Timers
  /** Random source in [0, 1) for reconnect jitter. Default `Math.random`. */
  random?: () => number
  /** Web Crypto: random secrets and the SHA-256 that names rooms. Default `globalThis.crypto`. */
  crypto?: Crypto
  /** The clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number
  /**
   * Where `online`/`offline` are announced. Default: `globalThis` when it has `addEventListener`
   * (the `window` in a browser); `null` turns the network watch off.
   */
  events?: NetworkEvents | null
}

/** The cursor of "the start of the archive": the `after` of an empty page. Archive ids never take this form. */
const START = '*'
/** Most messages read from the archive to catch up one room after a reconnect. */
const CATCH_UP_PAGES = 10
/** Page size the adapter reads with when it looks for stored client ids or missed messages. */
const SCAN = 50
/** Live message ids remembered per room to drop repeats; far above any page a reconnect replays. */
const SEEN_LIMIT = 1000

interface Room extends RoomContext {
  index: number
  conversation: Conversation
  /** The nick joined with on `joinedOn` (the visitor's, or the visitor's with a `~n` suffix). */
  nick: string
  joinedOn?: XmppConnection
  joining?: Promise<void>
  /** Newest archive id seen; `undefined` when the archive was empty when the room was loaded. */
  lastId?: string
  seen: Set<string>
  indexing?: Promise<void>
  indexed: boolean
}

type Waiter<T> = { resolve(value: T): void; reject(error: ConfabError): void; timer: unknown }

/**
 * A transport for any XMPP server with MUC and MAM: XMPP over WebSocket (RFC 7395), one
 * multi-user chat room (XEP-0045) per conversation, history from the room's archive (XEP-0313)
 * paged with RSM cursors both ways, the client's id kept as the message's origin-id (XEP-0359) so a
 * repeated send answers the stored message, typing as chat states (XEP-0085), and reconnects with
 * backoff that rejoin the rooms and deliver what the archive got meanwhile.
 *
 * The visitor's rooms are named from a secret in the resume key, so the key alone finds them again
 * (no storage on the server or the device beyond the key the client keeps).
 *
 * @example
 * import { createClient } from 'confab'
 * import { createXmppTransport } from 'confab/xmpp'
 * const client = createClient({
 *   transport: createXmppTransport({ url: 'wss://example.com/xmpp-websocket', domain: 'example.com', agents: ['support@example.com'] })
 * })
 */
export function createXmppTransport(options: XmppTransportOptions): Transport {
  if (typeof options?.url !== 'string' || options.url === '' || typeof options.domain !== 'string' || options.domain === '') {
    throw createError('invalid-argument', 'createXmppTransport() needs the WebSocket `url` and the XMPP `domain`')
  }
  const login: XmppLogin = options.login ?? 'anonymous'
  if (login !== 'anonymous' && login !== 'account') {
    throw createError('invalid-argument', `createXmppTransport(): login must be 'anonymous' or 'account', got ${String(login)}`)
  }
  const guestDomain = options.guestDomain ?? `guest.${options.domain}`
  const mucService = options.mucService ?? `conference.${options.domain}`
  const prefix = options.roomPrefix ?? 'confab-'
  const timeout = options.timeout ?? 10_000
  const keepalive = options.keepalive ?? 30_000
  const now = options.now ?? (() => Date.now())
  const random = options.random ?? Math.random
  const timers: Timers = options.timers ?? {
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
  }
  const crypto = () => options.crypto ?? globalThis.crypto

  const listeners = new Set<(event: TransportEvent) => void>()
  let status: ConnectionStatus = 'connecting'
  /** Bumped by connect() and close(): work of an older session stops at its next step. */
  let generation = 0
  let visitor: Visitor | undefined
  let connection: XmppConnection | undefined
  let rooms = new Map<string, Room>()
  let byJid = new Map<string, Room>()
  let probing: Promise<void> | undefined
  let creating: Promise<unknown> = Promise.resolve()
  let attempt = 0
  let retryTimer: unknown
  let pingTimer: unknown
  let offline = false
  let unwatch: (() => void) | undefined
  /** Calls waiting for the connection to come back. */
  const ready = new Set<Waiter<XmppConnection>>()
  const joins = new Map<string, Waiter<{ created: boolean }>>()
  const reflections = new Map<string, Waiter<Message>>()
  const archives = new Map<string, { jid: string; results: Element[] }>()
  /** Messages stored on the server, by conversation and client id. */
  const stored = new Map<string, Message>()
  const sending = new Map<string, Promise<Message>>()
  /** Sends whose outcome is unknown (the answer was lost): the archive is read before sending again. */
  const uncertain = new Set<string>()

  const newId = () => {
    const bytes = crypto().getRandomValues(new Uint8Array(9))
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  }
  /**
   * When a live message arrived: servers stamp only archived copies, and one stream delivers in the
   * room's order, so arrival times made strictly increasing keep that order for a client that sorts
   * by time (two messages often arrive within one millisecond).
   */
  let lastArrival = 0
  const arrival = () => (lastArrival = Math.max(now(), lastArrival + 1))
  const keyOf = (conversationId: string, clientId: string) => `${conversationId}\n${clientId}`

  const emit = (event: TransportEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event)
      } catch (error) {
        // A throwing listener must not stop the others or the stream.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  const setStatus = (next: ConnectionStatus, error?: Error) => {
    if (next === status) return
    status = next
    emit(error ? { type: 'status', status: next, error } : { type: 'status', status: next })
  }

  const report = (error: ConfabError) => emit({ type: 'error', error })

  // ——— connection ———————————————————————————————————————————————————————————————————————————

  const parser = (): XmlParser => {
    const Parser = options.DOMParser ?? (globalThis as { DOMParser?: new () => XmlParser }).DOMParser
    if (!Parser) throw createError('unsupported', 'createXmppTransport() needs a DOMParser (pass options.DOMParser outside browsers)', { retryable: false })
    return new Parser()
  }

  const socketClass = (): WebSocketFactory => {
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketFactory }).WebSocket
    if (!Socket) throw createError('unsupported', 'createXmppTransport() needs a WebSocket (pass options.WebSocket outside browsers)', { retryable: false })
    return Socket
  }

  /** Log `who` in on a new connection that belongs to session `session`. */
  function open(who: Visitor, session: number): Promise<XmppConnection> {
    let opened: XmppConnection | undefined
    const promise = openXmppConnection({
      url: options.url,
      domain: who.login === 'anonymous' ? guestDomain : options.domain,
      credentials: who.credentials,
      WebSocket: socketClass(),
      parser: parser(),
      timers,
      timeout,
      newId,
      onStanza: (stanza) => {
        if (session === generation) onStanza(stanza)
      },
      onMalformed: (frame) => {
        if (session !== generation) return
        report(createError('malformed-event', 'The XMPP server sent a frame that is not well-formed XML; it was dropped', { data: frame.slice(0, 1000) }))
      },
      onClosed: (error) => {
        if (session === generation && opened !== undefined && opened === connection) lost(error)
      }
    })
    return promise.then((made) => (opened = made))
  }

  /** Open a connection for `who`, registering a new account name again if the server had it already. */
  async function logIn(who: Visitor, session: number): Promise<{ visitor: Visitor; connection: XmppConnection }> {
    for (let tries = 0; ; tries++) {
      try {
        return { visitor: who, connection: await open(who, session) }
      } catch (error) {
        if (who.credentials.mechanism === 'PLAIN' && who.credentials.register && conditionOf(error) === 'conflict' && tries < 3) {
          who = await makeVisitor(crypto(), 'account', undefined)
          continue
        }
        throw error
      }
    }
  }

  /** The connection dropped: everything waiting on it fails or waits, and a reconnect is scheduled. */
  function lost(error: ConfabError) {
    connection = undefined
    timers.clearTimeout(pingTimer)
    for (const room of rooms.values()) room.joinedOn = room.joining = undefined
    failWaiters(joins, error)
    failWaiters(reflections, error)
    if (offline) return setStatus('offline', error)
    setStatus('reconnecting', error)
    scheduleReconnect()
  }

  function failWaiters<T>(waiters: Map<string, Waiter<T>>, error: ConfabError) {
    for (const [key, waiter] of waiters) {
      timers.clearTimeout(waiter.timer)
      waiters.delete(key)
      waiter.reject(error)
    }
  }

  function scheduleReconnect(delay = backoffDelay(attempt++, { ...options.reconnect, random })) {
    timers.clearTimeout(retryTimer)
    const session = generation
    retryTimer = timers.setTimeout(() => {
      if (session === generation && !offline) void reconnect(session)
    }, delay)
  }

  /** Log in again, rejoin every room and deliver what the archives got meanwhile. */
  async function reconnect(session: number): Promise<void> {
    try {
      let made: { visitor: Visitor; connection: XmppConnection }
      try {
        made = await logIn({ ...visitor!, credentials: { ...visitor!.credentials, register: false } as Visitor['credentials'] }, session)
      } catch (error) {
        // The server no longer knows the guest account (its data was reset): start a new visitor.
        if (!(isConfabError(error) && error.code === 'unauthorized' && visitor?.login === 'account')) throw error
        made = await logIn(await makeVisitor(crypto(), 'account', undefined), session)
      }
      if (session !== generation) return made.connection.close()
      const renewed = made.visitor.resumeKey !== visitor!.resumeKey
      visitor = made.visitor
      connection = made.connection
      if (renewed) {
        rooms = new Map()
        byJid = new Map()
        emit({ type: 'session', session: sessionOf(visitor) })
      }
      await Promise.all([...rooms.values()].map((room) => ensureJoined(made.connection, room)))
      if (session !== generation || connection !== made.connection) return
      attempt = 0
      wakeReady(made.connection)
      await Promise.all([...rooms.values()].map((room) => catchUp(made.connection, room, session)))
      if (session !== generation || connection !== made.connection) return
      setStatus('online')
      startPings(made.connection, session)
    } catch (error) {
      if (session !== generation) return
      const failure = isConfabError(error) ? error : connectionLost('Reconnecting', error)
      connection?.drop('reconnect failed')
      connection = undefined
      report(failure)
      if (!offline) scheduleReconnect()
    }
  }

  function wakeReady(made: XmppConnection) {
    for (const waiter of [...ready]) {
      ready.delete(waiter)
      timers.clearTimeout(waiter.timer)
      waiter.resolve(made)
    }
  }

  /** The open connection, waiting (up to the timeout) while a reconnect is under way. */
  function connected(label: string): Promise<XmppConnection> {
    if (visitor === undefined) return Promise.reject(createError('closed', `${label}: call connect() first`))
    if (connection?.isOpen()) return Promise.resolve(connection)
    return new Promise((resolve, reject) => {
      const waiter: Waiter<XmppConnection> = {
        resolve,
        reject,
        timer: timers.setTimeout(() => {
          ready.delete(waiter)
          reject(createError('network', `${label}: no connection to the XMPP server within ${timeout} ms`, { retryable: true }))
        }, timeout)
      }
      ready.add(waiter)
    })
  }

  /**
   * Run a request that is safe to repeat on the current connection; if the connection drops under
   * it, run it again on the next one (a few times), so calls made during a blip still succeed.
   */
  async function request<T>(label: string, run: (conn: XmppConnection) => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      const conn = await connected(label)
      try {
        return await run(conn)
      } catch (error) {
        if (tries < 3 && !conn.isOpen() && visitor !== undefined) continue
        throw error
      }
    }
  }

  function startPings(conn: XmppConnection, session: number) {
    timers.clearTimeout(pingTimer)
    if (keepalive <= 0) return
    pingTimer = timers.setTimeout(() => {
      if (session !== generation || connection !== conn) return
      conn.iq('get', splitJid(conn.jid).bare.split('@')[1], el('ping', { xmlns: NS.ping }), 'Ping').then(
        () => startPings(conn, session),
        (error: ConfabError) => {
          // No answer: the socket is half-open (a laptop that slept, a proxy that forgot us).
          if (session === generation && connection === conn && error.code === 'timeout') conn.drop('no answer to a ping')
        }
      )
    }, keepalive)
  }

  function watchNetwork(session: number) {
    unwatch = watchOnline(options.events, {
      offline() {
        if (session !== generation) return
        offline = true
        setStatus('offline')
        // The socket cannot outlive the network; dropping it now starts the wait for `online`.
        connection?.drop('the device went offline')
      },
      online() {
        if (session !== generation || !offline) return
        offline = false
        attempt = 0
        setStatus('reconnecting')
        if (!connection) scheduleReconnect(0)
      }
    })
  }

  /** Forget the session: no more events, waiters fail with `closed`. */
  function stop() {
    generation++
    timers.clearTimeout(retryTimer)
    timers.clearTimeout(pingTimer)
    unwatch?.()
    unwatch = undefined
    offline = false
    const closed = createError('closed', 'The XMPP transport was closed')
    failWaiters(joins, closed)
    failWaiters(reflections, closed)
    for (const waiter of [...ready]) {
      ready.delete(waiter)
      timers.clearTimeout(waiter.timer)
      waiter.reject(closed)
    }
    connection?.close()
    connection = visitor = probing = undefined
    rooms = new Map()
    byJid = new Map()
    archives.clear()
    sending.clear()
    stored.clear()
    uncertain.clear()
    attempt = 0
  }

  // ——— incoming stanzas —————————————————————————————————————————————————————————————————————

  function onStanza(stanza: Element) {
    const from = stanza.getAttribute('from') ?? ''
    const { bare, resource } = splitJid(from)
    if (stanza.localName === 'presence') return onPresence(stanza, bare, resource)
    if (stanza.localName !== 'message') return
    const result = child(stanza, 'result', NS.mam)
    if (result) {
      const query = archives.get(result.getAttribute('queryid') ?? '')
      // Only the archive we asked may answer the query.
      if (query && (bare === query.jid || from === '')) query.results.push(result)
      return
    }
    const room = byJid.get(bare)
    if (!room) return
    const type = stanza.getAttribute('type')
    if (type === 'error') {
      const waiter = reflections.get(keyOf(room.id, stanza.getAttribute('id') ?? ''))
      if (waiter) {
        reflections.delete(keyOf(room.id, stanza.getAttribute('id') ?? ''))
        timers.clearTimeout(waiter.timer)
        waiter.reject(stanzaError(stanza, `Sending to ${room.jid}`))
      }
      return
    }
    if (type !== 'groupchat') return
    if (child(stanza, 'body')) {
      const message = readMessage(stanza, room, stanzaIdOf(stanza, room.jid), delayOf(stanza) ?? arrival())
      if (!message) {
        if (resource === undefined) return // a notice of the room itself, which archives do not keep
        return report(createError('malformed-event', `A message in ${room.jid} has no stanza-id from the room; it was dropped`, { data: stanza.outerHTML?.slice(0, 1000) }))
      }
      return onMessage(room, message)
    }
    const state = chatStateOf(stanza)
    if (state && resource && !room.isVisitor(resource)) {
      emit({ type: 'typing', conversationId: room.id, author: { role: 'agent', id: resource, name: resource }, typing: state === 'composing' })
    }
  }

  function onPresence(stanza: Element, bare: string, resource: string | undefined) {
    const waiter = joins.get(bare)
    const room = byJid.get(bare)
    const codes = statusCodes(stanza)
    if (stanza.getAttribute('type') === 'error') {
      if (!waiter) return
      joins.delete(bare)
      timers.clearTimeout(waiter.timer)
      return waiter.reject(stanzaError(stanza, `Joining ${bare}`))
    }
    if (!codes.includes('110')) return
    if (stanza.getAttribute('type') === 'unavailable') {
      // We left or were removed: the next call that needs the room joins it again.
      if (room && room.nick === resource) room.joinedOn = room.joining = undefined
      return
    }
    if (!waiter) return
    joins.delete(bare)
    timers.clearTimeout(waiter.timer)
    waiter.resolve({ created: codes.includes('201') })
  }

  function onMessage(room: Room, message: Message) {
    noteStored(room, message)
    if (message.clientId && message.author.role === 'visitor') {
      const key = keyOf(room.id, message.clientId)
      const waiter = reflections.get(key)
      if (waiter) {
        reflections.delete(key)
        timers.clearTimeout(waiter.timer)
        waiter.resolve(message)
      }
    }
    if (room.seen.has(message.id)) return
    remember(room, message.id)
    room.lastId = message.id
    emit({ type: 'message', message })
  }

  function remember(room: Room, id: string) {
    room.seen.add(id)
    if (room.seen.size > SEEN_LIMIT) room.seen.delete(room.seen.values().next().value!)
  }

  /** Keep what the server stored: for repeated sends, and the conversation's latest activity. */
  function noteStored(room: Room, message: Message) {
    if (message.clientId) stored.set(keyOf(room.id, message.clientId), message)
    const conversation = room.conversation
    if (message.createdAt >= conversation.updatedAt) {
      room.conversation = { ...conversation, updatedAt: message.createdAt, lastMessage: message }
    }
  }

  // ——— rooms ——————————————————————————————————————————————————————————————————————————————

  /** Join `room` on `conn` once; a nick held by another session of the visitor gets a `~n` suffix. */
  function ensureJoined(conn: XmppConnection, room: Room): Promise<void> {
    if (room.joinedOn === conn && room.joining) return room.joining
    room.joinedOn = conn
    const joining = (async () => {
      for (let n = 1; ; n++) {
        const nick = n === 1 ? visitor!.nick : `${visitor!.nick}~${n}`
        try {
          await joinAs(conn, room.jid, nick)
          room.nick = nick
          return
        } catch (error) {
          if (conditionOf(error) !== 'conflict' || n >= 5) throw error
        }
      }
    })()
    room.joining = joining
    joining.catch(() => {
      if (room.joining === joining) room.joinedOn = room.joining = undefined
    })
    return joining
  }

  function joinAs(conn: XmppConnection, jid: string, nick: string): Promise<{ created: boolean }> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<{ created: boolean }> = {
        resolve,
        reject,
        timer: timers.setTimeout(() => {
          joins.delete(jid)
          reject(createError('timeout', `Joining ${jid}: no answer within ${timeout} ms`))
        }, timeout)
      }
      joins.set(jid, waiter)
      try {
        conn.send(joinPresence(jid, nick))
      } catch (error) {
        joins.delete(jid)
        timers.clearTimeout(waiter.timer)
        reject(error)
      }
    })
  }

  function addRoom(index: number, name: string, info: RoomInfo): Room {
    const jid = `${name}@${mucService}`
    const conversation: Conversation = { id: name, mode: info.mode, status: 'open', createdAt: info.createdAt, updatedAt: info.createdAt }
    if (info.subject !== undefined) conversation.subject = info.subject
    const nick = visitor!.nick
    const room: Room = {
      id: name,
      jid,
      index,
      conversation,
      nick,
      visitorId: visitor!.visitorId,
      isVisitor: (other) => other === nick || other.startsWith(`${nick}~`),
      seen: new Set(),
      indexed: false
    }
    rooms.set(name, room)
    byJid.set(jid, room)
    return room
  }

  /** Read the newest archived message of `room`: its latest activity, and where catching up starts. */
  async function loadNewest(conn: XmppConnection, room: Room): Promise<void> {
    const { messages, fin } = await queryArchive(conn, room, { before: null }, 1, `Reading the newest message of ${room.jid}`)
    if (fin.last) room.lastId = fin.last
    for (const message of messages) noteStored(room, message)
  }

  /**
   * Find rooms of the visitor not known yet: room names follow from the visitor's secret, one per
   * index, so probing index after index with disco#info until a room does not exist lists them all.
   */
  function discover(label: string): Promise<void> {
    if (probing) return probing
    const session = generation
    const run = request(label, async (conn) => {
      let index = Math.max(0, ...[...rooms.values()].map((r) => r.index)) + 1
      for (; session === generation; index++) {
        const name = await roomName(crypto(), prefix, visitor!.seed, index)
        let info: RoomInfo | undefined
        try {
          info = readRoomInfo(await conn.iq('get', `${name}@${mucService}`, el('query', { xmlns: NS.disco }), `Looking up ${name}`))
        } catch (error) {
          if (conditionOf(error) === 'item-not-found') return
          throw error
        }
        if (rooms.has(name) || session !== generation) continue
        const room = addRoom(index, name, info ?? { mode: 'messaging', createdAt: 0 })
        await Promise.all([ensureJoined(conn, room), loadNewest(conn, room)])
      }
    })
    probing = run
    const clear = () => {
      if (probing === run) probing = undefined
    }
    run.then(clear, clear)
    return run
  }

  /** The visitor's room `id`, or a `not-found` error: no one reads or writes another visitor's conversation. */
  async function roomFor(id: string, label: string): Promise<Room> {
    if (typeof id !== 'string') throw createError('invalid-argument', `${label}: a conversation id is needed`)
    const known = rooms.get(id)
    if (known) return known
    await discover(label)
    const found = rooms.get(id)
    if (!found) throw createError('not-found', `${label}: conversation ${id} does not exist`, { retryable: false })
    return found
  }

  // ——— archive ————————————————————————————————————————————————————————————————————————————

  async function queryArchive(conn: XmppConnection, room: Room, slice: ArchiveSlice, max: number, label: string) {
    const queryId = newId()
    const results: Element[] = []
    archives.set(queryId, { jid: room.jid, results })
    try {
      const answer = await conn.iq('set', room.jid, archiveQuery(queryId, slice, max), label)
      const messages = results.flatMap((result) => readArchived(result, room) ?? [])
      // Stamps with whole seconds (Prosody) tie; never let a later message look older.
      for (let i = 1; i < messages.length; i++) {
        if (messages[i]!.createdAt < messages[i - 1]!.createdAt) messages[i]!.createdAt = messages[i - 1]!.createdAt
      }
      return { messages, fin: readFin(answer) }
    } catch (error) {
      // An archive that no longer knows a cursor: like HTTP 410, the client reloads the thread.
      if (conditionOf(error) === 'item-not-found' && !('before' in slice && slice.before === null)) {
        throw createError('not-found', `${label}: the archive of ${room.jid} no longer knows this cursor`, { status: 410, retryable: false, cause: error })
      }
      throw error
    } finally {
      archives.delete(queryId)
    }
  }

  /** Deliver what `room`'s archive got after the newest message seen (a reconnect's gap). */
  async function catchUp(conn: XmppConnection, room: Room, session: number): Promise<void> {
    try {
      let after = room.lastId ?? null
      for (let page = 0; page < CATCH_UP_PAGES && session === generation; page++) {
        const { messages, fin } = await queryArchive(conn, room, { after }, SCAN, `Catching up ${room.jid}`)
        for (const message of messages) if (session === generation) onMessage(room, message)
        if (fin.complete || !fin.last) return
        after = fin.last
      }
    } catch (error) {
      if (session === generation) report(isConfabError(error) ? error : connectionLost(`Catching up ${room.jid}`, error))
    }
  }

  /**
   * Read the newest page, so a send repeated after a reload (or after a lost answer, `force`) finds
   * the message it stored.
   */
  function index(room: Room, force = false): Promise<void> {
    if (!force && room.indexed) return Promise.resolve()
    if (!force && room.indexing) return room.indexing
    const run = request(`Reading ${room.jid}`, async (conn) => {
      const { messages } = await queryArchive(conn, room, { before: null }, SCAN, `Reading ${room.jid}`)
      for (const message of messages) noteStored(room, message)
      room.indexed = true
    })
    if (!force) {
      room.indexing = run
      const clear = () => {
        if (room.indexing === run) room.indexing = undefined
      }
      run.then(clear, clear)
    }
    return run
  }

  // ——— sending ————————————————————————————————————————————————————————————————————————————

  async function deliver(room: Room, clientId: string, text: string, signal: AbortSignal | undefined): Promise<Message> {
    const key = keyOf(room.id, clientId)
    const label = `Sending to ${room.jid}`
    if (uncertain.has(key) || !room.indexed) {
      await index(room, uncertain.has(key))
      const found = stored.get(key)
      if (found) {
        uncertain.delete(key)
        return found
      }
    }
    for (let tries = 0; ; tries++) {
      if (signal?.aborted) throw createError('closed', `${label} was aborted`, { cause: signal.reason })
      const conn = await connected(label)
      try {
        await ensureJoined(conn, room)
      } catch (error) {
        if (tries < 3 && !conn.isOpen()) continue
        throw error
      }
      const reflected = new Promise<Message>((resolve, reject) => {
        reflections.set(key, {
          resolve,
          reject,
          timer: timers.setTimeout(() => {
            reflections.delete(key)
            reject(createError('timeout', `${label}: the room did not confirm the message within ${timeout} ms`))
          }, timeout)
        })
      })
      try {
        conn.send(
          el('message', { xmlns: NS.client, type: 'groupchat', to: room.jid, id: clientId },
            el('body', {}, text),
            el('active', { xmlns: NS.chatStates }),
            el('origin-id', { xmlns: NS.sid, id: clientId }))
        )
      } catch (error) {
        // Nothing was written: safe to try on the next connection.
        const waiter = reflections.get(key)
        if (waiter) timers.clearTimeout(waiter.timer)
        reflections.delete(key)
        reflected.catch(() => {})
        if (tries < 3) continue
        throw error
      }
      try {
        return await abortable(reflected, signal, label)
      } catch (error) {
        // Written, but not confirmed: the room may have stored it. The next send of this id reads
        // the archive first, so it answers the stored message instead of storing a second one.
        if (!isConfabError(error) || error.retryable || error.code === 'closed') uncertain.add(key)
        throw error
      }
    }
  }

  function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, label: string): Promise<T> {
    if (!signal) return promise
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(createError('closed', `${label} was aborted`, { cause: signal.reason }))
      signal.addEventListener('abort', onAbort, { once: true })
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  const sessionOf = (who: Visitor): VisitorSession => ({ visitorId: who.visitorId, resumeKey: who.resumeKey, name: who.nick })

  // ——— the transport —————————————————————————————————————————————————————————————————————

  return {
    name: 'xmpp',
    capabilities: {
      typing: true,
      readReceipts: false,
      uploads: false,
      search: false,
      streamResume: false,
      historyNewer: true
    },

    async connect(input = {}) {
      stop()
      const session = generation
      setStatus('connecting')
      const returning = readResumeKey(input.resumeKey)
      let who = await makeVisitor(crypto(), login, returning?.login === login ? returning : undefined)
      let made: { visitor: Visitor; connection: XmppConnection }
      try {
        made = await logIn(who, session)
      } catch (error) {
        // A key the server no longer knows (the account is gone): start a fresh visitor, as the contract asks.
        if (!(isConfabError(error) && error.code === 'unauthorized' && who.login === 'account' && returning !== undefined)) throw error
        who = await makeVisitor(crypto(), login, undefined)
        made = await logIn(who, session)
      }
      if (session !== generation || input.signal?.aborted) {
        made.connection.close()
        throw createError('closed', 'connect() was aborted or superseded')
      }
      visitor = made.visitor
      connection = made.connection
      await discover('Listing the visitor’s conversations')
      if (session !== generation) throw createError('closed', 'connect() was superseded')
      watchNetwork(session)
      setStatus('online')
      startPings(made.connection, session)
      return sessionOf(visitor)
    },

    async listConversations() {
      await discover('Listing conversations')
      const conversations = [...rooms.values()].map((room) => room.conversation).sort((a, b) => b.updatedAt - a.updatedAt)
      return { conversations, next: null }
    },

    createConversation({ mode, subject } = { mode: 'messaging' }) {
      if (mode !== 'chat' && mode !== 'messaging') {
        return Promise.reject(createError('invalid-argument', `createConversation(): mode must be 'chat' or 'messaging', got ${String(mode)}`))
      }
      // One creation at a time: each takes the next free room number.
      const run = creating.then(async () => {
        await discover('Creating a conversation')
        const session = generation
        return request('Creating a conversation', async (conn) => {
          for (let index = Math.max(0, ...[...rooms.values()].map((r) => r.index)) + 1; ; index++) {
            const name = await roomName(crypto(), prefix, visitor!.seed, index)
            const info: RoomInfo = { mode, createdAt: now(), ...(subject ? { subject } : {}) }
            const jid = `${name}@${mucService}`
            const { created } = await joinAs(conn, jid, visitor!.nick)
            if (session !== generation) throw createError('closed', 'The XMPP transport was closed')
            if (!created) {
              // Another session of this visitor took this number a moment ago: adopt it, try the next.
              await discover('Creating a conversation')
              continue
            }
            // Configure first: ejabberd keeps a new room locked until its owner submits the form.
            await conn.iq('set', jid, configForm(info), `Configuring ${jid}`)
            const room = addRoom(index, name, info)
            room.joinedOn = conn
            room.joining = Promise.resolve()
            room.indexed = true
            for (const agent of options.agents ?? []) conn.send(invite(jid, agent))
            return room.conversation
          }
        })
      })
      creating = run.catch(() => {})
      return run
    },

    async getConversation(id) {
      return (await roomFor(id, 'getConversation()')).conversation
    },

    async history(id, { before, after, limit, signal } = {}) {
      const room = await roomFor(id, 'history()')
      const max = Math.max(1, Math.min(100, Math.floor(limit ?? 30)))
      const slice = sliceOf({ before, after }, START)
      const label = `Reading the archive of ${room.jid}`
      const { messages, fin } = await abortable(request(label, (conn) => queryArchive(conn, room, slice, max, label)), signal, label)
      for (const message of messages) noteStored(room, message)
      return historyPage(messages, fin, slice, START)
    },

    async send(id, { clientId, text }, { signal } = {}) {
      if (typeof clientId !== 'string' || clientId === '' || typeof text !== 'string') {
        throw createError('invalid-argument', 'send() needs a clientId and a text')
      }
      const key = keyOf(id, clientId)
      const known = stored.get(key)
      if (known && rooms.has(id)) return known
      const running = sending.get(key)
      if (running) return running
      const run = roomFor(id, 'send()').then((room) => deliver(room, clientId, text, signal))
      sending.set(key, run)
      const clear = () => {
        if (sending.get(key) === run) sending.delete(key)
      }
      run.then(clear, clear)
      return run
    },

    async setTyping(id, typing) {
      const room = await roomFor(id, 'setTyping()')
      const conn = await connected('setTyping()')
      await ensureJoined(conn, room)
      conn.send(
        el('message', { xmlns: NS.client, type: 'groupchat', to: room.jid },
          el(typing ? 'composing' : 'active', { xmlns: NS.chatStates }),
          el('no-store', { xmlns: NS.hints }))
      )
    },

    subscribe(listener) {
      listeners.add(listener)
      // Tell the new listener where things stand, after subscribe() returned.
      queueMicrotask(() => {
        if (listeners.has(listener)) listener({ type: 'status', status: visitor === undefined && status !== 'connecting' ? 'closed' : status })
      })
      return () => {
        listeners.delete(listener)
      }
    },

    close() {
      stop()
      setStatus('closed')
      listeners.clear()
    }
  }
}
