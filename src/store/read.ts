import type { Message, ReadMark, ReadPositions } from '../transports/types.js'

/** Where `id` is in `messages`, searched from the newest (reads are of recent messages); -1 if not there. */
const placeOf = (messages: readonly Pick<Message, 'id'>[], id: string) => {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i
  return -1
}

/**
 * Whether read position `next` is at or after `known` in a conversation whose messages are
 * `messages` (as shown, oldest first): by where their messages are, else (a message not loaded) by
 * the times the backend stamped on both. Positions that cannot be compared count as forward:
 * backends only move them forward, so the newer news is the one to keep.
 *
 * @example
 * notBehind(messages, { messageId: 'm1' }, { messageId: 'm2' }) // true when m2 comes after m1
 */
export function notBehind(messages: readonly Pick<Message, 'id'>[], known: ReadMark | undefined, next: ReadMark): boolean {
  if (!known || known.messageId === next.messageId) return true
  const [was, is] = [placeOf(messages, known.messageId), placeOf(messages, next.messageId)]
  if (was !== -1 && is !== -1) return is >= was
  // Only the backend's own times: a device's clock may be off by any amount.
  return known.at === undefined || next.at === undefined || next.at >= known.at
}

/**
 * Each side's read position, the later of `known`'s and `next`'s (see {@link notBehind}): a stale
 * copy of a conversation (a list read before a live `read` event) never moves a position back.
 * Answers `next` itself when nothing of `known` is kept.
 */
export function laterReads(messages: readonly Pick<Message, 'id'>[], known: ReadPositions | undefined, next: ReadPositions | undefined): ReadPositions | undefined {
  if (!known) return next
  const visitor = pick(messages, known.visitor, next?.visitor)
  const agent = pick(messages, known.agent, next?.agent)
  if (visitor === next?.visitor && agent === next?.agent) return next
  return { ...(visitor ? { visitor } : {}), ...(agent ? { agent } : {}) }
}

const pick = (messages: readonly Pick<Message, 'id'>[], known: ReadMark | undefined, next: ReadMark | undefined) =>
  next && notBehind(messages, known, next) ? next : known ?? next

/**
 * The visitor's last message the agents have read, for a "Seen" under it: the newest message of the
 * visitor at or before `mark` in `messages` (oldest first). `undefined` when the agents have read
 * none of them, or `mark` is not among `messages` (not loaded yet).
 *
 * @example
 * const seen = lastSeen(client.$activeMessages.get(), client.$agentRead.get()[conversationId])
 * if (seen) showSeenUnder(seen.id)
 */
export function lastSeen<T extends Pick<Message, 'id' | 'author'>>(messages: readonly T[], mark: ReadMark | undefined): T | undefined {
  if (!mark) return undefined
  for (let i = placeOf(messages, mark.messageId); i >= 0; i--) if (messages[i]!.author.role === 'visitor') return messages[i]
  return undefined
}
