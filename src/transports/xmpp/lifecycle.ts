import { createError, isConfabError, type ConfabError } from '../../errors/index.js'
import { createReconnectLoop } from '../reconnect.js'
import type { ConnectInput, VisitorSession } from '../types.js'
import { catchUp } from './archive.js'
import { sessionOf, type XmppContext } from './context.js'
import { openXmppConnection, type WebSocketFactory, type XmppConnection } from './connection.js'
import { ensureJoined, discover } from './directory.js'
import { conditionOf } from './errors.js'
import { makeVisitor, readResumeKey, type Visitor } from './identity.js'
import { onStanza } from './live.js'
import { releaseTyping } from './typing.js'
import { findUploadService } from './uploads.js'
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

/**
 * Open a connection for `who`. A new account's name the server had already is registered again
 * under another; with `renew`, an account the server no longer knows (its data was reset, or the
 * key is stale) is replaced by a new visitor.
 */
async function logIn(ctx: XmppContext, who: Visitor, session: number, renew: boolean): Promise<LoggedIn> {
  for (let tries = 0; ; tries++) {
    try {
      return { visitor: who, connection: await open(ctx, who, session) }
    } catch (error) {
      const { credentials } = who
      if (
        tries < 3 &&
        credentials.mechanism === 'PLAIN' &&
        (credentials.register ? conditionOf(error) === 'conflict' : renew && isConfabError(error) && error.code === 'unauthorized')
      ) {
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

/** The connection dropped: everything waiting on it fails or waits, and the reconnect loop takes over. */
function lost(ctx: XmppContext, error: ConfabError) {
  ctx.connection = undefined
  // What agents type is not heard meanwhile: the client lets the last of it lapse.
  releaseTyping(ctx)
  for (const room of ctx.rooms.values()) room.joinedOn = room.joining = undefined
  fail(error, ctx.joins, ctx.reflections)
  ctx.lose?.(error)
}

/** Log in again, rejoin every room and deliver what the archives got meanwhile. */
async function reconnect(ctx: XmppContext, session: number, signal: AbortSignal): Promise<XmppConnection> {
  const visitor = ctx.visitor!
  const made = await logIn(ctx, { ...visitor, credentials: { ...visitor.credentials, register: false } as Visitor['credentials'] }, session, true)
  const conn = made.connection
  // Given up meanwhile (offline, closed): the attempt already ended.
  if (signal.aborted) {
    conn.close()
    throw signal.reason
  }
  const renewed = made.visitor.resumeKey !== ctx.visitor!.resumeKey
  ctx.visitor = made.visitor
  ctx.connection = conn
  if (renewed) {
    ctx.rooms = new Map()
    ctx.byJid = new Map()
    ctx.skipped = 0
    ctx.emit({ type: 'session', session: sessionOf(made.visitor, ctx.upload) })
  }
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
  // A connection lost meanwhile ended the attempt; its error is the one reported.
  if (ctx.connection !== conn) throw signal.reason
  for (const waiter of ctx.ready.takeAll()) waiter.resolve(conn)
  await Promise.all(joined.map((room) => room && catchUp(ctx, conn, room, session)))
  return conn
}

/**
 * Keep session `session` connected: the reconnect loop's first attempt takes the connection
 * `connect()` opened, later ones log in again; each lasts until its connection is lost. Pings on
 * the heartbeat notice a half-open socket.
 */
function keep(ctx: XmppContext, session: number) {
  ctx.life = new AbortController()
  createReconnectLoop({
    // The loop reads its settings from the context by name: timers, random, base, cap, keepalive,
    // timeout, events, and reports through its setStatus and report.
    ...ctx,
    signal: ctx.life.signal,
    // The XMPP transport follows the network, not the page's life.
    page: false,
    connect(signal, link) {
      ctx.lose = link.down
      // Given up by the loop (silence, offline) or failed: the connection goes with the attempt.
      signal.onabort = () => ctx.connection?.drop('Reconnecting')
      const up = (conn: XmppConnection) =>
        link.up(() =>
          conn.iq('get', splitJid(conn.jid).bare.split('@')[1], el('ping', { xmlns: NS.ping }), 'Ping').then(link.alive, (error: ConfabError) => {
            // An error answer (a server without XEP-0199) still proves the stream alive; no answer
            // is for the loop to judge (a half-open socket: a laptop that slept, a proxy that forgot us).
            if (error.code !== 'timeout') link.alive()
          })
        )
      if (ctx.connection) return up(ctx.connection)
      reconnect(ctx, session, signal).then(up, link.down)
    }
  })
}

/** Forget the session: no more events, waiters fail with `closed`. */
export function stop(ctx: XmppContext) {
  ctx.generation++
  fail(createError('closed', 'The XMPP transport was closed'), ctx.joins, ctx.reflections, ctx.ready)
  ctx.connection?.close()
  ctx.connection = ctx.visitor = ctx.probing = undefined
  // After the polite close above: the loop's abort would drop the connection.
  ctx.life?.abort()
  releaseTyping(ctx)
  ctx.rooms = new Map()
  ctx.byJid = new Map()
  ctx.skipped = 0
  ctx.archives.clear()
  ctx.sending.clear()
  ctx.stored.clear()
  ctx.uncertain.clear()
  ctx.slots.clear()
  ctx.upload = undefined
}

/**
 * Start a session: log the visitor in (a returning one by its resume key), find its conversations
 * and the server's upload service.
 */
export async function connect(ctx: XmppContext, input: ConnectInput = {}): Promise<VisitorSession> {
  stop(ctx)
  const session = ctx.generation
  ctx.setStatus('connecting')
  const returning = readResumeKey(input.resumeKey)
  // A key the server no longer knows (the account is gone) starts a fresh visitor, as the contract asks.
  const made = await logIn(ctx, await makeVisitor(ctx.crypto(), ctx.login, returning?.login === ctx.login ? returning : undefined), session, returning !== undefined)
  if (session !== ctx.generation || input.signal?.aborted) {
    made.connection.close()
    throw createError('closed', 'connect() was aborted or superseded')
  }
  ctx.visitor = made.visitor
  ctx.connection = made.connection
  // Reconnects start now: a connection lost while the conversations are listed comes back, and the listing goes on.
  keep(ctx, session)
  const [upload] = await Promise.all([findUploadService(ctx, 'Looking for an upload service'), discover(ctx, 'Listing the visitor’s conversations')])
  if (session !== ctx.generation) throw createError('closed', 'connect() was superseded')
  ctx.upload = upload
  return sessionOf(made.visitor, upload)
}
