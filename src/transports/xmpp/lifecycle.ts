import { createError, isConfabError, type ConfabError } from '../../errors/index.js'
import { backoffDelay } from '../../util/backoff.js'
import type { ConnectInput, VisitorSession } from '../types.js'
import { catchUp } from './archive.js'
import { sessionOf, type XmppContext } from './context.js'
import { openXmppConnection, type WebSocketFactory, type XmppConnection } from './connection.js'
import { ensureJoined, discover } from './directory.js'
import { conditionOf, connectionLost } from './errors.js'
import { makeVisitor, readResumeKey, type Visitor } from './identity.js'
import { onStanza } from './live.js'
import { watchOnline } from './network.js'
import type { Waiters } from './waiters.js'
import { el, NS, splitJid, type XmlParser } from './xml.js'

// A session's life: logging in, noticing a lost connection (a drop, an unanswered ping, the device
// going offline), reconnecting with backoff and catching up, and stopping.

type LoggedIn = { visitor: Visitor; connection: XmppConnection }

/** Log `who` in on a new connection that belongs to session `session`. */
function open(ctx: XmppContext, who: Visitor, session: number): Promise<XmppConnection> {
  let opened: XmppConnection | undefined
  const { options } = ctx
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketFactory }).WebSocket
  if (!Socket) throw createError('unsupported', 'createXmppTransport() needs a WebSocket (pass options.WebSocket outside browsers)', { retryable: false })
  const Parser = options.DOMParser ?? (globalThis as { DOMParser?: new () => XmlParser }).DOMParser
  if (!Parser) throw createError('unsupported', 'createXmppTransport() needs a DOMParser (pass options.DOMParser outside browsers)', { retryable: false })
  const promise = openXmppConnection({
    url: options.url,
    domain: who.login === 'anonymous' ? (options.guestDomain ?? `guest.${options.domain}`) : options.domain,
    credentials: who.credentials,
    WebSocket: Socket,
    parser: new Parser(),
    timers: ctx.timers,
    timeout: ctx.timeout,
    newId: ctx.newId,
    onStanza: (stanza) => {
      if (session === ctx.generation) onStanza(ctx, stanza)
    },
    onMalformed: (frame) => {
      if (session !== ctx.generation) return
      ctx.report(createError('malformed-event', 'The XMPP server sent a frame that is not well-formed XML; it was dropped', { data: frame.slice(0, 1000) }))
    },
    onClosed: (error) => {
      if (session === ctx.generation && opened !== undefined && opened === ctx.connection) lost(ctx, error)
    }
  })
  return promise.then((made) => (opened = made))
}

/** Open a connection for `who`, registering a new account name again if the server had it already. */
async function logIn(ctx: XmppContext, who: Visitor, session: number): Promise<LoggedIn> {
  for (let tries = 0; ; tries++) {
    try {
      return { visitor: who, connection: await open(ctx, who, session) }
    } catch (error) {
      if (who.credentials.mechanism === 'PLAIN' && who.credentials.register && conditionOf(error) === 'conflict' && tries < 3) {
        who = await makeVisitor(ctx.crypto(), 'account', undefined)
        continue
      }
      throw error
    }
  }
}

const fail = (error: ConfabError, ...groups: Waiters<never, unknown>[]) => {
  for (const waiters of groups) for (const waiter of waiters.takeAll()) waiter.reject(error)
}

/** The connection dropped: everything waiting on it fails or waits, and a reconnect is scheduled. */
function lost(ctx: XmppContext, error: ConfabError) {
  ctx.connection = undefined
  ctx.timers.clearTimeout(ctx.pingTimer)
  for (const room of ctx.rooms.values()) room.joinedOn = room.joining = undefined
  fail(error, ctx.joins, ctx.reflections)
  if (ctx.offline) return ctx.setStatus('offline', error)
  ctx.setStatus('reconnecting', error)
  scheduleReconnect(ctx)
}

function scheduleReconnect(ctx: XmppContext, delay = backoffDelay(ctx.attempt++, { ...ctx.options.reconnect, random: ctx.random })) {
  ctx.timers.clearTimeout(ctx.retryTimer)
  const session = ctx.generation
  ctx.retryTimer = ctx.timers.setTimeout(() => {
    if (session === ctx.generation && !ctx.offline) void reconnect(ctx, session)
  }, delay)
}

/** Log in again, rejoin every room and deliver what the archives got meanwhile. */
async function reconnect(ctx: XmppContext, session: number): Promise<void> {
  try {
    const visitor = ctx.visitor!
    let made: LoggedIn
    try {
      made = await logIn(ctx, { ...visitor, credentials: { ...visitor.credentials, register: false } as Visitor['credentials'] }, session)
    } catch (error) {
      // The server no longer knows the guest account (its data was reset): start a new visitor.
      if (!(isConfabError(error) && error.code === 'unauthorized' && ctx.visitor?.login === 'account')) throw error
      made = await logIn(ctx, await makeVisitor(ctx.crypto(), 'account', undefined), session)
    }
    if (session !== ctx.generation) return made.connection.close()
    const renewed = made.visitor.resumeKey !== ctx.visitor!.resumeKey
    const conn = made.connection
    ctx.visitor = made.visitor
    ctx.connection = conn
    if (renewed) {
      ctx.rooms = new Map()
      ctx.byJid = new Map()
      ctx.skipped = 0
      ctx.emit({ type: 'session', session: sessionOf(made.visitor) })
    }
    const current = () => session === ctx.generation && ctx.connection === conn
    const joined = await Promise.all(
      [...ctx.rooms.values()].map((room) => {
        // Until its catch-up succeeds, live messages must not move the room's catch-up cursor.
        room.behind = true
        return ensureJoined(ctx, conn, room).then(
          () => room,
          (error: ConfabError) => {
            // A room that refuses us (destroyed, banned) must not keep the others offline.
            if (!conn.isOpen()) throw error
            ctx.report(error)
          }
        )
      })
    )
    if (!current()) return
    ctx.attempt = 0
    for (const waiter of ctx.ready.takeAll()) waiter.resolve(conn)
    await Promise.all(joined.map((room) => room && catchUp(ctx, conn, room, session)))
    if (!current()) return
    ctx.setStatus('online')
    startPings(ctx, conn, session)
  } catch (error) {
    if (session !== ctx.generation) return
    const failure = isConfabError(error) ? error : connectionLost('Reconnecting', error)
    ctx.connection?.drop('reconnect failed')
    ctx.connection = undefined
    ctx.report(failure)
    if (!ctx.offline) scheduleReconnect(ctx)
  }
}

function startPings(ctx: XmppContext, conn: XmppConnection, session: number) {
  ctx.timers.clearTimeout(ctx.pingTimer)
  if (ctx.keepalive <= 0) return
  ctx.pingTimer = ctx.timers.setTimeout(() => {
    if (session !== ctx.generation || ctx.connection !== conn) return
    conn.iq('get', splitJid(conn.jid).bare.split('@')[1], el('ping', { xmlns: NS.ping }), 'Ping').then(
      () => startPings(ctx, conn, session),
      (error: ConfabError) => {
        if (session !== ctx.generation || ctx.connection !== conn) return
        // No answer: the socket is half-open (a laptop that slept, a proxy that forgot us). An error
        // answer (a server without XEP-0199) still proves the stream alive: keep pinging.
        if (error.code === 'timeout') conn.drop('no answer to a ping')
        else startPings(ctx, conn, session)
      }
    )
  }, ctx.keepalive)
}

function watchNetwork(ctx: XmppContext, session: number) {
  ctx.unwatch = watchOnline(ctx.options.events, {
    offline() {
      if (session !== ctx.generation) return
      ctx.offline = true
      ctx.setStatus('offline')
      // The socket cannot outlive the network; dropping it now starts the wait for `online`.
      ctx.connection?.drop('the device went offline')
    },
    online() {
      if (session !== ctx.generation || !ctx.offline) return
      ctx.offline = false
      ctx.attempt = 0
      ctx.setStatus('reconnecting')
      if (!ctx.connection) scheduleReconnect(ctx, 0)
    }
  })
}

/** Forget the session: no more events, waiters fail with `closed`. */
export function stop(ctx: XmppContext) {
  ctx.generation++
  ctx.timers.clearTimeout(ctx.retryTimer)
  ctx.timers.clearTimeout(ctx.pingTimer)
  ctx.unwatch?.()
  ctx.unwatch = undefined
  ctx.offline = false
  fail(createError('closed', 'The XMPP transport was closed'), ctx.joins, ctx.reflections, ctx.ready)
  ctx.connection?.close()
  ctx.connection = ctx.visitor = ctx.probing = undefined
  ctx.rooms = new Map()
  ctx.byJid = new Map()
  ctx.skipped = 0
  ctx.archives.clear()
  ctx.sending.clear()
  ctx.stored.clear()
  ctx.uncertain.clear()
  ctx.attempt = 0
}

/** Start a session: log the visitor in (a returning one by its resume key) and find its conversations. */
export async function connect(ctx: XmppContext, input: ConnectInput = {}): Promise<VisitorSession> {
  stop(ctx)
  const session = ctx.generation
  ctx.setStatus('connecting')
  const returning = readResumeKey(input.resumeKey)
  let who = await makeVisitor(ctx.crypto(), ctx.login, returning?.login === ctx.login ? returning : undefined)
  let made: LoggedIn
  try {
    made = await logIn(ctx, who, session)
  } catch (error) {
    // A key the server no longer knows (the account is gone): start a fresh visitor, as the contract asks.
    if (!(isConfabError(error) && error.code === 'unauthorized' && who.login === 'account' && returning !== undefined)) throw error
    who = await makeVisitor(ctx.crypto(), ctx.login, undefined)
    made = await logIn(ctx, who, session)
  }
  if (session !== ctx.generation || input.signal?.aborted) {
    made.connection.close()
    throw createError('closed', 'connect() was aborted or superseded')
  }
  ctx.visitor = made.visitor
  ctx.connection = made.connection
  await discover(ctx, 'Listing the visitor’s conversations')
  if (session !== ctx.generation) throw createError('closed', 'connect() was superseded')
  watchNetwork(ctx, session)
  ctx.setStatus('online')
  startPings(ctx, made.connection, session)
  return sessionOf(made.visitor)
}
