import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import { upsertMessage, type ChatMessage } from '../store/index.js'
import { backoffDelay } from '../util/backoff.js'
import type { ClientContext } from './context.js'
import { applyMessage } from './sync.js'

function put(ctx: ClientContext, message: ChatMessage): void {
  const { $messages } = ctx.stores
  $messages.setKey(message.conversationId, upsertMessage($messages.get()[message.conversationId] ?? [], message))
}

function find(ctx: ClientContext, clientId: string): ChatMessage | undefined {
  for (const list of Object.values(ctx.stores.$messages.get())) {
    const found = list.find((m) => m.clientId === clientId && m.status !== 'sent')
    if (found) return found
  }
  return undefined
}

const sleep = (ctx: ClientContext, ms: number) =>
  new Promise<void>((resolve) => ctx.timers.setTimeout(resolve, ms))

/**
 * Deliver a message that is already shown as a local echo. Retryable failures are retried with
 * jittered backoff, up to `maxSendAttempts`, always with the same client id so the backend stores
 * it once; then the message is marked failed and stays visible.
 */
async function deliver(ctx: ClientContext, echo: ChatMessage): Promise<ChatMessage> {
  const generation = ctx.generation
  // The session changed under the send (identify, another tab's wipe): keep the message visible
  // with Retry rather than leave it queued forever; after a shutdown it is simply gone.
  const abandon = () => (find(ctx, echo.clientId!) ? fail(ctx, echo, 'Not sent: the session changed') : echo)
  let error: ConfabError | undefined
  for (let attempt = 0; attempt < ctx.maxSendAttempts; attempt++) {
    if (attempt > 0) {
      put(ctx, { ...echo, status: 'queued' })
      await sleep(ctx, Math.max(error?.retryAfter ?? 0, backoffDelay(attempt - 1, { random: ctx.random })))
    }
    if (generation !== ctx.generation) return abandon()
    put(ctx, { ...echo, status: 'sending' })
    try {
      const stored = await ctx.transport.send(echo.conversationId, { clientId: echo.clientId!, text: echo.text })
      if (generation !== ctx.generation) return abandon()
      const shown = applyMessage(ctx, stored)
      ctx.emitter.emit('sent', shown)
      return shown
    } catch (caught) {
      error = toConfabError(caught, 'network', `Could not send message ${echo.clientId}`)
      if (!error.retryable) break
    }
  }
  if (generation !== ctx.generation) return abandon()
  return fail(ctx, echo, error?.message ?? 'Not sent')
}

/** Mark a message failed: it stays visible with Retry and Discard. */
export function fail(ctx: ClientContext, echo: ChatMessage, reason: string): ChatMessage {
  const failed: ChatMessage = { ...echo, status: 'failed', error: reason }
  put(ctx, failed)
  ctx.emitter.emit('failed', failed)
  return failed
}

/** Queue `echo` behind the conversation's earlier sends: one sender per conversation keeps order. */
export function enqueue(ctx: ClientContext, echo: ChatMessage): Promise<ChatMessage> {
  const previous = ctx.sendQueues.get(echo.conversationId) ?? Promise.resolve()
  const next = previous.then(() => deliver(ctx, echo))
  ctx.sendQueues.set(echo.conversationId, next.catch(() => undefined))
  return next
}

/** Build the local echo of a new message: shown at once, before the network is involved. */
export function createEcho(ctx: ClientContext, clientId: string, conversationId: string, text: string): ChatMessage {
  const session = ctx.stores.$session.get()
  const echo: ChatMessage = {
    id: clientId,
    clientId,
    conversationId,
    author: session ? { role: 'visitor', id: session.visitorId } : { role: 'visitor' },
    text,
    createdAt: ctx.now(),
    status: 'queued'
  }
  put(ctx, echo)
  return echo
}

/** Send a failed message again, with the same client id. */
export function retry(ctx: ClientContext, clientId: string): Promise<ChatMessage> {
  const message = find(ctx, clientId)
  if (!message || message.status !== 'failed') {
    return Promise.reject(createError('invalid-argument', `No failed message with client id ${clientId}`))
  }
  const { error: _error, ...echo } = message
  put(ctx, { ...echo, status: 'queued' })
  return enqueue(ctx, { ...echo, status: 'queued' })
}

/** Drop a failed message from the conversation. */
export function discard(ctx: ClientContext, clientId: string): void {
  const message = find(ctx, clientId)
  if (!message || message.status !== 'failed') return
  const { $messages } = ctx.stores
  const list = $messages.get()[message.conversationId] ?? []
  $messages.setKey(message.conversationId, list.filter((m) => m !== message))
}
