import { PART_TYPES } from '../../src/content/check.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import type { Author, Conversation, Message, MessageContent, OutgoingPostback, Transport, UploadLimits } from '../../src/transports/types.js'

/**
 * A memory backend whose messages carry rich content both ways (parts, quick replies, buttons,
 * `replyTo`) and that takes postbacks: the memory transport keeps text only, so this keeps the rest
 * beside it, by message id (and by client id, for what the visitor sends). Several transports
 * (tabs, a reload) share one.
 */
export function createRichBackend() {
  const backend = createMemoryBackend()
  const extras = new Map<string, Omit<MessageContent, 'text'>>()
  const postbacks: OutgoingPostback[] = []
  /** Set to hold postbacks back: each waits for it to resolve. */
  let postbackGate: Promise<void> | undefined

  const decorate = (message: Message): Message => ({ ...message, ...(extras.get(message.id) ?? extras.get(`client:${message.clientId}`)) })
  const decorateConversation = (conversation: Conversation): Conversation =>
    conversation.lastMessage ? { ...conversation, lastMessage: decorate(conversation.lastMessage) } : conversation

  const transport = (): Transport => {
    const inner = createMemoryTransport({ backend })
    return {
      ...inner,
      capabilities: { ...inner.capabilities, content: PART_TYPES },
      listConversations: async (options) => {
        const page = await inner.listConversations(options)
        return { ...page, conversations: page.conversations.map(decorateConversation) }
      },
      createConversation: async (init) => decorateConversation(await inner.createConversation(init)),
      getConversation: async (id) => decorateConversation(await inner.getConversation(id)),
      history: async (id, query) => {
        const page = await inner.history(id, query)
        return { ...page, messages: page.messages.map(decorate) }
      },
      async send(id, message) {
        const { clientId, text: _text, ...rest } = message
        // Kept before the backend stores it: its event reaches subscribers before send resolves.
        extras.set(`client:${clientId}`, rest)
        return decorate(await inner.send(id, message))
      },
      async postback(_id, postback) {
        await postbackGate
        if (!postbacks.some((p) => p.clientId === postback.clientId)) postbacks.push(postback)
      },
      subscribe: (listener, options) =>
        inner.subscribe(
          (event) =>
            listener(
              event.type === 'message'
                ? { ...event, message: decorate(event.message) }
                : event.type === 'conversation'
                  ? { ...event, conversation: decorateConversation(event.conversation) }
                  : event
            ),
          options
        )
    }
  }

  return {
    backend,
    transport,
    postbacks,
    /** Post a message with rich content as a bot (or `author`). */
    say(conversationId: string, content: MessageContent, author: Author = { role: 'bot', name: 'Bot' }): Message {
      const { text, ...rest } = content
      const message = backend.reply(conversationId, text, author)
      extras.set(message.id, rest)
      return decorate(message)
    },
    /** Hold postbacks until the returned function is called. */
    holdPostbacks(): () => void {
      let release!: () => void
      postbackGate = new Promise((resolve) => (release = resolve))
      return () => {
        postbackGate = undefined
        release()
      }
    }
  }
}

export type RichBackend = ReturnType<typeof createRichBackend>

/** A bot's order look-up form with a field of every type. */
export const ORDER_FORM: MessageContent = {
  text: 'Find your order',
  parts: [
    {
      type: 'form',
      fields: [
        { name: 'order', label: 'Order number', type: 'text', required: true },
        { name: 'email', label: 'Email', type: 'email' },
        { name: 'items', label: 'Items', type: 'number', min: 1, max: 9 },
        { name: 'size', label: 'Size', type: 'select', options: [{ value: 's', label: 'Small' }, { value: 'l', label: 'Large' }] },
        { name: 'extras', label: 'Extras', type: 'multiselect', options: [{ value: 'gift', label: 'Gift wrap' }, { value: 'fast', label: 'Express' }] }
      ],
      submitLabel: 'Look up'
    }
  ]
}

/**
 * `transport` with the upload `limits` its sessions announce: none with `null`; with `false`, no
 * uploads at all. For what the widget shows of them.
 */
export function withUploads(transport: Transport, limits: UploadLimits | null | false): Transport {
  const { requestUpload, putUpload, ...rest } = transport
  return {
    ...rest,
    ...(limits !== false && { requestUpload, putUpload }),
    capabilities: { ...transport.capabilities, uploads: limits !== false },
    connect: async (input) => {
      const { uploadLimits: _announced, ...session } = await transport.connect(input)
      return limits ? { ...session, uploadLimits: limits } : session
    }
  }
}
