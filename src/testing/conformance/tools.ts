import { isConfabError, type ConfabError } from '../../errors/index.js'
import type { Conversation, Message, Transport, TransportEvent, VisitorSession } from '../../transports/types.js'
import { randomId } from '../../util/ids.js'
import type { ConformanceHarness } from './types.js'

/**
 * How long the kit waits to be sure something did *not* happen (an event after `close()`), once a
 * witness showed that it would have happened by now. Short: it only covers the gap between two
 * streams of one backend.
 */
export const SETTLE_MS = 100

/** A failed expectation, worded for the adapter's author. */
export class ConformanceError extends Error {
  override name = 'ConformanceError'
}

const SKIP = Symbol('confab.conformance.skip')

/** Stop the running check and report it as skipped for `reason`. */
export function skipCheck(reason: string): never {
  throw Object.assign(new Error(`skipped: ${reason}`), { [SKIP]: reason })
}

/** The reason of a {@link skipCheck}, or `undefined` for any other error. */
export function skipReason(error: unknown): string | undefined {
  return (error as { [SKIP]?: string } | null)?.[SKIP]
}

/** Fail with `message` unless `condition` holds. */
export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message)
}

/** A short, readable form of a value for failure messages. */
export function show(value: unknown): string {
  try {
    const text = JSON.stringify(value)
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text
  } catch {
    return String(value)
  }
}

/** Fail unless `actual` and `expected` are deeply equal (compared as JSON). */
export function ensureEqual(actual: unknown, expected: unknown, what: string): void {
  if (show(actual) !== show(expected)) {
    throw new ConformanceError(`${what}: expected ${show(expected)}, got ${show(actual)}`)
  }
}

/** Await `promise`, fail if it resolves, and return what it rejected with. */
export async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    const value = await promise
    throw new ConformanceError(`${what} should have been rejected, but resolved with ${show(value)}`)
  } catch (error) {
    if (error instanceof ConformanceError) throw error
    return error
  }
}

/** Fail unless `error` is a `ConfabError` (the contract's only failure type); return it typed. */
export function ensureConfabError(error: unknown, what: string): ConfabError {
  ensure(
    isConfabError(error),
    `${what} must reject with a ConfabError (createError from confab), got ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}`
  )
  return error
}

/** A readable line for one event. */
export function describeEvent(event: TransportEvent): string {
  const cursor = event.cursor === undefined ? '' : ` @${event.cursor}`
  switch (event.type) {
    case 'message': {
      const { message } = event
      return `message ${show(message.text)} from ${message.author.role}${message.seq === undefined ? '' : ` #${message.seq}`}${cursor}`
    }
    case 'status':
      return `status ${event.status}`
    case 'error':
      return `error ${(event.error as Partial<ConfabError>)?.code ?? '?'}: ${event.error?.message}`
    default:
      return `${event.type}${cursor}`
  }
}

/** The events a listener received, and waits on them that end as soon as they can. */
export interface Recorder {
  readonly events: readonly TransportEvent[]
  /** Resolve as soon as `test` holds for the events so far; fail after the check's wait, naming `what`. */
  until(what: string, test: (events: readonly TransportEvent[]) => boolean): Promise<void>
  /** The position of the next event, to look only at what comes later. */
  mark(): number
  /** The messages of `message` events from position `from` on. */
  messages(from?: number): Message[]
  /** Unsubscribe (harmless twice). */
  stop(): void
}

/** The texts of `messages`. */
export const texts = (messages: readonly Message[]) => messages.map((m) => m.text)

const isStatus = (status: string) => (event: TransportEvent) => event.type === 'status' && event.status === status

/** Whether `online` was reported at or after position `from`. */
export const onlineSince = (from: number) => (events: readonly TransportEvent[]) => events.slice(from).some(isStatus('online'))

/** Everything a check uses; disposed when the check ends. */
export interface Scope {
  readonly harness: ConformanceHarness
  /** Milliseconds a single wait may take before the check fails. */
  readonly waitMs: number
  /** A new transport from the harness, closed when the check ends. */
  transport(): Promise<Transport>
  /** A new transport connected as a new visitor, or as the one `resumeKey` names. */
  visitor(resumeKey?: string): Promise<{ transport: Transport; session: VisitorSession }>
  /** A new visitor with a new conversation. */
  thread(mode?: Conversation['mode']): Promise<{ transport: Transport; session: VisitorSession; conversation: Conversation }>
  /** Subscribe with a recording listener (unsubscribed when the check ends). */
  listen(transport: Transport, cursor?: string): Recorder
  /** Subscribe and wait for `online`. */
  live(transport: Transport, cursor?: string): Promise<Recorder>
  /** The agent posts `text`. */
  reply(conversationId: string, text: string): Promise<void>
  /** Send as the visitor with a fresh client id. */
  send(transport: Transport, conversationId: string, text: string): Promise<Message>
  /** Run `cleanup` when the check ends (last registered, first run). */
  defer(cleanup: () => unknown): void
  /** Wait `ms` (only to show that something did not happen). */
  pause(ms: number): Promise<void>
  dispose(): Promise<void>
}

/** Make the scope of one check run. */
export function createScope(harness: ConformanceHarness, waitMs: number): Scope {
  const cleanups: (() => unknown)[] = []
  const defer = (cleanup: () => unknown) => void cleanups.push(cleanup)

  const scope: Scope = {
    harness,
    waitMs,
    async transport() {
      const transport = await harness.createTransport()
      ensure(transport && typeof transport.connect === 'function', 'createTransport() must return a Transport')
      defer(() => transport.close())
      return transport
    },
    async visitor(resumeKey) {
      const transport = await scope.transport()
      let session: VisitorSession
      try {
        session = await transport.connect(resumeKey === undefined ? {} : { resumeKey })
      } catch (error) {
        const call = resumeKey === undefined ? 'connect({})' : `connect({ resumeKey: ${show(resumeKey)} })`
        throw new ConformanceError(`${call} rejected: ${error instanceof Error ? error.message : show(error)}`, { cause: error })
      }
      ensure(
        session && typeof session.visitorId === 'string' && session.visitorId !== '',
        `connect() must resolve with a session that has a visitorId, got ${show(session)}`
      )
      return { transport, session }
    },
    async thread(mode = 'messaging') {
      const { transport, session } = await scope.visitor()
      const conversation = await transport.createConversation({ mode })
      return { transport, session, conversation }
    },
    listen(transport, cursor) {
      const events: TransportEvent[] = []
      const waiters = new Set<() => void>()
      const stop = transport.subscribe(
        (event) => {
          events.push(event)
          for (const wake of [...waiters]) wake()
        },
        cursor === undefined ? {} : { cursor }
      )
      ensure(typeof stop === 'function', 'subscribe() must return the function that stops the stream')
      defer(stop)
      return {
        events,
        stop,
        mark: () => events.length,
        messages: (from = 0) => events.slice(from).flatMap((e) => (e.type === 'message' ? [e.message] : [])),
        until(what, test) {
          return new Promise<void>((resolve, reject) => {
            const check = () => {
              let done: boolean
              try {
                done = test(events)
              } catch (error) {
                finish()
                reject(error)
                return
              }
              if (done) {
                finish()
                resolve()
              }
            }
            const timer = setTimeout(() => {
              finish()
              const seen = events.length === 0 ? 'nothing' : events.map(describeEvent).join('; ')
              reject(new ConformanceError(`Waited ${waitMs} ms for ${what}; the listener got: ${seen}`))
            }, waitMs)
            const finish = () => {
              clearTimeout(timer)
              waiters.delete(check)
            }
            waiters.add(check)
            check()
          })
        }
      }
    },
    async live(transport, cursor) {
      const recorder = scope.listen(transport, cursor)
      await recorder.until("a status 'online' event after subscribe()", onlineSince(0))
      return recorder
    },
    async reply(conversationId, text) {
      await harness.agent.reply(conversationId, text)
    },
    send: (transport, conversationId, text) => transport.send(conversationId, { clientId: randomId(), text }),
    defer,
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async dispose() {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup()
        } catch {
          // Cleaning up must not hide what the check found.
        }
      }
    }
  }
  return scope
}

/** Reject with a clear message if `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceError(`${what} did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/** Fail unless `messages` are oldest first: `seq` up by one where the backend numbers them, time never going back. */
export function ensureOrdered(messages: readonly Message[], what: string): void {
  for (let i = 1; i < messages.length; i++) {
    const [previous, current] = [messages[i - 1]!, messages[i]!]
    if (previous.seq !== undefined && current.seq !== undefined) {
      ensure(
        current.seq === previous.seq + 1,
        `${what}: seq must go up by one, but ${show(previous.text)} has ${previous.seq} and ${show(current.text)} has ${current.seq}`
      )
    }
    ensure(
      current.createdAt >= previous.createdAt,
      `${what}: ${show(current.text)} (createdAt ${current.createdAt}) comes after ${show(previous.text)} (createdAt ${previous.createdAt})`
    )
  }
}

/** Fail unless no message id appears twice. */
export function ensureUnique(messages: readonly Message[], what: string): void {
  const seen = new Set<string>()
  for (const message of messages) {
    ensure(!seen.has(message.id), `${what}: message ${message.id} (${show(message.text)}) appears twice`)
    seen.add(message.id)
  }
}
