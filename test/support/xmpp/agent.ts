import { openXmppConnection, type XmppConnection } from '../../../src/transports/xmpp/connection.js'
import { statusCodes } from '../../../src/transports/xmpp/rooms.js'
import { child, el, NS, splitJid } from '../../../src/transports/xmpp/xml.js'
import { nodeGlobals } from './node.js'
import type { XmppServer } from './servers.js'

/** A message the agent saw in a room. */
export interface SeenMessage {
  room: string
  nick: string
  text: string
  id?: string
}

/**
 * The agent side of tests and demos: an ordinary account on the server's main host (registered in
 * band on first use) that joins a conversation's room and writes in it, as any XMPP client would.
 */
export interface XmppAgent {
  jid: string
  /** Post `text` in conversation `conversationId`; resolves once the room stored it (its reflection came back). */
  reply(conversationId: string, text: string): Promise<void>
  /** Show or stop "typing" in the conversation. */
  typing(conversationId: string, typing: boolean): Promise<void>
  /** Join a conversation's room (done by `reply` when needed). */
  join(conversationId: string): Promise<void>
  /** As the room's owner, destroy conversation `conversationId`'s room (Prosody then refuses it with `gone`). */
  destroy(conversationId: string): Promise<void>
  /** As the room's owner, give conversation `conversationId`'s room a password: joins without it are refused. */
  lock(conversationId: string, password: string): Promise<void>
  /** Everything written in the rooms the agent is in, by others. */
  readonly seen: SeenMessage[]
  /** Chat states (XEP-0085) others sent in the agent's rooms. */
  readonly states: { room: string; nick: string; state: string }[]
  /** Conversation ids of the rooms the agent has joined. */
  readonly rooms: Set<string>
  /** Called for each message written by others (visitors); invitations make the agent join. */
  onMessage?: (message: SeenMessage) => void
  close(): void
}

let counter = 0
const id = () => `agent-${Date.now().toString(36)}-${(counter++).toString(36)}`

/** Log in as `username` on `server.domain`, registering the account first if it does not exist. */
export async function createXmppAgent(
  server: Pick<XmppServer, 'websocketUrl' | 'domain' | 'mucService'>,
  { username = 'agent', password = 'agent-secret', nick = 'Agent' }: { username?: string; password?: string; nick?: string } = {}
): Promise<XmppAgent> {
  const joined = new Map<string, Promise<void>>()
  const joinWaiters = new Map<string, { resolve(): void; reject(error: Error): void }>()
  const reflections = new Map<string, () => void>()
  const seen: SeenMessage[] = []
  const states: XmppAgent['states'] = []
  const rooms = new Set<string>()
  let connection: XmppConnection

  const roomOf = (conversationId: string) => `${conversationId}@${server.mucService}`

  const onStanza = (stanza: Element) => {
    const { bare, resource } = splitJid(stanza.getAttribute('from') ?? '')
    if (stanza.localName === 'presence') {
      const waiter = joinWaiters.get(bare)
      if (!waiter) return
      if (stanza.getAttribute('type') === 'error') {
        joinWaiters.delete(bare)
        waiter.reject(new Error(`agent could not join ${bare}: ${stanza.outerHTML}`))
      } else if (statusCodes(stanza).includes('110')) {
        joinWaiters.delete(bare)
        rooms.add(bare.split('@')[0]!)
        waiter.resolve()
      }
      return
    }
    if (stanza.localName !== 'message') return
    const invite = child(child(stanza, 'x', NS.mucUser), 'invite', NS.mucUser)
    if (invite) {
      void agent.join(bare.split('@')[0]!).catch(() => {})
      return
    }
    const body = child(stanza, 'body')
    if (stanza.getAttribute('type') !== 'groupchat') return
    if (!body) {
      const state = Array.from(stanza.children).find((node) => node.namespaceURI === NS.chatStates)
      if (state && resource !== nick) states.push({ room: bare.split('@')[0]!, nick: resource ?? '', state: state.localName })
      return
    }
    if (resource === nick) {
      reflections.get(stanza.getAttribute('id') ?? '')?.()
      return
    }
    const message: SeenMessage = { room: bare.split('@')[0]!, nick: resource ?? '', text: body.textContent ?? '' }
    const stanzaId = child(stanza, 'stanza-id', NS.sid)?.getAttribute('id')
    if (stanzaId) message.id = stanzaId
    if (child(stanza, 'delay', NS.delay)) return
    seen.push(message)
    agent.onMessage?.(message)
  }

  const open = (register: boolean) =>
    openXmppConnection({
      url: server.websocketUrl,
      domain: server.domain,
      credentials: { mechanism: 'PLAIN', username, password, register },
      WebSocket: nodeGlobals.WebSocket,
      parser: new nodeGlobals.DOMParser(),
      timers: { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
      timeout: 10_000,
      newId: id,
      onStanza,
      onMalformed: () => {},
      onClosed: () => {}
    })

  try {
    connection = await open(true)
  } catch {
    // Registered already (a second agent on the same server): log in.
    connection = await open(false)
  }

  const agent: XmppAgent = {
    jid: `${username}@${server.domain}`,
    seen,
    states,
    rooms,
    join(conversationId) {
      const room = roomOf(conversationId)
      let joining = joined.get(room)
      if (!joining) {
        joining = new Promise<void>((resolve, reject) => {
          joinWaiters.set(room, { resolve, reject })
          connection.send(el('presence', { xmlns: NS.client, to: `${room}/${nick}` }, el('x', { xmlns: NS.muc }, el('history', { maxstanzas: 0 }))))
        })
        joined.set(room, joining)
        joining.catch(() => joined.delete(room))
      }
      return joining
    },
    async reply(conversationId, text) {
      await agent.join(conversationId)
      const stanzaId = id()
      const stored = new Promise<void>((resolve) => reflections.set(stanzaId, resolve))
      connection.send(el('message', { xmlns: NS.client, type: 'groupchat', to: roomOf(conversationId), id: stanzaId }, el('body', {}, text)))
      await stored
      reflections.delete(stanzaId)
    },
    async typing(conversationId, typing) {
      await agent.join(conversationId)
      connection.send(
        el('message', { xmlns: NS.client, type: 'groupchat', to: roomOf(conversationId) }, el(typing ? 'composing' : 'paused', { xmlns: NS.chatStates }))
      )
    },
    async destroy(conversationId) {
      const query = el('query', { xmlns: NS.mucOwner }, el('destroy', {}, el('reason', {}, 'closed by its owner')))
      await connection.iq('set', roomOf(conversationId), query, `Destroying ${conversationId}`)
    },
    async lock(conversationId, password) {
      const field = (name: string, value: string) => el('field', { var: name }, el('value', {}, value))
      const form = el(
        'x',
        { xmlns: NS.data, type: 'submit' },
        field('FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig'),
        field('muc#roomconfig_passwordprotectedroom', '1'),
        field('muc#roomconfig_roomsecret', password)
      )
      await connection.iq('set', roomOf(conversationId), el('query', { xmlns: NS.mucOwner }, form), `Locking ${conversationId}`)
    },
    close: () => connection.close()
  }
  return agent
}
