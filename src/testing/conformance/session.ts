import { PART_TYPES } from '../../content/check.js'
import type { Transport, TransportCapabilities } from '../../transports/types.js'
import type { CheckDefinition } from './define.js'
import { ensure, ensureConfabError, ensureEqual, rejection, show, skipCheck } from './tools.js'

/** Each capability and the optional method it promises. */
const PROMISES: [keyof TransportCapabilities, keyof Transport | undefined][] = [
  ['typing', 'setTyping'],
  ['readReceipts', 'markRead'],
  ['uploads', 'requestUpload'],
  ['search', 'searchArchive'],
  ['streamResume', undefined],
  ['historyNewer', undefined]
]

/** Sessions, conversations and what the transport declares. */
export const sessionChecks: CheckDefinition[] = [
  {
    name: 'declares every capability as a boolean (content as known part types) and has each optional method exactly when it declares it',
    async run(scope) {
      // After connecting: a capability may depend on what the server offers (uploads).
      const { transport } = await scope.visitor()
      ensure(typeof transport.name === 'string' && transport.name !== '', `name must be a non-empty string, got ${show(transport.name)}`)
      const declared = transport.capabilities as Partial<TransportCapabilities> | undefined
      ensure(typeof declared === 'object' && declared !== null, 'capabilities must be an object')
      for (const [capability, method] of PROMISES) {
        const value = declared[capability]
        ensure(typeof value === 'boolean', `capabilities.${capability} must be true or false, got ${show(value)}`)
        if (method === undefined) continue
        const present = typeof transport[method] === 'function'
        ensure(present || !value, `capabilities.${capability} is true, but the transport has no ${method}()`)
        ensure(value || !present, `the transport has ${method}(), but capabilities.${capability} is false`)
      }
      // Optional: transports written before them need not declare them.
      const { agentPresence, content } = declared
      ensure(agentPresence === undefined || typeof agentPresence === 'boolean', `capabilities.agentPresence must be true, false or absent, got ${show(agentPresence)}`)
      ensure(content === undefined || Array.isArray(content), `capabilities.content must be an array of part types or absent, got ${show(content)}`)
      for (const type of content ?? []) {
        ensure((PART_TYPES as readonly string[]).includes(type), `capabilities.content lists ${show(type)}, which is not a part type (${PART_TYPES.join(', ')})`)
      }
      ensure(new Set(content).size === (content?.length ?? 0), `capabilities.content lists a part type twice: ${show(content)}`)
    }
  },
  {
    name: 'starts a new visitor with a resume key on connect() without one',
    async run(scope) {
      const first = await scope.visitor()
      const second = await scope.visitor()
      ensure(typeof first.session.resumeKey === 'string' && first.session.resumeKey !== '', `an anonymous session must carry a resumeKey, got ${show(first.session)}`)
      ensure(first.session.visitorId !== second.session.visitorId, `two connects without a resume key gave the same visitor ${first.session.visitorId}`)
    }
  },
  {
    name: 'comes back as the same visitor, with its conversations, when connect() gets its resume key',
    async run(scope) {
      const { session, conversation } = await scope.thread()
      const again = await scope.visitor(session.resumeKey)
      ensureEqual(again.session.visitorId, session.visitorId, 'visitorId after resuming')
      const { conversations } = await again.transport.listConversations()
      ensure(conversations.some((c) => c.id === conversation.id), `the resumed visitor does not list its conversation ${conversation.id}`)
    }
  },
  {
    name: 'starts a fresh visitor, instead of failing, when connect() gets a resume key the backend does not know',
    async run(scope) {
      const known = await scope.thread()
      const unknownKey = `conformance-unknown-${known.session.visitorId}-${Date.now()}`
      const fresh = await scope.visitor(unknownKey)
      ensure(fresh.session.visitorId !== known.session.visitorId, 'an unknown resume key resumed an existing visitor')
      const { conversations } = await fresh.transport.listConversations()
      ensureEqual(conversations.length, 0, 'conversations of the fresh visitor')
      ensure(typeof fresh.session.resumeKey === 'string' && fresh.session.resumeKey !== '', 'the fresh visitor must get a resumeKey')
      const back = await scope.visitor(fresh.session.resumeKey)
      ensureEqual(back.session.visitorId, fresh.session.visitorId, 'visitorId when resuming with the key the fresh visitor got')
    }
  },
  {
    name: 'creates conversations it can open by id and lists them, newest activity first',
    async run(scope) {
      const { transport } = await scope.visitor()
      const messaging = await transport.createConversation({ mode: 'messaging', subject: 'Conformance' })
      ensure(typeof messaging.id === 'string' && messaging.id !== '', `a conversation needs an id, got ${show(messaging)}`)
      ensureEqual([messaging.mode, messaging.status, messaging.subject], ['messaging', 'open', 'Conformance'], 'mode, status and subject of a new conversation')
      ensure(Number.isFinite(messaging.createdAt) && Number.isFinite(messaging.updatedAt), `createdAt and updatedAt must be numbers, got ${show(messaging)}`)
      const chat = await transport.createConversation({ mode: 'chat' })
      ensureEqual(chat.mode, 'chat', 'mode of a chat conversation')
      const latest = await scope.send(transport, messaging.id, 'makes it the newest')

      const opened = await transport.getConversation(messaging.id)
      ensureEqual([opened.id, opened.mode, opened.status], [messaging.id, 'messaging', 'open'], 'getConversation()')
      const page = await transport.listConversations()
      ensure(page.next === null || typeof page.next === 'string', `next must be a cursor or null, got ${show(page.next)}`)
      ensureEqual(page.conversations.map((c) => c.id).sort(), [messaging.id, chat.id].sort(), 'ids listed')
      const times = page.conversations.map((c) => c.updatedAt)
      ensure(times.every((t, i) => i === 0 || t <= times[i - 1]!), `conversations must be newest activity first, got updatedAt ${show(times)}`)
      const listed = page.conversations.find((c) => c.id === messaging.id)!
      ensure(listed.updatedAt >= latest.createdAt, `updatedAt (${listed.updatedAt}) must follow the latest message (createdAt ${latest.createdAt})`)
    }
  },
  {
    name: "keeps visitors apart: another visitor's conversation is not-found and cannot be written to",
    async run(scope) {
      const owner = await scope.thread()
      const stranger = await scope.visitor()
      const error = ensureConfabError(await rejection(stranger.transport.getConversation(owner.conversation.id), "getConversation() of another visitor's conversation"), 'getConversation()')
      ensureEqual(error.code, 'not-found', 'error code of getConversation() for a conversation that is not the caller’s')
      ensureConfabError(await rejection(stranger.transport.history(owner.conversation.id), "history() of another visitor's conversation"), 'history()')
      ensureConfabError(await rejection(scope.send(stranger.transport, owner.conversation.id, 'intruder'), "send() to another visitor's conversation"), 'send()')
      const page = await owner.transport.history(owner.conversation.id)
      ensureEqual(page.messages.length, 0, 'messages stored by a stranger')
    }
  },
  {
    name: 'closes a conversation with closeConversation(), refusing new messages but still answering a repeated one',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      if (typeof transport.closeConversation !== 'function') skipCheck('the transport has no closeConversation()')
      const before = await transport.send(conversation.id, { clientId: `conformance-close-${conversation.id}`, text: 'before closing' })
      const closed = await transport.closeConversation(conversation.id)
      ensureEqual([closed.id, closed.status], [conversation.id, 'closed'], 'closeConversation() answer')
      ensureEqual((await transport.getConversation(conversation.id)).status, 'closed', 'status from getConversation() after closing')
      const refused = ensureConfabError(await rejection(scope.send(transport, conversation.id, 'too late'), 'send() to a closed conversation'), 'send() to a closed conversation')
      ensure(!refused.retryable, 'a send refused because the conversation is closed must not be retryable')
      const repeated = await transport.send(conversation.id, { clientId: `conformance-close-${conversation.id}`, text: 'before closing' })
      ensureEqual(repeated.id, before.id, 'id answered to a repeated send after closing')
    }
  }
]
