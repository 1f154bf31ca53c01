// @ts-check
// Read positions (`Transport.markRead`, `Conversation.read`): the one rule the reference server, the
// memory backend and the client share. Plain JavaScript with JSDoc types, like check.js, so the
// server runs it without a build.

/**
 * What reading up to `messageId` does to a read position at `current` (a message id, or none yet),
 * in a conversation whose messages are `messages`, oldest first:
 * - `'ahead'`: it moves the position forward.
 * - `'behind'`: it is at or before the position; nothing changes (positions never move back).
 * - `'unknown'`: `messageId` is not a message of the conversation.
 *
 * @param {readonly { id: string }[]} messages
 * @param {string | undefined} current
 * @param {string} messageId
 * @returns {'ahead' | 'behind' | 'unknown'}
 * @example
 * readStep([{ id: 'm1' }, { id: 'm2' }], 'm1', 'm2') // 'ahead'
 * readStep([{ id: 'm1' }, { id: 'm2' }], 'm2', 'm1') // 'behind'
 */
export function readStep(messages, current, messageId) {
  // From the newest: a read is almost always of one of the last messages.
  for (let i = messages.length - 1; i >= 0; i--) {
    const { id } = /** @type {{ id: string }} */ (messages[i])
    if (id === current) return id === messageId || messages.slice(0, i).some((m) => m.id === messageId) ? 'behind' : 'unknown'
    if (id === messageId) return 'ahead'
  }
  return 'unknown'
}
