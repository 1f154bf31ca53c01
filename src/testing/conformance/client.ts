import type { ResumeKeyStore } from '../../cache/resume-key.js'
import { createClient, type Client } from '../../client/index.js'
import type { ConfabError } from '../../errors/index.js'
import type { ChatMessage } from '../../store/index.js'
import type { Transport, TransportEvent, Unsubscribe } from '../../transports/types.js'
import { randomId } from '../../util/ids.js'
import { fault, type CheckDefinition } from './define.js'
import { ConformanceError, ensure, ensureEqual, ensureOrdered, ensureUnique, show, type Scope } from './tools.js'

/** How long a message event waits for a partner to swap places with, before it goes out alone. */
const HOLD_MS = 20

/** Every optional method of the contract, delegated when the adapter has it. */
const OPTIONAL = ['closeConversation', 'postback', 'setTyping', 'markRead', 'requestUpload', 'putUpload', 'updateVisitor', 'trackEvent', 'searchArchive'] as const

/**
 * A transport that forwards every call to `inner` except those `own` replaces. Built method by
 * method, so an adapter made from a class keeps its `this`.
 */
function wrap(inner: Transport, own: Partial<Transport>): Transport {
  const transport: Transport = {
    name: inner.name,
    capabilities: inner.capabilities,
    connect: (input) => inner.connect(input),
    listConversations: (options) => inner.listConversations(options),
    createConversation: (init) => inner.createConversation(init),
    getConversation: (id) => inner.getConversation(id),
    history: (id, query) => inner.history(id, query),
    send: (id, message, options) => inner.send(id, message, options),
    subscribe: (listener, options) => inner.subscribe(listener, options),
    close: () => inner.close()
  }
  for (const name of OPTIONAL) {
    const method = inner[name] as ((...args: unknown[]) => unknown) | undefined
    if (typeof method === 'function') (transport as unknown as Record<string, unknown>)[name] = method.bind(inner)
  }
  return Object.assign(transport, own)
}

/**
 * The transport with a disorderly event stream: message events arrive in swapped pairs, each twice,
 * with a stale copy of the first message after every pair. `replay()` delivers every message event
 * seen so far once more, newest first. Everything else is the adapter's own.
 */
function disorderly(inner: Transport) {
  const seen: TransportEvent[] = []
  let deliver: ((event: TransportEvent) => void) | undefined
  let held: TransportEvent | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const drained = new Set<() => void>()

  const flush = () => {
    const event = held
    held = timer = undefined
    if (event) {
      deliver?.(event)
      deliver?.(event)
    }
    for (const wake of [...drained]) {
      drained.delete(wake)
      wake()
    }
  }

  const transport = wrap(inner, {
    subscribe(listener, options) {
      deliver = listener
      const stop: Unsubscribe = inner.subscribe((event) => {
        if (event.type !== 'message') return listener(event)
        seen.push(event)
        if (held === undefined) {
          held = event
          timer = setTimeout(flush, HOLD_MS)
          return
        }
        clearTimeout(timer)
        const first = held
        held = timer = undefined
        listener(event)
        listener(first)
        listener(event)
        listener(seen[0]!)
      }, options)
      return () => {
        if (timer !== undefined) clearTimeout(timer)
        held = timer = undefined
        stop()
      }
    }
  })

  return {
    transport,
    /** Resolves once no message event is held back. */
    drained: () => (held === undefined ? Promise.resolve() : new Promise<void>((resolve) => drained.add(resolve))),
    /** Deliver every message event seen so far again, newest first. */
    replay: () => [...seen].reverse().forEach((event) => deliver?.(event))
  }
}

/**
 * A client on `transport` that keeps nothing on the device (its resume key in `keys`, when given),
 * shut down when the check ends.
 */
export function clientOn(scope: Scope, transport: Transport, keys: ResumeKeyStore | null = null): Client {
  const client = createClient({
    transport,
    cache: null,
    resumeKeyStore: keys,
    // Its own tab channel name, so clients of other checks (and tests) never hear each other.
    site: `conformance-${randomId()}`,
    random: () => 0,
    isVisible: () => true
  })
  scope.defer(() => client.shutdown())
  return client
}

/** Resolve once `test` holds for the client's messages of `conversationId`. */
export function shown(scope: Scope, client: Client, conversationId: string, what: string, test: (messages: ChatMessage[]) => boolean) {
  return new Promise<void>((resolve, reject) => {
    const read = () => client.$messages.get()[conversationId] ?? []
    let stop: (() => void) | undefined
    const timer = setTimeout(() => {
      stop?.()
      reject(new ConformanceError(`Waited ${scope.waitMs} ms for ${what}; the client shows ${show(read().map((m) => [m.text, m.status]))}`))
    }, scope.waitMs)
    const check = () => {
      if (!test(read())) return
      clearTimeout(timer)
      stop?.()
      resolve()
    }
    stop = client.$messages.listen(check)
    check()
  })
}

/** Resolve once the client's stream is up, so what the agent posts next reaches it live. */
export const onlineClient = (scope: Scope, client: Client) =>
  new Promise<void>((resolve, reject) => {
    if (client.$status.get() === 'online') return resolve()
    const timer = setTimeout(() => {
      stop()
      reject(new ConformanceError(`Waited ${scope.waitMs} ms for the client's status 'online'; it is ${client.$status.get()}`))
    }, scope.waitMs)
    const stop = client.$status.listen((status) => {
      if (status !== 'online') return
      clearTimeout(timer)
      stop()
      resolve()
    })
  })

const sentTexts = (messages: ChatMessage[]) => messages.filter((m) => m.status === 'sent').map((m) => m.text)

/** The adapter together with the Confab client. */
export const clientChecks: CheckDefinition[] = [
  {
    name: 'lets a client show each message once and in order, through duplicated and reordered events',
    async run(scope) {
      const stream = disorderly(await scope.transport())
      const client = clientOn(scope, stream.transport)
      await client.connect()
      const { id } = await client.startConversation()
      await onlineClient(scope, client)
      const expected = ['visitor 1', 'agent 1', 'agent 2', 'agent 3', 'visitor 2', 'agent 4', 'agent 5']
      await client.send('visitor 1')
      for (const text of ['agent 1', 'agent 2', 'agent 3']) await scope.reply(id, text)
      await client.send('visitor 2')
      for (const text of ['agent 4', 'agent 5']) await scope.reply(id, text)
      await shown(scope, client, id, 'every message, sent', (messages) => expected.every((text) => sentTexts(messages).includes(text)))
      await stream.drained()
      stream.replay()

      const messages = client.$messages.get()[id] ?? []
      ensureEqual(messages.map((m) => [m.text, m.status]), expected.map((text) => [text, 'sent']), 'what the client shows, in order')
      ensureUnique(messages, 'what the client shows')
      ensureOrdered(messages, 'what the client shows')
    }
  },
  {
    name: "lets a client wait out a 429's retryAfter before sending again, and deliver the message once",
    faults: ['rateLimitNext'],
    async run(scope) {
      const rateLimitNext = fault(scope, 'rateLimitNext')
      const inner = await scope.transport()
      const attempts: { started: number; ended: number; error?: ConfabError }[] = []
      const transport = wrap(inner, {
        async send(id, message, options) {
          const attempt: (typeof attempts)[number] = { started: Date.now(), ended: 0 }
          attempts.push(attempt)
          try {
            return await inner.send(id, message, options)
          } catch (error) {
            attempt.error = error as ConfabError
            throw error
          } finally {
            attempt.ended = Date.now()
          }
        }
      })
      const client = clientOn(scope, transport)
      await client.connect()
      const { id } = await client.startConversation()
      await rateLimitNext(client.$session.get()!, 1)
      const sent = await client.send('after waiting')
      ensureEqual(sent.status, 'sent', 'status of the message')
      ensureEqual(attempts.map((a) => a.error?.code ?? 'ok'), ['rate-limited', 'ok'], 'outcomes of the send attempts')
      const waited = attempts[1]!.started - attempts[0]!.ended
      const asked = attempts[0]!.error!.retryAfter ?? 0
      // Timers may fire a millisecond early by the wall clock.
      ensure(waited >= asked - 5, `the client sent again after ${waited} ms, but the 429 asked for ${asked} ms`)
      ensureEqual((await inner.history(id)).messages.length, 1, 'messages stored')
    }
  },
  {
    name: 'lets a client deliver a message whose answer was lost exactly once',
    faults: ['dropNextResponse'],
    async run(scope) {
      const dropNextResponse = fault(scope, 'dropNextResponse')
      const client = clientOn(scope, await scope.transport())
      await client.connect()
      const { id } = await client.startConversation()
      const session = client.$session.get()!
      await dropNextResponse(session)
      const sent = await client.send('through a lost answer')
      ensureEqual(sent.status, 'sent', 'status of the message')
      const page = await client.transport.history(id)
      ensureEqual(page.messages.map((m) => m.text), ['through a lost answer'], 'messages stored')
      await shown(scope, client, id, 'the message once', (messages) => messages.length === 1)
    }
  }
]
