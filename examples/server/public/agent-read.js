// @ts-check
// Read receipts in the agent console: the conversation the agent has open in a visible page is read
// up to its newest message (POST /v1/agent/conversations/:id/read), and "Seen" shows under the
// agent's last message the visitor read. Plain browser JavaScript, no build, text only.

/**
 * @typedef {{ role: string, id?: string, name?: string }} Reader
 * @typedef {{ messageId: string, at?: number, reader?: Reader }} ReadMark
 * @typedef {{ visitor?: ReadMark, agent?: ReadMark }} ReadPositions
 */

/**
 * The conversation with a `read` event applied: the reader's side moves to the message read.
 * @template {{ read?: ReadPositions }} T
 * @param {T} conversation
 * @param {{ reader: Reader, messageId: string, at?: number }} event
 * @returns {T}
 * @example
 * conversations.set(id, withRead(conversations.get(id), data))
 */
export function withRead(conversation, { reader, messageId, at }) {
  const side = reader.role === 'visitor' ? 'visitor' : 'agent'
  return { ...conversation, read: { ...conversation.read, [side]: { messageId, at, reader } } }
}

/**
 * The seq of the agents' (or bots') last message the visitor read, if any: "Seen" goes under it.
 * @param {{ id: string, seq: number, author: { role: string } }[]} messages In seq order.
 * @param {ReadMark | undefined} visitorRead
 * @returns {number | undefined}
 * @example
 * const seen = seenSeq(messages, conversation.read?.visitor)
 */
export function seenSeq(messages, visitorRead) {
  const read = visitorRead && messages.find((m) => m.id === visitorRead.messageId)
  if (!read) return undefined
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = /** @type {(typeof messages)[number]} */ (messages[i])
    if (message.seq <= read.seq && message.author.role !== 'visitor' && message.author.role !== 'system') return message.seq
  }
  return undefined
}

/**
 * The "Seen" line under a message.
 * @param {ReadMark} mark
 * @param {(ms: number) => string} time
 */
export function seenNode(mark, time) {
  const line = document.createElement('div')
  line.className = 'seen'
  line.dataset.testid = 'agent-seen'
  line.textContent = mark.at === undefined ? 'Seen' : `Seen ${time(mark.at)}`
  return line
}

/**
 * Mark read what the agent views: `viewed(id, messages)` reads conversation `id` up to its newest
 * message while the console's page is visible (once per position; again after a failure).
 * @param {(conversationId: string, messageId: string) => Promise<unknown>} post
 * @example
 * const reads = createReadMarks((id, messageId) => api(`/v1/agent/conversations/${id}/read`, { method: 'POST', json: { messageId } }))
 * reads.viewed(openId, messages)
 */
export function createReadMarks(post) {
  /** @type {Map<string, string>} */
  const sent = new Map()
  return {
    /**
     * @param {string} conversationId
     * @param {{ id: string }[]} messages
     */
    viewed(conversationId, messages) {
      const newest = messages[messages.length - 1]
      if (document.visibilityState !== 'visible' || !newest || sent.get(conversationId) === newest.id) return
      sent.set(conversationId, newest.id)
      post(conversationId, newest.id).catch(() => {
        if (sent.get(conversationId) === newest.id) sent.delete(conversationId)
      })
    }
  }
}
