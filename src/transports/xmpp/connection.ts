import { createError, type ConfabError } from '../../errors/index.js'
import { connectionLost, stanzaError } from './errors.js'
import { child, childText, el, NS, parseFrame, type Xml, type XmlParser } from './xml.js'

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

/** Timer functions, injectable so tests control time without patching globals. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

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
  const pending = new Map<string, { resolve(stanza: Element): void; reject(error: ConfabError): void; timer: unknown }>()
  let socket: WebSocketLike
  let jid = ''
  let negotiating = true
  let ended = false
  // Frames read while logging in, and the step waiting for one.
  const queue: Element[] = []
  let waiter: (() => void) | undefined
  let failure: ConfabError | undefined

  const fail = (error: ConfabError) => {
    if (ended) return
    ended = true
    for (const [id, request] of pending) {
      timers.clearTimeout(request.timer)
      pending.delete(id)
      request.reject(error)
    }
    if (negotiating) {
      failure = error
      waiter?.()
    } else {
      options.onClosed(error)
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
      const check = () => {
        if (failure) {
          timers.clearTimeout(timer)
          waiter = undefined
          return reject(failure)
        }
        while (queue.length > 0) {
          const frame = queue.shift()!
          if (frame.localName === 'error' && frame.namespaceURI === NS.streams) {
            timers.clearTimeout(timer)
            waiter = undefined
            return reject(streamError(frame))
          }
          if (test(frame)) {
            timers.clearTimeout(timer)
            waiter = undefined
            return resolve(frame)
          }
        }
        waiter = check
      }
      check()
    })

  const openStream = async () => {
    write(el('open', { xmlns: NS.framing, to: domain, version: '1.0' }))
    await expect('<open/>', (frame) => frame.localName === 'open' && frame.namespaceURI === NS.framing)
    return expect('<stream:features/>', (frame) => frame.localName === 'features' && frame.namespaceURI === NS.streams)
  }

  const request = (type: 'get' | 'set', to: string | undefined, payload: Xml, label: string): Promise<Element> => {
    const id = options.newId()
    return new Promise<Element>((resolve, reject) => {
      const timer = timers.setTimeout(() => {
        pending.delete(id)
        reject(createError('timeout', `${label}: no answer within ${timeout} ms`))
      }, timeout)
      pending.set(id, { resolve, reject, timer })
      try {
        write(el('iq', { xmlns: NS.client, type, to, id }, payload))
      } catch (error) {
        timers.clearTimeout(timer)
        pending.delete(id)
        reject(error)
      }
    })
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
    if (frame.localName === 'close' && frame.namespaceURI === NS.framing) return socket.close(1000)
    if (frame.localName === 'error' && frame.namespaceURI === NS.streams) {
      fail(streamError(frame))
      return socket.close(1000)
    }
    if (frame.localName === 'iq') {
      const type = frame.getAttribute('type')
      const id = frame.getAttribute('id') ?? ''
      if (type === 'result' || type === 'error') {
        const request = pending.get(id)
        if (!request) return
        pending.delete(id)
        timers.clearTimeout(request.timer)
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
      ended = true
      for (const [id, request] of pending) {
        timers.clearTimeout(request.timer)
        pending.delete(id)
        request.reject(createError('closed', 'The XMPP connection was closed'))
      }
      try {
        if (socket.readyState === OPEN) socket.send(el('close', { xmlns: NS.framing }).xml)
        socket.close(1000)
      } catch {
        // Closing twice, or a socket that never opened.
      }
    },
    drop(reason) {
      fail(connectionLost(reason))
      try {
        socket.close(4000, 'dropped')
      } catch {
        // Already closed.
      }
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
      try {
        socket.close()
      } catch {
        // Not open yet.
      }
    }, timeout)
    socket.onopen = () => {
      timers.clearTimeout(openTimer)
      negotiate().then(resolve, (error: ConfabError) => {
        ended = true
        try {
          socket.close(1000)
        } catch {
          // Already closed.
        }
        reject(error)
      })
    }
    socket.onmessage = (event) => {
      const text = typeof event.data === 'string' ? event.data : String(event.data)
      const frame = parseFrame(options.parser, text)
      if (!frame) return options.onMalformed(text)
      try {
        dispatch(frame)
      } catch (error) {
        // A handler that throws must not take the stream down.
        queueMicrotask(() => {
          throw error
        })
      }
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
  const condition = Array.from(frame.children).find((c) => c.localName !== 'text')?.localName ?? 'undefined-condition'
  const refused = condition === 'not-authorized' || condition === 'policy-violation' || condition === 'host-unknown'
  return createError(refused ? 'unauthorized' : 'network', `The XMPP server ended the stream: ${condition}`, {
    retryable: !refused,
    data: { condition }
  })
}
