import { createError, type ConfabError } from '../../errors/index.js'
import type { Timers } from '../../util/timers.js'
import { callSafely, conditionIn, connectionLost, stanzaError } from './errors.js'
import { createWaiters } from './waiters.js'
import { child, childText, el, is, NS, parseFrame, type Xml, type XmlParser } from './xml.js'

/** The parts of a `WebSocket` the adapter uses; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number
  readonly protocol?: string
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code?: number; reason?: string }) => void) | null
  onerror: ((event: unknown) => void) | null
}

/** A `WebSocket` constructor: `globalThis.WebSocket` in browsers, `ws` in Node. */
export type WebSocketFactory = new (url: string, protocols: string | string[]) => WebSocketLike

export type { Timers }

/** How to log in. */
export type Credentials =
  /** SASL ANONYMOUS: the server hands out a throw-away JID. */
  | { mechanism: 'ANONYMOUS' }
  /** SASL PLAIN with an account; `register` first creates it with in-band registration (XEP-0077). */
  | { mechanism: 'PLAIN'; username: string; password: string; register?: boolean }

/** What {@link openXmppConnection} needs. */
export interface ConnectionOptions {
  url: string
  /** The host to open the stream to (the JID domain). */
  domain: string
  credentials: Credentials
  WebSocket: WebSocketFactory
  parser: XmlParser
  timers: Timers
  /** Milliseconds any one step or request may take. */
  timeout: number
  /** A fresh stanza id. */
  newId(): string
  /** A stanza that is not the answer to one of our requests (message, presence). */
  onStanza(stanza: Element): void
  /** A frame that is not well-formed XML: dropped. */
  onMalformed(frame: string): void
  /** The connection ended without `close()` being called. */
  onClosed(error: ConfabError): void
}

/** One logged-in XMPP stream over one WebSocket. */
export interface XmppConnection {
  /** The full JID the server bound. */
  readonly jid: string
  /** Whether stanzas can be written now. */
  isOpen(): boolean
  /** Write a stanza; fails with a retryable `network` error if the socket is no longer open. */
  send(stanza: Xml): void
  /** An `<iq>` request; resolves with the result stanza, rejects with its error as a `ConfabError`. */
  iq(type: 'get' | 'set', to: string | undefined, payload: Xml, label: string): Promise<Element>
  /** Close the stream politely; `onClosed` is not called. */
  close(): void
  /** Cut the socket at once, as a network failure would: `onClosed` is called. */
  drop(reason: string): void
}

const OPEN = 1

/** UTF-8 text as base64, for SASL. */
function base64(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Open a WebSocket to `url` with the `xmpp` subprotocol, open the stream, log in (registering the
 * account first when asked), bind a resource and send initial presence. Resolves once stanzas can
 * flow; rejects with a `ConfabError` (`unauthorized` for refused credentials, `network` or
 * `timeout` when the server cannot be reached).
 *
 * @example
 * const connection = await openXmppConnection({ url, domain: 'example.com', credentials: { mechanism: 'ANONYMOUS' }, … })
 * connection.send(el('presence', { xmlns: NS.client }))
 */
export function openXmppConnection(options: ConnectionOptions): Promise<XmppConnection> {
  const { timers, timeout, domain } = options
  const pending = createWaiters<string, Element>(timers)
  let socket: WebSocketLike
  let jid = ''
  let negotiating = true
  let ended = false
  // Frames read while logging in, and the step waiting for one.
  const queue: Element[] = []
  let waiter: (() => void) | undefined
  let failure: ConfabError | undefined

  /** Stop the stream: requests still waiting for an answer fail with `error`. */
  const end = (error: ConfabError) => {
    ended = true
    for (const request of pending.takeAll()) request.reject(error)
  }

  const fail = (error: ConfabError) => {
    if (ended) return
    end(error)
    if (negotiating) {
      failure = error
      waiter?.()
    } else {
      options.onClosed(error)
    }
  }

  const closeSocket = (code?: number, reason?: string) => {
    try {
      socket.close(code, reason)
    } catch {
      // Already closed, or not open yet.
    }
  }

  const write = (stanza: Xml) => {
    if (ended || socket.readyState !== OPEN) throw connectionLost('Sending to the XMPP server')
    socket.send(stanza.xml)
  }

  /** The next frame `test` accepts (others are skipped), while logging in. */
  const expect = (what: string, test: (frame: Element) => boolean): Promise<Element> =>
    new Promise((resolve, reject) => {
      const timer = timers.setTimeout(() => {
        waiter = undefined
        reject(createError('timeout', `The XMPP server did not send ${what} within ${timeout} ms`))
      }, timeout)
      const done = () => {
        timers.clearTimeout(timer)
        waiter = undefined
      }
      const check = () => {
        if (failure) {
          done()
          return reject(failure)
        }
        while (queue.length > 0) {
          const frame = queue.shift()!
          if (is(frame, 'error', NS.streams)) {
            done()
            return reject(streamError(frame))
          }
          if (test(frame)) {
            done()
            return resolve(frame)
          }
        }
        waiter = check
      }
      check()
    })

  const openStream = async () => {
    write(el('open', { xmlns: NS.framing, to: domain, version: '1.0' }))
    await expect('<open/>', (frame) => is(frame, 'open', NS.framing))
    return expect('<stream:features/>', (frame) => is(frame, 'features', NS.streams))
  }

  const request = (type: 'get' | 'set', to: string | undefined, payload: Xml, label: string): Promise<Element> => {
    const id = options.newId()
    return pending.ask(id, timeout, () => createError('timeout', `${label}: no answer within ${timeout} ms`), () =>
      write(el('iq', { xmlns: NS.client, type, to, id }, payload))
    )
  }

  /** Answer a request the server sent us: pong to pings, "not here" to anything else (RFC 6120 §8.2.3). */
  const answerRequest = (iq: Element) => {
    const from = iq.getAttribute('from') ?? undefined
    const id = iq.getAttribute('id') ?? undefined
    if (iq.getAttribute('type') === 'get' && child(iq, 'ping', NS.ping)) {
      write(el('iq', { xmlns: NS.client, type: 'result', to: from, id }))
      return
    }
    write(
      el('iq', { xmlns: NS.client, type: 'error', to: from, id },
        el('error', { type: 'cancel' }, el('service-unavailable', { xmlns: NS.stanzas })))
    )
  }

  const dispatch = (frame: Element) => {
    if (is(frame, 'close', NS.framing)) return socket.close(1000)
    if (is(frame, 'error', NS.streams)) {
      fail(streamError(frame))
      return socket.close(1000)
    }
    if (frame.localName === 'iq') {
      const type = frame.getAttribute('type')
      const id = frame.getAttribute('id') ?? ''
      if (type === 'result' || type === 'error') {
        const request = pending.take(id)
        if (!request) return
        return type === 'result' ? request.resolve(frame) : request.reject(stanzaError(frame, 'The request'))
      }
      try {
        return answerRequest(frame)
      } catch {
        return
      }
    }
    if (negotiating) {
      queue.push(frame)
      waiter?.()
      return
    }
    options.onStanza(frame)
  }

  async function negotiate(): Promise<XmppConnection> {
    let features = await openStream()
    const { credentials } = options
    if (credentials.mechanism === 'PLAIN' && credentials.register) {
      // XEP-0077 before authentication: the account is created, then used right away.
      await request('set', undefined, el('query', { xmlns: NS.register }, el('username', {}, credentials.username), el('password', {}, credentials.password)), 'Registering a guest account')
    }
    const offered = Array.from(child(features, 'mechanisms', NS.sasl)?.children ?? []).map((m) => m.textContent ?? '')
    if (!offered.includes(credentials.mechanism)) {
      throw createError('unsupported', `The XMPP server does not offer SASL ${credentials.mechanism} on ${domain} (it offers ${offered.join(', ') || 'nothing'})`)
    }
    const payload = credentials.mechanism === 'PLAIN' ? base64(`\u0000${credentials.username}\u0000${credentials.password}`) : ''
    write(el('auth', { xmlns: NS.sasl, mechanism: credentials.mechanism }, payload))
    const answer = await expect('the SASL outcome', (frame) => frame.namespaceURI === NS.sasl && (frame.localName === 'success' || frame.localName === 'failure'))
    if (answer.localName === 'failure') {
      const condition = answer.firstElementChild?.localName ?? 'not-authorized'
      throw createError('unauthorized', `The XMPP server refused SASL ${credentials.mechanism} on ${domain}: ${condition}`, { retryable: false, data: { condition } })
    }
    features = await openStream()
    if (!child(features, 'bind', NS.bind)) throw createError('unsupported', `The XMPP server offers no resource binding on ${domain}`)
    const resource = `confab-${options.newId()}`
    const bound = await request('set', undefined, el('bind', { xmlns: NS.bind }, el('resource', {}, resource)), 'Binding a resource')
    jid = childText(child(bound, 'bind', NS.bind), 'jid') ?? ''
    if (jid === '') throw createError('malformed-event', 'The XMPP server bound no JID', { retryable: true })
    write(el('presence', { xmlns: NS.client }))
    negotiating = false
    // Anything that came with the login frames (none expected) still reaches the handler.
    for (const frame of queue.splice(0)) options.onStanza(frame)
    return connection
  }

  const connection: XmppConnection = {
    get jid() {
      return jid
    },
    isOpen: () => !ended && socket.readyState === OPEN,
    send: write,
    iq: request,
    close() {
      if (ended) return
      end(createError('closed', 'The XMPP connection was closed'))
      try {
        if (socket.readyState === OPEN) socket.send(el('close', { xmlns: NS.framing }).xml)
        socket.close(1000)
      } catch {
        // Closing twice, or a socket that never opened.
      }
    },
    drop(reason) {
      fail(connectionLost(reason))
      closeSocket(4000, 'dropped')
    }
  }

  return new Promise<XmppConnection>((resolve, reject) => {
    try {
      socket = new options.WebSocket(options.url, 'xmpp')
    } catch (error) {
      return reject(createError('network', `Could not open a WebSocket to ${options.url}`, { cause: error, retryable: true }))
    }
    const openTimer = timers.setTimeout(() => {
      fail(createError('timeout', `The XMPP server at ${options.url} did not accept the WebSocket within ${timeout} ms`))
      closeSocket()
    }, timeout)
    socket.onopen = () => {
      timers.clearTimeout(openTimer)
      negotiate().then(resolve, (error: ConfabError) => {
        ended = true
        closeSocket(1000)
        reject(error)
      })
    }
    socket.onmessage = (event) => {
      const text = typeof event.data === 'string' ? event.data : String(event.data)
      const frame = parseFrame(options.parser, text)
      if (!frame) return options.onMalformed(text)
      // A handler that throws must not take the stream down.
      callSafely(() => dispatch(frame))
    }
    socket.onerror = () => {
      // The close event follows with the details that exist; nothing to add here.
    }
    socket.onclose = (event) => {
      timers.clearTimeout(openTimer)
      const error = connectionLost(`The WebSocket to ${options.url} closed (${event?.code ?? 'no code'})`)
      fail(error)
      if (negotiating) reject(failure ?? error)
    }
  })
}

/** A `<stream:error>` as a `ConfabError`. */
function streamError(frame: Element): ConfabError {
  const condition = conditionIn(frame)
  const refused = condition === 'not-authorized' || condition === 'policy-violation' || condition === 'host-unknown'
  return createError(refused ? 'unauthorized' : 'network', `The XMPP server ended the stream: ${condition}`, {
    retryable: !refused,
    data: { condition }
  })
}
