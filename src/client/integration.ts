import { createError } from '../errors/index.js'
import type { ChatMessage, ClientStores, OutgoingFile, SearchResult } from '../store/index.js'
import type { TabChannel } from '../tabs/channel.js'
import type { Action, Author, Conversation, Message } from '../transports/types.js'
import { createEmitter, type Emitter, type Unsubscribe } from '../util/emitter.js'
import { randomId } from '../util/ids.js'
import type {
  ClientEvents,
  FormValues,
  IntegrationEvent,
  IntegrationEvents,
  IntegrationEventType,
  IntegrationPayloads,
  IntegrationSource,
  MessageFacts
} from './api.js'

/** What the stream needs from the client around it. */
export interface IntegrationDeps {
  stores: ClientStores
  /** The client's own events: most of the stream follows them. */
  emitter: Emitter<ClientEvents>
  channel: TabChannel
  /** The current person, or `null` before the first session. */
  currentPerson: () => string | null
  now: () => number
  crypto?: Crypto
  /** Put the words of messages, form answers and rating comments in the events. */
  includeText?: boolean
}

/** Events keyed to one thing remembered per tab (emitted here, or by a tab that said so): enough for any hand-over. */
const REMEMBERED = 500

const person = ({ role, name }: Author) => (name ? { role, name } : { role })
/** What one read is about, the same in every tab. */
const readKey = ({ conversationId, messageId, reader }: Extract<ClientEvents['read'], object>) => `${conversationId}:${messageId}:${reader.role}`

/**
 * Make the integration event stream over a client (see {@link IntegrationEvents}); the client's
 * actions call the rest for what the visitor does. A listener that throws is reported as an `error`
 * (the client's and the stream's) and the other listeners still run.
 *
 * @example
 * const integration = createIntegration({ stores, emitter, channel, currentPerson, now })
 * integration.clicked(message, action)
 */
export function createIntegration(deps: IntegrationDeps) {
  const { stores, emitter: client, channel } = deps
  const leads = () => stores.$leader.get()
  /** The type of the event being handed out, for a listener that throws. */
  let handing: string | undefined
  const listeners = createEmitter<Record<string, IntegrationEvent>>(
    // A listener of `error` that throws goes to the page: reporting it would call it again.
    (error) => handing !== 'error' && client.emit('error', createError('internal', `A listener of the "${handing}" event threw`, { cause: error }))
  )
  const seen = new Set<string>()
  const note = (id: string) => {
    seen.add(id)
    if (seen.size > REMEMBERED) seen.delete(seen.values().next().value!)
  }
  channel.listen((message) => {
    if (message.person !== deps.currentPerson()) return
    if (message.type === 'emitted') message.ids.forEach(note)
    // What the leader relays it told: a tab that has just started leading may get it from its own stream too.
    if (message.type === 'event' && message.event.type === 'message') note(`message:received:${message.event.message.id}`)
    if (message.type === 'event' && message.event.type === 'read') note(`message:read:${readKey(message.event)}`)
  })

  /**
   * Hand an event to the listeners. With `key`, it is about one thing and has the same id in every
   * tab: emitted once here, and (with `share`) the other tabs are told not to emit it again.
   */
  function emit<T extends IntegrationEventType>(
    type: T,
    source: IntegrationSource,
    payload: IntegrationPayloads[T] & { conversationId?: string; messageId?: string },
    key?: string,
    share = true
  ): void {
    const id = key === undefined ? randomId(deps.crypto) : `${type}:${key}`
    if (key !== undefined) {
      if (seen.has(id)) return
      note(id)
      const who = deps.currentPerson()
      if (share && who !== null && channel.others) channel.post({ type: 'emitted', person: who, ids: [id] })
    }
    const event = { id, type, at: deps.now(), source, ...payload } as unknown as IntegrationEvent
    const outer = handing
    handing = type
    listeners.emit(type, event)
    listeners.emit('*', event)
    handing = outer
  }

  const about = (m: Message) => (m.clientId === m.id ? { conversationId: m.conversationId } : { conversationId: m.conversationId, messageId: m.id })
  const facts = (m: Message): MessageFacts => {
    const described: MessageFacts = { author: person(m.author), parts: (m.parts ?? []).map((part) => part.type) }
    if (m.clientId) described.clientId = m.clientId
    if (deps.includeText) described.text = m.text
    return described
  }
  const file = (m: ChatMessage, f: OutgoingFile) => ({ conversationId: m.conversationId, fileId: f.id, clientId: m.clientId!, size: f.size, mediaType: f.type })
  const open = () => {
    const id = stores.$activeId.get()
    return id === null ? {} : { conversationId: id }
  }

  client.on('open', () => emit('messenger:opened', 'visitor', open()))
  client.on('close', () => emit('messenger:closed', 'visitor', open()))
  // Every tab applies what arrives; the leader announces it. A tab that leads later knows it is told.
  client.on('message', (m) => (leads() ? emit('message:received', 'backend', { ...about(m), ...facts(m) }, m.id, false) : note(`message:received:${m.id}`)))
  // Announced once per position by every tab (see read.ts); the leader tells the stream.
  client.on('read', (e) => {
    const read = { conversationId: e.conversationId, messageId: e.messageId, reader: person(e.reader), ...(e.at === undefined ? {} : { readAt: e.at }) }
    if (leads()) emit('message:read', e.reader.role === 'visitor' ? 'visitor' : 'backend', read, readKey(e), false)
    else note(`message:read:${readKey(e)}`)
  })
  // Emitted by the tab that delivered it (the leader); one that finished a send as it stopped leading
  // and the new leader that sent it again say so to each other.
  client.on('sent', (m) => emit('message:sent', 'visitor', { ...about(m), ...facts(m) }, m.clientId))
  client.on('failed', (m) => {
    const reason = m.error ?? ''
    emit('message:failed', 'visitor', { ...about(m), ...facts(m), reason, refused: !!m.refused })
    for (const f of m.files ?? []) if (!f.url) emit('upload:failed', 'visitor', { ...file(m, f), reason })
  })
  // Emitted by the tab that uploads (the leader): a new leader starts an unfinished upload again.
  client.on('upload', ({ message, file: f }) => {
    const described = file(message, f)
    emit('upload:started', 'visitor', described, f.id)
    if (f.url) emit('upload:completed', 'visitor', described, f.id)
    else emit('upload:progress', 'visitor', { ...described, loaded: f.loaded ?? 0 })
  })
  client.on('error', (error) => emit('error', 'widget', { code: error.code, message: error.message }))

  // What the leader relays every tab follows, so a tab that starts leading knows what was announced.
  let status = stores.$status.get()
  stores.$status.listen((next) => {
    const previous = status
    status = next
    if (next !== previous && leads()) emit('connection:changed', 'widget', { status: next, previous })
  })

  let typing = stores.$typing.get()
  stores.$typing.listen((now) => {
    const before = typing
    typing = now
    if (!leads()) return
    for (const id of new Set([...Object.keys(before), ...Object.keys(now)])) {
      const [was, is] = [before[id], now[id]]
      if (!was === !is || (is ?? was)!.role === 'visitor') continue
      emit(is ? 'typing:started' : 'typing:stopped', 'backend', { conversationId: id, author: person((is ?? was)!) })
    }
  })

  let statuses = new Map<string, Conversation['status']>()
  stores.$conversations.listen((list) => {
    const before = statuses
    statuses = new Map(list.map((c) => [c.id, c.status]))
    if (!leads()) return
    for (const c of list) if (c.status === 'closed' && before.get(c.id) === 'open') emit('conversation:ended', 'backend', { conversationId: c.id, reason: 'closed' }, c.id)
  })

  // Counts as last announced; `undefined` until the tab's first session started.
  let counted: string | undefined
  const count = (force = false) => {
    const conversations = { ...stores.$unread.get() }
    const key = JSON.stringify(conversations)
    if (key === counted && !force) return
    counted = key
    if (leads()) emit('unread:changed', 'widget', { total: stores.$unreadTotal.get(), conversations })
  }
  client.on('ready', () => counted === undefined && count(true))
  stores.$unread.listen(() => counted !== undefined && count())

  return {
    events: { on: listeners.on, off: listeners.off } as IntegrationEvents,

    /** The visitor used an action of `message`. */
    clicked(message: Message, action: Action): void {
      const described = { ...about(message), actionId: action.id, actionType: action.type, label: action.label }
      emit('action:clicked', 'visitor', action.type === 'host' ? { ...described, name: action.name } : described)
    },

    /** The visitor sent the form of `message`. */
    submitted(message: Message, values: FormValues): void {
      const fields = Object.keys(values)
      emit('form:submitted', 'visitor', { ...about(message), fields, ...(deps.includeText ? { values } : {}) })
    },

    /** The visitor rated in answer to `message`. */
    rated(message: Message, score: number, comment?: string): void {
      emit('rating:submitted', 'visitor', { ...about(message), score, ...(deps.includeText && comment ? { comment } : {}) })
    },

    /** The visitor's search found `results` (a search that a newer one replaced is not told). */
    searched(results: SearchResult[], conversationId?: string): void {
      const fromDevice = results.filter((r) => r.source === 'device').length
      const scope = conversationId === undefined ? {} : { conversationId }
      emit('search:performed', 'visitor', { ...scope, results: results.length, fromDevice, fromServer: results.length - fromDevice })
    },

    /** The visitor started a conversation. */
    started(conversation: Conversation): void {
      emit('conversation:started', 'visitor', { conversationId: conversation.id, mode: conversation.mode }, conversation.id)
    },

    /** The visitor ended the chat, or it expired: said before the backend hears of it, so the leader does not announce it again. */
    ended(conversation: Conversation, reason: 'ended' | 'expired'): void {
      emit('conversation:ended', reason === 'ended' ? 'visitor' : 'widget', { conversationId: conversation.id, reason }, conversation.id)
    }
  }
}

/** Where Google Tag Manager reads events: a `dataLayer` array, or anything with its `push`. */
export interface DataLayer {
  push(...items: unknown[]): unknown
}

/**
 * Push every event of the stream to Google Tag Manager's `dataLayer` (the page's `window.dataLayer`,
 * made if missing, looked up at each push so that GTM loading later takes it over):
 * `{ event: 'confab.message.received', confab: event }`. Returns the function that stops it.
 *
 * @example
 * forwardToDataLayer(client.events) // then in GTM: a Custom Event trigger on `confab.message.received`
 */
export function forwardToDataLayer(events: IntegrationEvents, layer?: DataLayer): Unsubscribe {
  const page = globalThis as { dataLayer?: DataLayer }
  return events.on('*', (event) => (layer ?? (page.dataLayer ??= [])).push({ event: `confab.${event.type.replace(':', '.')}`, confab: event }))
}
