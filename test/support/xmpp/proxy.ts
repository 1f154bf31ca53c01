import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import type { VisitorSession } from '../../../src/transports/types.js'

/**
 * A WebSocket relay between clients and a real XMPP server, as a load balancer or a corporate proxy
 * would sit there, that can break what passes through it on purpose: cut a visitor's connections,
 * lose the answer to a visitor's next message after the server stored it, hold a request, or push a
 * frame that is not XML. Every stanza comes from the server, except the error `refusePings` answers
 * in its place (what a server without XEP-0199 answers).
 */
export interface XmppProxy {
  /** The URL clients use instead of the server's. */
  url: string
  /** Cut every connection of this visitor; resolves once they are closed. */
  cut(session: VisitorSession): Promise<void>
  /**
   * Let this visitor's next message (or postback) reach the server, drop the server's echo of it,
   * and cut the connection (or, with `keepOpen`, only lose the echo).
   */
  loseNextAnswer(session: VisitorSession, options?: { keepOpen?: boolean }): Promise<void>
  /** Answer this visitor's pings with `service-unavailable`, as a server without XEP-0199 does; resolves at the first. */
  refusePings(session: VisitorSession): Promise<void>
  /**
   * Hold (never forward) this visitor's `nth` archive query from now on, on whichever of its
   * connections it comes; resolves once it is held.
   */
  holdArchiveQuery(session: VisitorSession, nth: number): Promise<void>
  /**
   * Hold (do not forward yet) this visitor's next frame that `test` accepts; resolves once it is
   * held, with the function that forwards it.
   */
  hold(session: VisitorSession, test: (frame: string) => boolean): Promise<() => void>
  /** Stop relaying this visitor's frames either way without closing anything: a half-open socket. */
  freeze(session: VisitorSession): Promise<void>
  /** Send this visitor a frame that is not well-formed XML. */
  injectMalformed(session: VisitorSession): Promise<void>
  /** Every frame this visitor sends from now on, on any of its connections: an array that grows. */
  record(session: VisitorSession): string[]
  close(): Promise<void>
}

interface Relay {
  client: WebSocket
  upstream: WebSocket
  /** Strings that tell whose connection this is: the bound JID, the nicks it joined rooms with. */
  tags: Set<string>
  loseNext: boolean
  /** Lose only the echo, keeping the connection. */
  keepOpen?: boolean
  frozen: boolean
  /** The id of the message whose echo is to be dropped. */
  dropping?: string
}

const belongsTo = (relay: Relay, session: VisitorSession) =>
  [...relay.tags].some((tag) => tag === session.visitorId || tag.startsWith(`${session.visitorId}@`) || tag.startsWith(`${session.visitorId}~`))

/** Start a relay on 127.0.0.1 in front of `target` (a ws:// URL). */
export async function startXmppProxy(target: string): Promise<XmppProxy> {
  const relays = new Set<Relay>()
  /** Faults aimed at a visitor rather than one connection: `test` sees each frame the visitor sends; true swallows it. */
  const rules = new Set<{ session: VisitorSession; test(frame: string, relay: Relay): boolean }>()
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('xmpp') ? 'xmpp' : false) })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  const path = new URL(target).pathname

  server.on('connection', (client) => {
    const upstream = new WebSocket(target, 'xmpp')
    const relay: Relay = { client, upstream, tags: new Set(), loseNext: false, frozen: false }
    relays.add(relay)
    const early: string[] = []
    upstream.on('open', () => {
      for (const frame of early.splice(0)) upstream.send(frame)
    })
    client.on('message', (data) => {
      if (relay.frozen) return
      const frame = data.toString()
      const nick = /<presence[^>]* to="[^"/]+\/([^"]+)"/.exec(frame)?.[1]
      if (nick) relay.tags.add(nick)
      for (const rule of rules) if (belongsTo(relay, rule.session) && rule.test(frame, relay)) return
      if (relay.loseNext && /^<message[^>]*type="groupchat"/.test(frame) && /<body>|<postback /.test(frame)) {
        relay.loseNext = false
        relay.dropping = /^<message[^>]* id="([^"]+)"/.exec(frame)?.[1] ?? ''
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(frame)
      else if (upstream.readyState === WebSocket.CONNECTING) early.push(frame)
    })
    upstream.on('message', (data) => {
      if (relay.frozen) return
      const frame = data.toString()
      const jid = /<jid>([^<]+)<\/jid>/.exec(frame)?.[1]
      if (jid) relay.tags.add(jid)
      if (relay.dropping !== undefined) {
        // The echo proves the server stored the message: lose it, and (unless told to keep it) the connection with it.
        if (relay.dropping === '' || frame.includes(`id='${relay.dropping}'`) || frame.includes(`id="${relay.dropping}"`)) {
          relay.dropping = undefined
          if (!relay.keepOpen) {
            client.terminate()
            upstream.terminate()
          }
          return
        }
        if (!relay.keepOpen) return
      }
      if (client.readyState === WebSocket.OPEN) client.send(frame)
    })
    const end = () => {
      relays.delete(relay)
      if (client.readyState !== WebSocket.CLOSED) client.terminate()
      if (upstream.readyState !== WebSocket.CLOSED) upstream.terminate()
    }
    client.on('close', end)
    upstream.on('close', end)
    client.on('error', end)
    upstream.on('error', end)
  })

  const aimed = (session: VisitorSession) => {
    const found = [...relays].filter((relay) => belongsTo(relay, session))
    if (found.length === 0) throw new Error(`the proxy carries no connection of visitor ${session.visitorId}`)
    return found
  }

  return {
    url: `ws://127.0.0.1:${port}${path}`,
    async cut(session) {
      await Promise.all(
        aimed(session).map(
          (relay) =>
            new Promise<void>((resolve) => {
              relay.client.once('close', () => resolve())
              relay.client.close(1001, 'going away')
              relay.upstream.close()
            })
        )
      )
    },
    async loseNextAnswer(session, { keepOpen = false } = {}) {
      for (const relay of aimed(session)) Object.assign(relay, { loseNext: true, keepOpen })
    },
    refusePings: (session) =>
      new Promise<void>((resolve) => {
        rules.add({
          session,
          test(frame, relay) {
            if (!frame.startsWith('<iq') || !frame.includes('urn:xmpp:ping')) return false
            const id = /^<iq[^>]* id="([^"]+)"/.exec(frame)?.[1] ?? ''
            relay.client.send(
              `<iq xmlns='jabber:client' type='error' id='${id}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`
            )
            resolve()
            return true
          }
        })
      }),
    holdArchiveQuery: (session, nth) =>
      new Promise<void>((resolve) => {
        const rule = {
          session,
          test(frame: string) {
            if (!frame.startsWith('<iq') || !frame.includes('urn:xmpp:mam:2') || --nth > 0) return false
            rules.delete(rule)
            resolve()
            return true
          }
        }
        rules.add(rule)
      }),
    hold: (session, test) =>
      new Promise((resolve) => {
        const rule = {
          session,
          test(frame: string, relay: Relay) {
            if (!test(frame)) return false
            rules.delete(rule)
            resolve(() => relay.upstream.send(frame))
            return true
          }
        }
        rules.add(rule)
      }),
    async freeze(session) {
      for (const relay of aimed(session)) relay.frozen = true
    },
    record(session) {
      const frames: string[] = []
      rules.add({
        session,
        test(frame) {
          frames.push(frame)
          return false
        }
      })
      return frames
    },
    async injectMalformed(session) {
      for (const relay of aimed(session)) relay.client.send("<message xmlns='jabber:client' type='groupchat'><body>half a message")
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const relay of relays) {
          relay.client.terminate()
          relay.upstream.terminate()
        }
        server.close(() => resolve())
      })
  }
}
