import type { Conversation, Message } from '../transports/types.js'
import type { OutboxEntry } from './types.js'

const isString = (value: unknown): value is string => typeof value === 'string'
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const ROLES = new Set(['visitor', 'agent', 'bot', 'system'])

/**
 * Whether a record read back from storage is a usable message. Storage can hand back anything: a
 * record written by an older version, a half-written one, or one another script changed.
 */
export function isMessage(value: unknown): value is Message {
  const m = value as Message | null
  return (
    typeof m === 'object' &&
    m !== null &&
    isString(m.id) &&
    isString(m.conversationId) &&
    isString(m.text) &&
    isNumber(m.createdAt) &&
    typeof m.author === 'object' &&
    m.author !== null &&
    ROLES.has(m.author.role) &&
    (m.seq === undefined || isNumber(m.seq))
  )
}

/** Whether a record read back from storage is a usable conversation. */
export function isConversation(value: unknown): value is Conversation {
  const c = value as Conversation | null
  return (
    typeof c === 'object' &&
    c !== null &&
    isString(c.id) &&
    (c.mode === 'chat' || c.mode === 'messaging') &&
    (c.status === 'open' || c.status === 'closed') &&
    isNumber(c.createdAt) &&
    isNumber(c.updatedAt)
  )
}

/** Whether a record read back from storage is a usable outbox entry (a postback's needs its payload). */
export const isOutboxEntry = (value: unknown): value is OutboxEntry =>
  isMessage(value) &&
  isString(value.clientId) &&
  ((value as OutboxEntry).status === 'queued' || (value as OutboxEntry).status === 'failed') &&
  ((value as OutboxEntry).postback === undefined || isString((value as OutboxEntry).postback?.payload))

/** Oldest first: the order unsent messages go out in. */
export const byCreation = (a: OutboxEntry, b: OutboxEntry): number => a.createdAt - b.createdAt

/** Whether a value read back from storage is a file's bytes (a `Blob` of any realm). */
export const isBlob = (value: unknown): value is Blob =>
  typeof value === 'object' && value !== null && typeof (value as Blob).size === 'number' && typeof (value as Blob).slice === 'function'
