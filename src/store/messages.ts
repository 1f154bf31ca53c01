import type { OutgoingFile } from '../cache/types.js'
import type { Message, OutgoingPostback } from '../transports/types.js'

export type { OutgoingFile }

/**
 * Where a message the visitor wrote stands.
 * - `'queued'`: written, waiting for its turn or for the network.
 * - `'sending'`: on its way.
 * - `'sent'`: the backend stored it.
 * - `'failed'`: the backend refused it or retries gave up; the UI offers Retry and Discard.
 * Messages from others are always `'sent'`.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed'

/** A message as the UI shows it: the backend's message plus where its delivery stands. */
export interface ChatMessage extends Message {
  status: DeliveryStatus
  /** Why a `'failed'` message failed, in words a person can read. */
  error?: string
  /**
   * Set on a failed message the backend refused for good (a file too large or of a type it does not
   * take: 413, 415): Retry would fail the same way, so none is offered.
   */
  refused?: true
  /** The files of one of the visitor's messages until it is sent (see {@link OutgoingFile}). */
  files?: OutgoingFile[]
  /**
   * Set on a postback the visitor triggered (a `postback` button): it waits in the outbox like a
   * message, but no thread shows it, and it leaves the store once delivered.
   */
  postback?: Omit<OutgoingPostback, 'clientId'>
}

/**
 * Messages the backend numbered come first, in sequence order (time order where no number exists);
 * the visitor's unsent messages follow in the order they were written, so they stay at the bottom.
 */
function compare(a: ChatMessage, b: ChatMessage): number {
  const aPending = a.status !== 'sent'
  const bPending = b.status !== 'sent'
  if (aPending !== bPending) return aPending ? 1 : -1
  if (!aPending && a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq
  return a.createdAt - b.createdAt
}

/**
 * Where `incoming` is in `list` (its `id` or its `clientId` matches), or -1. Searched from the end,
 * where the messages that change are.
 */
export function indexOfMessage(list: readonly ChatMessage[], incoming: Pick<ChatMessage, 'id' | 'clientId'>): number {
  const { id, clientId } = incoming
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i]!
    if (m.id === id || (clientId !== undefined && m.clientId === clientId)) return i
  }
  return -1
}

/** Whether `list[index]` is still in order with its neighbours. */
const inPlace = (list: readonly ChatMessage[], index: number) =>
  (index === 0 || compare(list[index - 1]!, list[index]!) <= 0) && (index === list.length - 1 || compare(list[index]!, list[index + 1]!) <= 0)

/**
 * Insert or replace `incoming` in `list` (returned as a new array). A message is the same message
 * when its `id` or its `clientId` matches, so a local echo, the send response and the echo from
 * the event stream become one entry, whatever order they arrive in. A confirmed message never goes
 * back to a pending status.
 */
export function upsertMessage(list: readonly ChatMessage[], incoming: ChatMessage): ChatMessage[] {
  const index = indexOfMessage(list, incoming)
  if (index === -1) {
    const next = [...list, incoming]
    // Most messages arrive in order: a list still in order needs no sort (sorting it would change nothing).
    return inPlace(next, next.length - 1) ? next : next.sort(compare)
  }
  const current = list[index]!
  if (current.status === 'sent' && incoming.status !== 'sent') return list as ChatMessage[]
  const next = [...list]
  next[index] = incoming
  return inPlace(next, index) ? next : next.sort(compare)
}

/**
 * Merge a page of history into `list` in one pass (a page of thousands of messages must not cost a
 * sort per message): matching ids or client ids are replaced by the confirmed copy, the rest added.
 */
export function mergeMessages(list: readonly ChatMessage[], page: readonly Message[]): ChatMessage[] {
  if (page.length === 0) return list as ChatMessage[]
  const result = [...list]
  const at = new Map<string, number>()
  const remember = (message: Message, index: number) => {
    at.set(`i:${message.id}`, index)
    if (message.clientId !== undefined) at.set(`c:${message.clientId}`, index)
  }
  result.forEach(remember)
  for (const message of page) {
    const found =
      at.get(`i:${message.id}`) ?? (message.clientId === undefined ? undefined : at.get(`c:${message.clientId}`))
    const confirmed: ChatMessage = { ...message, status: 'sent' }
    if (found === undefined) {
      remember(message, result.length)
      result.push(confirmed)
    } else {
      result[found] = confirmed
    }
  }
  return result.sort(compare)
}
