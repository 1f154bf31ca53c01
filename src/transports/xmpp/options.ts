import { createError } from '../../errors/index.js'
import { globalTimers, type Timers } from '../../util/timers.js'
import type { WebSocketFactory } from './connection.js'
import type { XmppLogin } from './identity.js'
import type { NetworkEvents, ReconnectOptions } from '../reconnect.js'
import type { XmlParser } from './xml.js'

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
  /**
   * Bare JIDs of your agents (or bots). Each gets a direct invitation (XEP-0249) into every new
   * conversation's room, and another when the visitor writes while no agent is in the room (at most
   * one waiting per agent and room, at most one round per room every 5 minutes). Servers keep the
   * invitation for an agent who is offline (Prosody's and ejabberd's `mod_offline`).
   */
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
  /** The `fetch` that asks whether an upload's bytes are in (a `HEAD` of its URL). Default: the global one. */
  fetch?: typeof fetch
}

/**
 * The options with their defaults filled in, as the parts of one transport read them; the reconnect
 * loop reads its own by name (timers, random, base and cap, keepalive, timeout, events).
 */
export interface Settings extends ReconnectSettings {
  options: XmppTransportOptions
  login: XmppLogin
  timeout: number
  keepalive: number
  now(): number
  random?: () => number
  timers: Timers
  crypto(): Crypto
}

type ReconnectSettings = Pick<ReconnectOptions, 'base' | 'cap' | 'events'>

/** Check `options` and fill in the defaults; throws `invalid-argument` for options that cannot work. */
export function readOptions(options: XmppTransportOptions): Settings {
  if (typeof options?.url !== 'string' || options.url === '' || typeof options.domain !== 'string' || options.domain === '') {
    throw createError('invalid-argument', 'createXmppTransport() needs the WebSocket `url` and the XMPP `domain`')
  }
  const login: XmppLogin = options.login ?? 'anonymous'
  if (login !== 'anonymous' && login !== 'account') {
    throw createError('invalid-argument', `createXmppTransport(): login must be 'anonymous' or 'account', got ${String(login)}`)
  }
  return {
    ...options.reconnect,
    events: options.events,
    options,
    login,
    timeout: options.timeout ?? 10_000,
    keepalive: options.keepalive ?? 30_000,
    now: options.now ?? (() => Date.now()),
    // Unset, the reconnect loop's backoff draws with Math.random.
    random: options.random,
    timers: options.timers ?? globalTimers,
    crypto: () => options.crypto ?? globalThis.crypto
  }
}
