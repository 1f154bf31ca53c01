import { createError } from '../../errors/index.js'
import type { Credentials } from './connection.js'

/**
 * How visitors log in.
 * - `'anonymous'`: SASL ANONYMOUS on the guest host; a new throw-away JID per connection. The
 *   visitor is a random secret kept in the resume key: it names the visitor and its rooms.
 * - `'account'`: a guest account on the main host, created with in-band registration (XEP-0077)
 *   on the first visit; the resume key holds its username and password.
 */
export type XmppLogin = 'anonymous' | 'account'

/** Who the visitor is, as the adapter keeps it for one session. */
export interface Visitor {
  login: XmppLogin
  /** What `connect()` answers as `visitorId`. */
  visitorId: string
  /** The visitor's nickname in every room. */
  nick: string
  /** What the client stores to come back. */
  resumeKey: string
  /** Secret the room names derive from. */
  seed: string
  credentials: Credentials
}

/** What {@link readResumeKey} finds in a key. */
export type Returning = { login: 'anonymous'; secret: string } | { login: 'account'; username: string; password: string }

const HEX = /^[0-9a-f]{16,128}$/
const USER = /^[a-z0-9][a-z0-9_-]{2,63}$/

/**
 * Read a resume key this adapter made, or `undefined` for anything else (a key from another
 * transport, a damaged one): the caller then starts a fresh visitor, as the contract asks.
 *
 * @example
 * readResumeKey('xmpp:a:5f2c…') // { login: 'anonymous', secret: '5f2c…' }
 */
export function readResumeKey(key: string | undefined): Returning | undefined {
  if (typeof key !== 'string') return undefined
  const parts = key.split(':')
  if (parts[0] !== 'xmpp') return undefined
  if (parts[1] === 'a' && parts.length === 3 && HEX.test(parts[2]!)) return { login: 'anonymous', secret: parts[2]! }
  if (parts[1] === 'r' && parts.length === 4 && USER.test(parts[2]!) && HEX.test(parts[3]!)) {
    return { login: 'account', username: parts[2]!, password: parts[3]! }
  }
  return undefined
}

/** Bytes as lowercase hex. */
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** Random bytes as lowercase hex. */
export function randomHex(crypto: Crypto, bytes: number): string {
  return hex(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** SHA-256 of `text`, as hex. */
export async function sha256(crypto: Crypto, text: string): Promise<string> {
  if (!crypto?.subtle) {
    throw createError('unsupported', 'The XMPP transport needs crypto.subtle (a secure context: https or localhost) to name rooms', { retryable: false })
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return hex(new Uint8Array(digest))
}

/**
 * The visitor a returning key names, or a new one (`returning` undefined). A new account visitor
 * has `register: true` on its credentials.
 */
export async function makeVisitor(crypto: Crypto, login: XmppLogin, returning: Returning | undefined): Promise<Visitor> {
  if (login === 'anonymous') {
    const secret = returning?.login === 'anonymous' ? returning.secret : randomHex(crypto, 16)
    // A name derived from the secret, so it can be shown to agents without giving the secret away.
    const visitorId = `guest-${(await sha256(crypto, `confab-visitor:${secret}`)).slice(0, 16)}`
    return { login, visitorId, nick: visitorId, resumeKey: `xmpp:a:${secret}`, seed: secret, credentials: { mechanism: 'ANONYMOUS' } }
  }
  const fresh = returning?.login !== 'account'
  const username = returning?.login === 'account' ? returning.username : `guest-${randomHex(crypto, 8)}`
  const password = returning?.login === 'account' ? returning.password : randomHex(crypto, 16)
  return {
    login,
    visitorId: username,
    nick: username,
    resumeKey: `xmpp:r:${username}:${password}`,
    seed: password,
    credentials: { mechanism: 'PLAIN', username, password, register: fresh }
  }
}

/**
 * The local part of the visitor's room number `index` (1, 2, …): a hash of the visitor's secret, so
 * nobody who lacks it can guess the visitor's rooms, and the visitor finds them again from the key
 * alone on any device and any server that keeps persistent rooms.
 *
 * @example
 * await roomName(crypto, 'confab-', seed, 1) // 'confab-3f9a0c…' (24 hex digits)
 */
export async function roomName(crypto: Crypto, prefix: string, seed: string, index: number): Promise<string> {
  return `${prefix}${(await sha256(crypto, `confab-room:${seed}:${index}`)).slice(0, 24)}`
}
