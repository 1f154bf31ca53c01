import WebSocket from 'ws'
import type { MessageContent, OutgoingPostback } from '../../../src/transports/types.js'
import { openXmppConnection, type XmppConnection } from '../../../src/transports/xmpp/connection.js'
import { contentXml, readContent, readPostback } from '../../../src/transports/xmpp/content.js'
import { archiveQuery, readFin } from '../../../src/transports/xmpp/messages.js'
import { statusCodes } from '../../../src/transports/xmpp/rooms.js'
import { child, el, NS, splitJid, type XmlChild } from '../../../src/transports/xmpp/xml.js'
import { nodeGlobals } from './node.js'
import type { XmppServer } from './servers.js'

/** A message the agent saw in a room. */
export interface SeenMessage {
  room: string
  nick: string
  /** Its text, as a Confab client reads it. */
  text: string
  /** Its `<body>`, as any XMPP client shows it. */
  body: string
  id?: string
  /** The rest of its content, as a Confab client reads it (see src/transports/xmpp/content.ts). */
  content: Omit<MessageContent, 'text'>
  /** The stanza as the agent received it, live or from the archive. */
  xml: string
}

/**
 * The agent side of tests and demos: an ordinary account on the server's main host (registered in
 * band on first use) that accepts invitations, joins a conversation's room, reads what the room's
 * archive holds and writes in it, as any XMPP client would.
 */
export interface XmppAgent {
  jid: string
  /** Post `text` in conversation `conversationId`; resolves once the room stored it (its reflection came back). */
  reply(conversationId: string, text: string): Promise<void>
  /** Post a message with rich content, as a bot that knows Confab writes it; resolves once the room stored it. */
  send(conversationId: string, content: MessageContent): Promise<void>
  /** Post a message made of `children` (a body and any elements), as any XMPP client may; resolves once stored. */
  sendXml(conversationId: string, ...children: XmlChild[]): Promise<void>
  /** The postbacks the room's archive holds, oldest first, each as often as it was stored. */
  postbacks(conversationId: string): Promise<OutgoingPostback[]>
  /** Show or stop "typing" in the conversation. */
  typing(conversationId: string, typing: boolean): Promise<void>
  /** Say the agent read the conversation up to message `messageId` (a displayed chat marker, XEP-0333); resolves once the room relayed it. */
  markRead(conversationId: string, messageId: string): Promise<void>
  /** Displayed chat markers others sent in the agent's rooms, in the order met, live or from the archive. */
  readonly markers: { room: string; nick: string; id: string }[]
  /**
   * Join a conversation's room (done by `reply` when needed, and on an invitation), then read its
   * archive (MAM) for what was written before: each message lands in `seen` once, archived or live.
   */
  join(conversationId: string): Promise<void>
  /** Leave a conversation's room; resolves once the room confirmed it. */
  leave(conversationId: string): Promise<void>
  /** Conversation ids of the invitations received (direct, XEP-0249, or mediated), in order, offline ones included. */
  readonly invitations: string[]
  /** As the room's owner, destroy conversation `conversationId`'s room (Prosody then refuses it with `gone`). */
  destroy(conversationId: string): Promise<void>
  /** As the room's owner, give conversation `conversationId`'s room a password: joins without it are refused. */
  lock(conversationId: string, password: string): Promise<void>
  /** Everything written by others in the rooms the agent joined, once each, whether read live or from the archive. */
  readonly seen: SeenMessage[]
  /** Chat states (XEP-0085) others sent in the agent's rooms. */
  readonly states: { room: string; nick: string; state: string }[]
  /** Conversation ids of the rooms the agent has joined. */
  readonly rooms: Set<string>
  /** Called once for each message written by others (visitors), as it lands in `seen`. */
  onMessage?: (message: SeenMessage) => void
  close(): void
}

let counter = 0
const id = () => `agent-${Date.now().toString(36)}-${(counter++).toString(36)}`

/**
 * Create the account `username` on `server.domain` by in-band registration, without logging in: an
 * agent who has never been online.
 */
export async function registerXmppAccount(server: XmppServer, username: string, password: string): Promise<void> {
  const socket = new WebSocket(server.websocketUrl, 'xmpp')
  const frames: string[] = []
  let wake = () => {}
  socket.on('message', (data) => {
    frames.push(data.toString())
    wake()
  })
  const next = (test: (frame: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`registering ${username}: no answer; got ${frames.join('\n')}`)), 10_000)
      wake = () => {
        const found = frames.find(test)
        if (!found) return
        clearTimeout(timer)
        resolve(found)
      }
      wake()
    })
  try {
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    socket.send(el('open', { xmlns: NS.framing, to: server.domain, version: '1.0' }).xml)
    await next((frame) => frame.includes('features'))
    const form = el('query', { xmlns: NS.register }, el('username', {}, username), el('password', {}, password))
    socket.send(el('iq', { xmlns: NS.client, type: 'set', id: 'register' }, form).xml)
    const answer = await next((frame) => /^<iq[^>]*id=["']register["']/.test(frame))
    if (!/type=["']result["']/.test(answer)) throw new Error(`registering ${username} was refused: ${answer}`)
  } finally {
    socket.close()
  }
}

/**
 * Log in as `username` on `server.domain`, registering the account first if it does not exist. With
 * `autoJoin: false`, invitations are only recorded, not accepted.
 */
export async function createXmppAgent(
  server: Pick<XmppServer, 'websocketUrl' | 'domain' | 'mucService'>,
  {
    username = 'agent',
    password = 'agent-secret',
    nick = 'Agent',
    autoJoin = true
  }: { username?: string; password?: string; nick?: string; autoJoin?: boolean } = {}
): Promise<XmppAgent> {
  const joined = new Map<string, Promise<void>>()
  const presenceWaiters = new Map<string, { resolve(): void; reject(error: Error): void }>()
  const reflections = new Map<string, () => void>()
  const archives = new Map<string, Element[]>()
  const seen: SeenMessage[] = []
  const seenIds = new Set<string>()
  const states: XmppAgent['states'] = []
  const markers: XmppAgent['markers'] = []
  /** A displayed marker by someone else in `roomJid`, if `stanza` is one. */
  const noteMarker = (roomJid: string, stanza: Element, from: string) => {
    const marked = child(stanza, 'displayed', NS.markers)?.getAttribute('id')
    if (marked && from !== nick) markers.push({ room: idOf(roomJid), nick: from, id: marked })
    return !!marked
  }
  const rooms = new Set<string>()
  const invitations: string[] = []
  let connection: XmppConnection

  const roomOf = (conversationId: string) => `${conversationId}@${server.mucService}`
  const idOf = (roomJid: string) => roomJid.split('@')[0]!

  /** A message by someone else: kept once, whether it came live or from the archive. */
  const note = (message: SeenMessage) => {
    if (message.id !== undefined) {
      if (seenIds.has(message.id)) return
      seenIds.add(message.id)
    }
    seen.push(message)
    agent.onMessage?.(message)
  }

  /** Hand each message of `roomJid`'s whole archive, oldest first, to `take` with its archive id. */
  const eachArchived = async (roomJid: string, take: (message: Element, id: string | undefined) => void) => {
    for (let after: string | null = null; ; ) {
      const queryId = id()
      const results: Element[] = []
      archives.set(queryId, results)
      let answer: Element
      try {
        answer = await connection.iq('set', roomJid, archiveQuery(queryId, { after }, 50), `Reading ${roomJid}`)
      } finally {
        archives.delete(queryId)
      }
      for (const result of results) {
        const inner = child(child(result, 'forwarded', NS.forward), 'message')
        if (inner) take(inner, result.getAttribute('id') ?? undefined)
      }
      const fin = readFin(answer)
      if (fin.complete || !fin.last) return
      after = fin.last
    }
  }

  /** What the agent keeps of a message with a body by someone else. */
  const seenOf = (roomJid: string, stanza: Element, stanzaId: string | undefined): SeenMessage => {
    const body = child(stanza, 'body')?.textContent ?? ''
    const { text, ...content } = readContent(stanza, body).content
    return {
      room: idOf(roomJid),
      nick: splitJid(stanza.getAttribute('from') ?? '').resource ?? '',
      text,
      body,
      ...(stanzaId ? { id: stanzaId } : {}),
      content,
      xml: stanza.outerHTML
    }
  }

  /** Read the whole archive of `roomJid`, oldest first, as any client does after joining. */
  const readArchive = (roomJid: string) =>
    eachArchived(roomJid, (message, archiveId) => {
      const from = splitJid(message.getAttribute('from') ?? '').resource ?? ''
      if (noteMarker(roomJid, message, from)) return
      if (child(message, 'body') && from !== nick) note(seenOf(roomJid, message, archiveId))
    })

  const onStanza = (stanza: Element) => {
    const { bare, resource } = splitJid(stanza.getAttribute('from') ?? '')
    if (stanza.localName === 'presence') {
      const waiter = presenceWaiters.get(bare)
      if (!waiter) return
      if (stanza.getAttribute('type') === 'error') {
        presenceWaiters.delete(bare)
        waiter.reject(new Error(`agent could not join ${bare}: ${stanza.outerHTML}`))
      } else if (statusCodes(stanza).includes('110')) {
        presenceWaiters.delete(bare)
        if (stanza.getAttribute('type') === 'unavailable') rooms.delete(idOf(bare))
        else rooms.add(idOf(bare))
        waiter.resolve()
      }
      return
    }
    if (stanza.localName !== 'message') return
    const result = child(stanza, 'result', NS.mam)
    if (result) {
      archives.get(result.getAttribute('queryid') ?? '')?.push(result)
      return
    }
    // A direct invitation (XEP-0249) names the room; a mediated one (XEP-0045) comes from it.
    const direct = child(stanza, 'x', NS.conference)?.getAttribute('jid')
    const mediated = child(child(stanza, 'x', NS.mucUser), 'invite', NS.mucUser)
    if (direct || mediated) {
      const room = idOf(direct ?? bare)
      invitations.push(room)
      if (autoJoin) void agent.join(room).catch(() => {})
      return
    }
    const body = child(stanza, 'body')
    if (stanza.getAttribute('type') !== 'groupchat') return
    if (resource === nick) {
      reflections.get(stanza.getAttribute('id') ?? '')?.()
      return
    }
    if (noteMarker(bare, stanza, resource ?? '')) return
    if (!body) {
      const state = Array.from(stanza.children).find((node) => node.namespaceURI === NS.chatStates)
      if (state) states.push({ room: idOf(bare), nick: resource ?? '', state: state.localName })
      return
    }
    if (child(stanza, 'delay', NS.delay)) return
    note(seenOf(bare, stanza, child(stanza, 'stanza-id', NS.sid)?.getAttribute('id') ?? undefined))
  }

  /** Send `presence` to `roomJid` and wait for the room's answer about us (status 110). */
  const presenceTo = (roomJid: string, presence: { xml: string }) =>
    new Promise<void>((resolve, reject) => {
      presenceWaiters.set(roomJid, { resolve, reject })
      connection.send(presence)
    })

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
    markers,
    rooms,
    invitations,
    join(conversationId) {
      const room = roomOf(conversationId)
      let joining = joined.get(room)
      if (!joining) {
        const presence = el('presence', { xmlns: NS.client, to: `${room}/${nick}` }, el('x', { xmlns: NS.muc }, el('history', { maxstanzas: 0 })))
        joining = presenceTo(room, presence).then(() => readArchive(room))
        joined.set(room, joining)
        joining.catch(() => joined.delete(room))
      }
      return joining
    },
    async leave(conversationId) {
      const room = roomOf(conversationId)
      await joined.get(room)
      joined.delete(room)
      await presenceTo(room, el('presence', { xmlns: NS.client, to: `${room}/${nick}`, type: 'unavailable' }))
    },
    reply: (conversationId, text) => agent.sendXml(conversationId, el('body', {}, text)),
    send: (conversationId, content) => agent.sendXml(conversationId, ...contentXml(content)),
    async sendXml(conversationId, ...children) {
      await agent.join(conversationId)
      const stanzaId = id()
      const stored = new Promise<void>((resolve) => reflections.set(stanzaId, resolve))
      connection.send(el('message', { xmlns: NS.client, type: 'groupchat', to: roomOf(conversationId), id: stanzaId }, ...children))
      await stored
      reflections.delete(stanzaId)
    },
    async postbacks(conversationId) {
      await agent.join(conversationId)
      const found: OutgoingPostback[] = []
      await eachArchived(roomOf(conversationId), (message) => {
        const postback = readPostback(message)
        const clientId = child(message, 'origin-id', NS.sid)?.getAttribute('id')
        if (postback && clientId) found.push({ clientId, ...postback })
      })
      return found
    },
    markRead: (conversationId, messageId) => agent.sendXml(conversationId, el('displayed', { xmlns: NS.markers, id: messageId }), el('store', { xmlns: NS.hints })),
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
