import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import type { VisitorSession } from '../../../src/transports/types.js'

/**
 * A WebSocket relay between clients and a real XMPP server, as a load balancer or a corporate proxy
 * would sit there, that can break what passes through it on purpose: cut a visitor's connections,
 * lose the answer to a visitor's next message after the server stored it, or push a frame that is
 * not XML. Nothing is answered in the server's place: every stanza comes from the server.
 */
export interface XmppProxy {
  /** The URL clients use instead of the server's. */
  url: string
  /** Cut every connection of this visitor; resolves once they are closed. */
  cut(session: VisitorSession): Promise<void>
  /** Let this visitor's next message reach the server, drop the server's echo of it, and cut the connection. */
  loseNextAnswer(session: VisitorSession): Promise<void>
  /** Stop relaying this visitor's frames either way without closing anything: a half-open socket. */
  freeze(session: VisitorSession): Promise<void>
  /** Send this visitor a frame that is not well-formed XML. */
  injectMalformed(session: VisitorSession): Promise<void>
  close(): Promise<void>
}

interface Relay {
  client: WebSocket
  upstream: WebSocket
  /** Strings that tell whose connection this is: the bound JID, the nicks it joined rooms with. */
  tags: Set<string>
  loseNext: boolean
  frozen: boolean
  /** The id of the message whose echo is to be dropped. */
  dropping?: string
}

const belongsTo = (relay: Relay, session: VisitorSession) =>
  [...relay.tags].some((tag) => tag === session.visitorId || tag.startsWith(`${session.visitorId}@`) || tag.startsWith(`${session.visitorId}~`))

/** Start a relay on 127.0.0.1 in front of `target` (a ws:// URL). */
export async function startXmppProxy(target: string): Promise<XmppProxy> {
  const relays = new Set<Relay>()
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
      if (relay.loseNext && /^<message[^>]*type="groupchat"/.test(frame) && frame.includes('<body>')) {
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
        // The echo proves the server stored the message: lose it, and the connection with it.
        if (relay.dropping === '' || frame.includes(`id='${relay.dropping}'`) || frame.includes(`id="${relay.dropping}"`)) {
          relay.dropping = undefined
          client.terminate()
          upstream.terminate()
        }
        return
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
    async loseNextAnswer(session) {
      for (const relay of aimed(session)) relay.loseNext = true
    },
    async freeze(session) {
      for (const relay of aimed(session)) relay.frozen = true
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
