import type { OutboxEntry } from '../cache/types.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import { upsertMessage, type ChatMessage } from '../store/index.js'
import type { Message } from '../transports/types.js'
import { backoffDelay } from '../util/backoff.js'
import { touch } from './chat.js'
import type { ClientContext } from './context.js'
import { applyMessage, settle } from './sync.js'

/** Show (or update) one of the visitor's messages; the leader tab tells the other tabs. */
export function put(ctx: ClientContext, message: ChatMessage, relay = ctx.stores.$leader.get()): void {
  const { $messages } = ctx.stores
  $messages.setKey(message.conversationId, upsertMessage($messages.get()[message.conversationId] ?? [], message))
  if (relay) tell(ctx, message)
  settle(ctx, message)
}

/** Tell the other tabs how one of the visitor's messages stands. */
function tell(ctx: ClientContext, message: ChatMessage): void {
  if (ctx.person) ctx.channel.post({ type: 'delivery', person: ctx.person, message })
}

/** Resolves once `echo` is sent or failed (or went with a wipe, as it was). */
export const settled = (ctx: ClientContext, echo: ChatMessage) =>
  new Promise<ChatMessage>((resolve) => ctx.settlers.set(echo.clientId!, (m) => resolve(m ?? echo)))

/** Whether `echo` is still shown, waiting to be sent. */
export const stillQueued = (ctx: ClientContext, echo: ChatMessage) => find(ctx, echo.clientId!)?.status === 'queued'

/** One of the visitor's messages that is shown but not confirmed. */
export function find(ctx: ClientContext, clientId: string): ChatMessage | undefined {
  for (const list of Object.values(ctx.stores.$messages.get())) {
    const found = list.find((m) => m.clientId === clientId && m.status !== 'sent')
    if (found) return found
  }
  return undefined
}

/** The outbox record of a message: `sending` is stored as `queued`, so a reload sends it again. */
export const toEntry = ({ error, ...message }: ChatMessage): OutboxEntry =>
  message.status === 'failed'
    ? { ...message, clientId: message.clientId!, status: 'failed', error: error ?? '' }
    : { ...message, clientId: message.clientId!, status: 'queued' }

/**
 * Wait `ms` (forever when omitted), or until woken: by the browser coming back online, or by the
 * client stopping.
 */
const pause = (ctx: ClientContext, ms?: number) =>
  new Promise<void>((resolve) => {
    const done = () => {
      ctx.wakers.delete(done)
      if (timer !== undefined) ctx.timers.clearTimeout(timer)
      resolve()
    }
    const timer = ms === undefined ? undefined : ctx.timers.setTimeout(done, ms)
    ctx.wakers.add(done)
  })

const offline = (ctx: ClientContext) => ctx.network?.onLine === false

/**
 * Deliver a queued message (the leader tab does this for every tab). Retryable failures are retried
 * with full-jitter backoff (honouring `Retry-After`), always with the same client id so the backend
 * stores it once; nothing is tried while the browser is offline. A refusal marks it failed: it stays
 * visible with Retry and Discard.
 */
async function deliver(ctx: ClientContext, echo: ChatMessage): Promise<ChatMessage> {
  const generation = ctx.generation
  // Stopped (shutdown, a wipe, another person): the message stays in the outbox of its person, or
  // went with their data; a restart of the same person sends it again.
  const gone = () => generation !== ctx.generation
  let error: ConfabError | undefined
  try {
    for (let attempt = 0; ; ) {
      while (offline(ctx) && !gone()) await pause(ctx)
      // A leader still starting its session (a tab handed it a message first) sends once it has one.
      if (!ctx.stores.$session.get() && ctx.conn.connecting) await ctx.conn.connecting.catch(() => undefined)
      if (gone()) return echo
      put(ctx, { ...echo, status: 'sending' })
      let stored: Message
      try {
        stored = await ctx.transport.send(echo.conversationId, { clientId: echo.clientId!, text: echo.text })
      } catch (caught) {
        if (gone()) return echo
        error = toConfabError(caught, `Could not send message ${echo.clientId}`)
        if (error.status === 409) {
          // The backend already holds this id: delivered. Its copy arrives with the stream or history.
          const shown: ChatMessage = { ...echo, status: 'sent' }
          put(ctx, shown)
          void ctx.cache.write({ unqueue: [echo.clientId!] })
          ctx.emitter.emit('sent', shown)
          return shown
        }
        // A bug is not worth another try: the message fails at once, and the bug is reported.
        if (error.code === 'internal') ctx.emitter.emit('error', error)
        if (!error.retryable) break
        // A failure because the network went away is not an attempt: waiting for it to come back is.
        if (!offline(ctx) && ++attempt >= ctx.maxSendAttempts) break
        put(ctx, { ...echo, status: 'queued' })
        await pause(ctx, Math.max(error.retryAfter ?? 0, backoffDelay(Math.max(attempt - 1, 0), { random: ctx.random })))
        continue
      }
      // Stored by the backend: whatever goes wrong from here, it is not sent again.
      if (gone()) return echo
      const shown = applyMessage(ctx, stored)
      tell(ctx, shown)
      ctx.emitter.emit('sent', shown)
      return shown
    }
  } finally {
    // After a restart the claim belongs to whoever sends it now.
    if (!gone()) ctx.sending.delete(echo.clientId!)
  }
  return fail(ctx, echo, error?.message ?? 'Not sent')
}

/** Mark a message failed: it stays visible, and in the outbox, with Retry and Discard. */
export function fail(ctx: ClientContext, echo: ChatMessage, reason: string): ChatMessage {
  const failed: ChatMessage = { ...echo, status: 'failed', error: reason }
  ctx.sending.delete(echo.clientId!)
  put(ctx, failed)
  void ctx.cache.write({ outbox: [toEntry(failed)] })
  ctx.emitter.emit('failed', failed)
  return failed
}

/** Queue `echo` unless this tab already sends it (or wrote it and is about to). */
export function enqueue(ctx: ClientContext, echo: ChatMessage): void {
  if (ctx.sending.has(echo.clientId!)) return
  ctx.sending.add(echo.clientId!)
  queue(ctx, echo)
}

/** Queue `echo` behind the conversation's earlier sends: one sender per conversation keeps order. */
function queue(ctx: ClientContext, echo: ChatMessage): void {
  // A drain is reading the outbox: what it finds may be older, so this waits to be sorted in.
  if (ctx.held) return void ctx.held.push(echo)
  const previous = ctx.sendQueues.get(echo.conversationId) ?? Promise.resolve()
  const next = previous.then(() => deliver(ctx, echo))
  // A bug that escaped the delivery (a store listener that throws) is reported, and the queue goes on.
  ctx.sendQueues.set(echo.conversationId, next.catch((error) => ctx.emitter.emit('error', toConfabError(error, `Could not send message ${echo.clientId}`))))
}

/** A place in the order of this tab's sends (see `takeTurn`). */
export interface Turn {
  /** Settles once every earlier send has handed its message over (or given up). */
  readonly before: Promise<void>
  /** Whether every earlier send has handed its message over. */
  first(): boolean
  /** This send has handed its message over (or given up): the next may. Safe to call twice. */
  release(): void
}

/**
 * Take this tab's next place in the order of its sends. Messages reach their sender in the order
 * `send()` was called, however long each waits for its write, its conversation or the connection:
 * the queue behind them is what keeps them in order on the backend.
 */
export function takeTurn(ctx: ClientContext): Turn {
  const before = ctx.turns
  let done!: () => void
  const mine = new Promise<void>((resolve) => (done = resolve))
  ctx.turns = before.then(() => mine)
  const turn: Turn = {
    before,
    first: () => ctx.openTurns[0] === turn,
    release() {
      const index = ctx.openTurns.indexOf(turn)
      if (index >= 0) ctx.openTurns.splice(index, 1)
      done()
    }
  }
  ctx.openTurns.push(turn)
  return turn
}

/**
 * Put a shown message in the outbox on the device, then hand it to the sender in its turn: this
 * tab's, when it leads, or the leader tab's. Resolves once it is sent or failed.
 */
export async function submit(
  ctx: ClientContext,
  echo: ChatMessage,
  kept?: Promise<boolean>,
  turn = takeTurn(ctx),
  done = settled(ctx, echo)
): Promise<ChatMessage> {
  const generation = ctx.generation
  try {
    // Durable before the network sees it: a reload or a crash from here on sends it again, same id.
    // Written again when `send()` kept it already: the person's cache may have opened since.
    const [handed] = await Promise.all([kept ?? false, keep(ctx, echo)])
    await turn.before
    // Stopped meanwhile (shutdown, another person): it went with that person's data.
    if (generation !== ctx.generation) return echo
    handOver(ctx, echo, handed)
  } finally {
    turn.release()
  }
  return done
}

/**
 * Put a shown message in the outbox: in the write-ahead journal before this returns, in IndexedDB
 * once the promise settles. Given its `turn` when it is the first unhanded message, a tab that does
 * not lead also hands it to the leader now, in the same task, so closing or crashing this tab right
 * after sending leaves it with a tab that goes on. Resolves whether it was handed over.
 */
export async function keep(ctx: ClientContext, echo: ChatMessage, turn?: Turn): Promise<boolean> {
  const write = ctx.cache.write({ outbox: [toEntry(echo)] })
  const handed = !!turn?.first() && !ctx.stores.$leader.get() && ctx.channel.open && ctx.person !== null
  if (handed) {
    ctx.channel.post({ type: 'outbox', person: ctx.person!, entry: toEntry(echo) })
    turn!.release()
  }
  await write
  return handed
}

/** Send it from this tab when it leads (or tabs cannot talk), else pass it to the leader (unless `handed` already). */
function handOver(ctx: ClientContext, echo: ChatMessage, handed: boolean): void {
  if (ctx.stores.$leader.get() || !ctx.channel.open || ctx.person === null) return queue(ctx, echo)
  ctx.sending.delete(echo.clientId!)
  if (!handed) ctx.channel.post({ type: 'outbox', person: ctx.person, entry: toEntry(echo) })
}

/**
 * The leader takes over every unsent message on the device: those of tabs that closed or
 * reloaded, and those of a leader that went away mid-send. Messages handed to it while it reads
 * are held, then everything goes out oldest first, so a tab's messages keep their order across a
 * change of leader. Failed ones are only shown.
 */
export async function drain(ctx: ClientContext): Promise<void> {
  if (ctx.held) return
  const held: ChatMessage[] = (ctx.held = [])
  const generation = ctx.generation
  let entries: OutboxEntry[] = []
  try {
    entries = await ctx.cache.outbox()
  } finally {
    // A restart meanwhile already dropped this drain's hold (see `disconnect`).
    if (ctx.held === held) ctx.held = undefined
  }
  if (generation !== ctx.generation) return
  const due = new Map<string, ChatMessage>()
  const leads = ctx.stores.$leader.get()
  for (const entry of entries) {
    const echo = leads ? adopt(ctx, entry, false) : undefined
    if (echo) due.set(entry.clientId, echo)
  }
  // Messages shown as unsent whose outbox lives only in memory (storage unavailable).
  if (leads) {
    for (const list of Object.values(ctx.stores.$messages.get())) {
      for (const m of list) if (m.clientId && (m.status === 'queued' || m.status === 'sending') && !ctx.sending.has(m.clientId)) due.set(m.clientId, m)
    }
  }
  // Held messages are this tab's to send already; the others are claimed as they go.
  const all = [...[...due.values()].map((m) => ({ m, claimed: false })), ...held.map((m) => ({ m, claimed: true }))]
  for (const { m, claimed } of all.sort((a, b) => a.m.createdAt - b.m.createdAt)) {
    if (claimed) queue(ctx, m)
    else enqueue(ctx, m)
  }
}

/**
 * Show an outbox entry and, unless it failed or is stored already, queue it (with `send`) and
 * return it.
 */
export function adopt(ctx: ClientContext, entry: OutboxEntry, send = true): ChatMessage | undefined {
  const shown = find(ctx, entry.clientId)
  const known = ctx.stores.$messages.get()[entry.conversationId]?.some((m) => m.clientId === entry.clientId && m.status === 'sent')
  if (known) return void ctx.cache.write({ unqueue: [entry.clientId] })
  if (entry.status === 'failed') {
    if (!shown) put(ctx, entry, false)
    return undefined
  }
  const echo: ChatMessage = shown ?? { ...entry, status: 'queued' }
  if (!shown) put(ctx, echo, false)
  if (send) enqueue(ctx, echo)
  return echo
}

/**
 * Build the local echo of a new message: shown at once, before the network is involved. `createdAt`
 * is when `send()` was called: a leader sorts what it finds in the outbox by it.
 */
export function createEcho(ctx: ClientContext, clientId: string, conversationId: string, text: string, createdAt = ctx.now()): ChatMessage {
  const session = ctx.stores.$session.get()
  const echo: ChatMessage = {
    id: clientId,
    clientId,
    conversationId,
    author: session ? { role: 'visitor', id: session.visitorId } : { role: 'visitor' },
    text,
    createdAt,
    status: 'queued'
  }
  // This tab delivers it (or hands it to the leader) once it is in the outbox; nothing else may.
  ctx.sending.add(clientId)
  put(ctx, echo, false)
  // Writing is activity: a chat does not expire under a message waiting for the network.
  touch(ctx, conversationId)
  return echo
}

/** Send a failed message again, with the same client id. */
export function retry(ctx: ClientContext, clientId: string): Promise<ChatMessage> {
  const message = find(ctx, clientId)
  if (!message || message.status !== 'failed') {
    return Promise.reject(createError('invalid-argument', `No failed message with client id ${clientId}`))
  }
  const { error: _error, ...rest } = message
  const echo: ChatMessage = { ...rest, status: 'queued' }
  ctx.sending.add(clientId)
  put(ctx, echo)
  return submit(ctx, echo)
}

/** Drop a failed message from the conversation, the outbox and every tab. */
export function discard(ctx: ClientContext, clientId: string, relay = true): void {
  const message = find(ctx, clientId)
  if (!message || message.status !== 'failed') return
  const { $messages } = ctx.stores
  const list = $messages.get()[message.conversationId] ?? []
  $messages.setKey(message.conversationId, list.filter((m) => m !== message))
  if (!relay) return
  void ctx.cache.write({ unqueue: [clientId] })
  if (ctx.person) ctx.channel.post({ type: 'discarded', person: ctx.person, clientId })
}
