import type { Cache, CacheChanges, OutboxEntry } from '../cache/types.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import { upsertMessage, type ChatMessage, type ClientStores } from '../store/index.js'
import type { TabChannel } from '../tabs/channel.js'
import type { Message, OutgoingMessage, OutgoingPostback, Transport, VisitorContent } from '../transports/types.js'
import { backoffDelay } from '../util/backoff.js'
import type { Emitter } from '../util/emitter.js'
import type { Timers } from '../util/timers.js'
import type { ClientEvents, NetworkWatch } from './api.js'
import { createAttached, type FileBytes } from './attached.js'
import { createTurns, type Turn } from './turns.js'
import type { UploadsModule } from './uploads/load.js'
import type { Uploads } from './uploads.js'

/** What the outbox needs from the client around it. */
export interface OutboxDeps {
  stores: ClientStores
  transport: Transport
  channel: TabChannel
  emitter: Emitter<ClientEvents>
  timers: Timers
  now: () => number
  random: () => number
  network: NetworkWatch | undefined
  maxSendAttempts: number
  /** The current person's cache. */
  cache: () => Cache
  /** The current person, or `null` before the first session. */
  currentPerson: () => string | null
  /** The current session's signal: aborted when it stops (shutdown, a wipe, another person). */
  currentSignal: () => AbortSignal
  /** The session still starting, if it is: a leader that was handed a message first waits for it. */
  startingSession: () => Promise<void> | undefined
  /** Show a message the backend stored (and whatever follows from it). */
  confirm: (message: Message) => ChatMessage
  /** Something happened in a conversation (chat mode counts it as activity). */
  touch: (conversationId: string) => void
  /** Load the upload step (see `uploads/load.ts`): with the first message that has files to upload. */
  loadUploads: () => Promise<UploadsModule>
  /** Puts files' bytes for transports without `putUpload` (see `ClientOptions.XMLHttpRequest`). */
  XMLHttpRequest?: typeof XMLHttpRequest
}

/** The visitor's unsent messages: kept on the device, sent in order, once, by one tab. */
export type Outbox = ReturnType<typeof createOutbox>

/**
 * The outbox record of a message: `sending` is stored as `queued`, so a reload sends it again; the
 * progress of an upload is not kept (a reload starts the file's upload again).
 */
export function toEntry({ error, ...message }: ChatMessage): OutboxEntry {
  if (message.files) message.files = message.files.map(({ loaded: _loaded, ...file }) => file)
  return message.status === 'failed'
    ? { ...message, clientId: message.clientId!, status: 'failed', error: error ?? '' }
    : { ...message, clientId: message.clientId!, status: 'queued' }
}

/**
 * What goes to the backend of one of the visitor's messages: its client id and content (its files
 * are added by the upload step, see `withFiles`).
 */
const outgoing = ({ clientId, text, parts, replyTo, metadata }: ChatMessage): OutgoingMessage => {
  const message: OutgoingMessage = { clientId: clientId!, text }
  if (parts?.length) message.parts = parts as OutgoingMessage['parts']
  if (replyTo) message.replyTo = replyTo
  if (metadata) message.metadata = metadata
  return message
}

/** The ids of a message's files still to upload. */
const waiting = (message: Pick<ChatMessage, 'files'>) => (message.files ?? []).flatMap((file) => (file.url ? [] : [file.id]))

/** Whether a failure refused a file for good (too large, a type the backend does not take). */
const refusedFile = (error: ConfabError | undefined) => error?.status === 413 || error?.status === 415

/**
 * Make the outbox. The leading tab sends every tab's messages: one queue per conversation keeps
 * them in order, retryable failures are retried with full-jitter backoff (honouring `Retry-After`),
 * always with the same client id so the backend stores each once, and nothing is tried while the
 * browser is offline. A refusal marks a message failed: it stays visible with Retry and Discard.
 *
 * @example
 * const outbox = createOutbox({ stores, transport, channel, emitter, timers, now, random, network,
 *   maxSendAttempts: Infinity, cache: () => cache, currentPerson: () => person, currentSignal: () => life.signal,
 *   startingSession: () => undefined, confirm: sync.applyMessage, touch: () => {} })
 */
export function createOutbox(deps: OutboxDeps) {
  const { stores, channel, emitter, timers } = deps
  /** The tail of each conversation's send queue. */
  let queues = new Map<string, Promise<unknown>>()
  /** Client ids this tab sends (queued here, or written and about to be). */
  const sending = new Set<string>()
  /** `send()` calls waiting for their message to be sent or to fail, by client id. */
  const settlers = new Map<string, (message?: ChatMessage) => void>()
  /** Sends waiting for the network or for their backoff, woken early by `online` and by stopping. */
  const wakers = new Set<() => void>()
  /** While the leader reads the outbox: messages handed to it meanwhile, sorted in afterwards. */
  let held: ChatMessage[] | undefined
  /** Messages whose last file was taken off here: a late relay of their progress must not bring them back. */
  const gone = new Set<string>()
  /** Aborted when this tab stops leading: the new leader sends what this one was sending. */
  let term = new AbortController()
  const turns = createTurns()
  /** The bytes of files attached here or handed here, until the backend has them. */
  const attached = createAttached(deps.cache)
  /** The upload step, once its code loaded (see {@link loadUploads}). */
  let uploads: Uploads | undefined
  let loadingUploads: Promise<Uploads> | undefined

  /**
   * The upload step, its code loaded on first need: a message with files to upload, or the visitor
   * attaching one. A failed load (offline, a deploy that moved the file) is a retryable network
   * failure, forgotten so that the next need loads again; the message waits as for any other.
   */
  function loadUploads(): Promise<Uploads> {
    return (loadingUploads ??= deps.loadUploads().then(
      ({ createUploads }) =>
        (uploads = createUploads({
          transport: deps.transport,
          now: deps.now,
          uploaded: (event) => emitter.emit('upload', event),
          blob: attached.blob,
          XMLHttpRequest: deps.XMLHttpRequest,
          current: find,
          show: (message) => put(message),
          save: (message, stored) => {
            attached.drop(stored)
            return deps.cache().write({ outbox: [toEntry(message)], dropFiles: stored })
          }
        })),
      (cause: unknown) => {
        loadingUploads = undefined
        throw createError('network', 'Could not load the code that uploads files', { cause, retryable: true })
      }
    ))
  }

  /** A file was taken off its message: its upload here stops, its bytes go. */
  function dropFile(id: string): void {
    uploads?.cancel(id)
    attached.drop([id])
  }

  const leads = () => stores.$leader.get()
  const offline = () => deps.network?.onLine === false

  /** Show (or update) one of the visitor's messages; the leader tab tells the other tabs. */
  function put(message: ChatMessage, relay = leads()): void {
    const { $messages } = stores
    if (message.status !== 'sent' && gone.has(message.clientId!)) return
    // A postback is in the store only while it waits: delivered or refused, it goes.
    if (message.postback && (message.status === 'sent' || message.status === 'failed')) remove(message.clientId!, false)
    else $messages.setKey(message.conversationId, upsertMessage($messages.get()[message.conversationId] ?? [], message))
    if (relay) tell(message)
    settle(message)
  }

  /**
   * A postback the backend took: it leaves the outbox and the store, here and in every tab, and
   * its `act()` resolves. A message never comes of it.
   */
  function delivered(echo: ChatMessage): ChatMessage {
    const done: ChatMessage = { ...echo, status: 'sent' }
    put(done)
    void deps.cache().write({ unqueue: [echo.clientId!] })
    return done
  }

  /** Take one of the visitor's unconfirmed messages (or postbacks) out of the store and the outbox (its files' bytes with it). */
  function remove(clientId: string, relay = true): void {
    const message = find(clientId)
    for (const file of message?.files ?? []) dropFile(file.id)
    if (message) {
      const { $messages } = stores
      $messages.setKey(message.conversationId, ($messages.get()[message.conversationId] ?? []).filter((m) => m !== message))
    }
    if (relay) void deps.cache().write({ unqueue: [clientId] })
  }

  /** Tell the other tabs how one of the visitor's messages stands. */
  function tell(message: ChatMessage): void {
    const person = deps.currentPerson()
    if (person) channel.post({ type: 'delivery', person, message })
  }

  /** Tell a `send()` waiting for this message how it ended. */
  function settle(message: ChatMessage): void {
    if (message.status !== 'sent' && message.status !== 'failed') return
    const done = message.clientId === undefined ? undefined : settlers.get(message.clientId)
    if (!done) return
    settlers.delete(message.clientId!)
    done(message)
  }

  /** Resolves once `echo` is sent or failed (or went with a wipe, as it was). */
  const settled = (echo: ChatMessage) =>
    new Promise<ChatMessage>((resolve) => settlers.set(echo.clientId!, (m) => resolve(m ?? echo)))

  /** One of the visitor's messages that is shown but not confirmed. */
  function find(clientId: string): ChatMessage | undefined {
    for (const list of Object.values(stores.$messages.get())) {
      const found = list.find((m) => m.clientId === clientId && m.status !== 'sent')
      if (found) return found
    }
    return undefined
  }

  /**
   * Wait `ms` (forever when omitted), or until woken: by the browser coming back online, or by the
   * session stopping.
   */
  const pause = (ms?: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        wakers.delete(done)
        if (timer !== undefined) timers.clearTimeout(timer)
        resolve()
      }
      const timer = ms === undefined ? undefined : timers.setTimeout(done, ms)
      wakers.add(done)
    })

  /**
   * Deliver a queued message; resolves with it as it ends (sent, failed, or as it was when stopped).
   * `stood` aborts when this tab stops leading: the new leader takes the message from there.
   */
  async function deliver(echo: ChatMessage, stood: AbortSignal): Promise<ChatMessage> {
    // Stopped (shutdown, a wipe, another person): the message stays in the outbox of its person, or
    // went with their data; a restart of the same person sends it again.
    const signal = deps.currentSignal()
    const both = new AbortController()
    const stop = () => both.abort()
    signal.addEventListener('abort', stop)
    stood.addEventListener('abort', stop)
    /** Bring a message with files up to date (uploaded, taken off meanwhile); `false` once its last file took it. */
    const refresh = (): boolean => {
      const latest = echo.files && find(echo.clientId!)
      if (latest) echo = latest
      return !echo.files || latest !== undefined
    }
    let error: ConfabError | undefined
    try {
      for (let attempt = 0; ; ) {
        while (offline() && !both.signal.aborted) await pause()
        // A leader still starting its session (a tab handed it a message first) sends once it has one.
        const starting = stores.$session.get() ? undefined : deps.startingSession()
        if (starting) await starting.catch(() => undefined)
        if (both.signal.aborted) return echo
        if (!refresh()) return echo
        put({ ...echo, status: 'sending' })
        let stored: Message
        try {
          if (echo.postback) {
            await deps.transport.postback!(echo.conversationId, { ...echo.postback, clientId: echo.clientId! }, { signal })
            if (signal.aborted) return echo
            return delivered(echo)
          }
          let message = outgoing(echo)
          if (echo.files?.length) {
            // Its files go as parts, once each is uploaded: the upload step (loaded now, the first time) knows how.
            const step = await loadUploads()
            if (waiting(echo).length) {
              const uploaded = await step.upload(echo.clientId!, both.signal)
              if (!uploaded) return echo
              echo = uploaded
            }
            message = step.withFiles(outgoing(echo), echo.files!)
          }
          stored = await deps.transport.send(echo.conversationId, message, { signal })
        } catch (caught) {
          if (both.signal.aborted) return echo
          if (!refresh()) return echo
          error = toConfabError(caught, `Could not send message ${echo.clientId}`)
          if (error.status === 409 && echo.postback) return delivered(echo)
          if (error.status === 409) {
            // The backend already holds this id: delivered. Its copy arrives with the stream or history.
            const shown: ChatMessage = { ...echo, status: 'sent' }
            put(shown)
            void deps.cache().write({ unqueue: [echo.clientId!] })
            emitter.emit('sent', shown)
            return shown
          }
          // A bug is not worth another try: the message fails at once, and the bug is reported.
          if (error.code === 'internal') emitter.emit('error', error)
          if (!error.retryable) break
          // A failure because the network went away is not an attempt: waiting for it to come back is.
          if (!offline() && ++attempt >= deps.maxSendAttempts) break
          put({ ...echo, status: 'queued' })
          await pause(Math.max(error.retryAfter ?? 0, backoffDelay(Math.max(attempt - 1, 0), { random: deps.random })))
          continue
        }
        // Stored by the backend: whatever goes wrong from here, it is not sent again.
        if (signal.aborted) return echo
        const shown = deps.confirm(stored)
        tell(shown)
        emitter.emit('sent', shown)
        return shown
      }
    } finally {
      signal.removeEventListener('abort', stop)
      stood.removeEventListener('abort', stop)
      // After a restart the claim belongs to whoever sends it now.
      if (!signal.aborted) sending.delete(echo.clientId!)
    }
    return fail(echo, error?.message ?? 'Not sent', refusedFile(error))
  }

  /**
   * Mark a message failed: it stays visible, and in the outbox, with Retry and Discard (without
   * Retry when `refused`: a file the backend will never take).
   */
  function fail(echo: ChatMessage, reason: string, refused = false): ChatMessage {
    const failed: ChatMessage = { ...echo, status: 'failed', error: reason }
    if (refused) failed.refused = true
    sending.delete(echo.clientId!)
    put(failed)
    // A refused postback is not kept for a Retry nobody sees: it is reported (`failed`) and dropped.
    void deps.cache().write(echo.postback ? { unqueue: [echo.clientId!] } : { outbox: [toEntry(failed)] })
    emitter.emit('failed', failed)
    return failed
  }

  /** Queue `echo` unless this tab already sends it (or wrote it and is about to). */
  function enqueue(echo: ChatMessage): void {
    if (sending.has(echo.clientId!)) return
    sending.add(echo.clientId!)
    queue(echo)
  }

  /** Queue `echo` behind the conversation's earlier sends: one sender per conversation keeps order. */
  function queue(echo: ChatMessage): void {
    // A drain is reading the outbox: what it finds may be older, so this waits to be sorted in.
    if (held) return void held.push(echo)
    const previous = queues.get(echo.conversationId) ?? Promise.resolve()
    const stood = term.signal
    const next = previous.then(() => deliver(echo, stood))
    // A bug that escaped the delivery (a store listener that throws) is reported, and the queue goes on.
    queues.set(echo.conversationId, next.catch((error) => emitter.emit('error', toConfabError(error, `Could not send message ${echo.clientId}`))))
  }

  /**
   * Put a shown message in the outbox: in the write-ahead journal before this returns, in IndexedDB
   * once the promise settles. Given its `turn` when it is the first unhanded message, a tab that does
   * not lead also hands it to the leader now, in the same task, so closing or crashing this tab right
   * after sending leaves it with a tab that goes on. Resolves whether it was handed over.
   */
  async function keep(echo: ChatMessage, turn?: Turn): Promise<boolean> {
    if (echo.files) {
      // Kept as it stands now (a file may have been taken off), and not at all once gone.
      const latest = find(echo.clientId!)
      if (!latest) return false
      echo = latest
    }
    // Its files' bytes go in the same transaction: on the device, the message never lacks them.
    const cache = deps.cache()
    const files = attached.unkept(waiting(echo), cache)
    const write = cache.write(files.length ? { outbox: [toEntry(echo)], files } : { outbox: [toEntry(echo)] })
    const person = deps.currentPerson()
    const handed = !!turn?.first() && !leads() && channel.open && person !== null
    if (handed) {
      post(echo, person)
      turn!.release()
    }
    await write
    return handed
  }

  /** Hand a message to the leader, with the bytes of its files this tab holds (the leader may not reach them otherwise). */
  function post(echo: ChatMessage, person: string): void {
    const files = attached.held(waiting(echo))
    channel.post(files.length ? { type: 'outbox', person, entry: toEntry(echo), files } : { type: 'outbox', person, entry: toEntry(echo) })
  }

  /**
   * Put a shown message in the outbox on the device, then hand it to the sender in its turn: this
   * tab's, when it leads, or the leader tab's. Resolves once it is sent or failed.
   */
  async function submit(echo: ChatMessage, kept?: Promise<boolean>, turn = turns.take(), done = settled(echo)): Promise<ChatMessage> {
    const signal = deps.currentSignal()
    try {
      // Durable before the network sees it: a reload or a crash from here on sends it again, same id.
      // Written again when `send()` kept it already: the person's cache may have opened since.
      const [handed] = await Promise.all([kept ?? false, keep(echo)])
      await turn.before
      // Stopped meanwhile (shutdown, another person): it went with that person's data.
      if (signal.aborted) return echo
      handOver(echo, handed)
    } finally {
      turn.release()
    }
    return done
  }

  /** Send it from this tab when it leads (or tabs cannot talk), else pass it to the leader (unless `handed` already). */
  function handOver(echo: ChatMessage, handed: boolean): void {
    const person = deps.currentPerson()
    if (leads() || !channel.open || person === null) return queue(echo)
    sending.delete(echo.clientId!)
    if (handed) return
    const latest = echo.files ? find(echo.clientId!) : echo
    if (latest) post(latest, person)
  }

  /**
   * Show an outbox entry and, unless it failed or is stored already, queue it (with `send`) and
   * return it.
   */
  function adopt(entry: OutboxEntry, send = true, files?: FileBytes[]): ChatMessage | undefined {
    attached.hold(files)
    const shown = find(entry.clientId)
    const known = stores.$messages.get()[entry.conversationId]?.some((m) => m.clientId === entry.clientId && m.status === 'sent')
    if (known) return void deps.cache().write({ unqueue: [entry.clientId] })
    if (entry.status === 'failed') {
      if (!shown) put(entry, false)
      return undefined
    }
    const echo: ChatMessage = shown ?? { ...entry, status: 'queued' }
    if (!shown) put(echo, false)
    if (send) enqueue(echo)
    return echo
  }

  /** The visitor's messages shown but not confirmed, in every conversation. */
  const unsent = () => Object.values(stores.$messages.get()).flatMap((list) => list.filter((m) => m.status !== 'sent' && m.clientId))

  /** A message that cannot go (its thread is not the person's, nothing is left of it): its `send()` ends with it as it is. */
  function abandon(message: ChatMessage): void {
    settlers.get(message.clientId!)?.(message)
    settlers.delete(message.clientId!)
  }

  /** Drop a failed message from the conversation, the outbox and (with `relay`) every tab. */
  function discard(clientId: string, relay = true): void {
    const message = find(clientId)
    if (!message || message.status !== 'failed') return
    remove(clientId, relay)
    if (!relay) return
    const person = deps.currentPerson()
    if (person) channel.post({ type: 'discarded', person, clientId })
  }

  return {
    put,
    settled,
    fail,
    keep,
    submit,
    /** Take this tab's next place in the order of its sends (see `createTurns`). */
    takeTurn: turns.take,
    adopt,
    discard,

    /** Whether `echo` is still shown, waiting to be sent. */
    stillQueued: (echo: ChatMessage) => find(echo.clientId!)?.status === 'queued',

    /**
     * Build the local echo of a new message: shown at once, before the network is involved.
     * `createdAt` is when `send()` was called: a leader sorts what it finds in the outbox by it.
     */
    createEcho(
      clientId: string,
      conversationId: string,
      content: VisitorContent,
      createdAt = deps.now(),
      postback?: Omit<OutgoingPostback, 'clientId'>
    ): ChatMessage {
      const session = stores.$session.get()
      const echo: ChatMessage = {
        ...content,
        id: clientId,
        clientId,
        conversationId,
        author: session ? { role: 'visitor', id: session.visitorId } : { role: 'visitor' },
        createdAt,
        status: 'queued'
      }
      if (postback) echo.postback = postback
      // This tab delivers it (or hands it to the leader) once it is in the outbox; nothing else may.
      sending.add(clientId)
      put(echo, false)
      // Writing is activity: a chat does not expire under a message waiting for the network.
      deps.touch(conversationId)
      return echo
    },

    /** Send a failed message again, with the same client id. */
    retry(clientId: string): Promise<ChatMessage> {
      const message = find(clientId)
      if (!message || message.status !== 'failed') {
        return Promise.reject(createError('invalid-argument', `No failed message with client id ${clientId}`))
      }
      const { error: _error, refused: _refused, ...rest } = message
      const echo: ChatMessage = { ...rest, status: 'queued' }
      sending.add(clientId)
      put(echo)
      return submit(echo)
    },

    /** Another tab refused a message this tab handed over (it serves another person): send it here. */
    refused(clientId: string): void {
      const mine = leads() ? undefined : find(clientId)
      if (!mine) return
      sending.delete(clientId)
      enqueue(mine)
    },

    /**
     * The leader takes over every unsent message on the device: those of tabs that closed or
     * reloaded, and those of a leader that went away mid-send. Messages handed to it while it reads
     * are held, then everything goes out oldest first, so a tab's messages keep their order across a
     * change of leader. Failed ones are only shown.
     */
    async drain(): Promise<void> {
      if (held) return
      const holding: ChatMessage[] = (held = [])
      const signal = deps.currentSignal()
      let entries: OutboxEntry[] = []
      try {
        entries = await deps.cache().outbox()
      } finally {
        // A stop meanwhile already dropped this drain's hold (see `reset`).
        if (held === holding) held = undefined
      }
      if (signal.aborted) return
      const due = new Map<string, ChatMessage>()
      const leader = leads()
      for (const entry of entries) {
        const echo = leader ? adopt(entry, false) : undefined
        if (echo) due.set(entry.clientId, echo)
      }
      // Messages shown as unsent whose outbox lives only in memory (storage unavailable).
      if (leader) {
        for (const list of Object.values(stores.$messages.get())) {
          for (const m of list) if (m.clientId && (m.status === 'queued' || m.status === 'sending') && !sending.has(m.clientId)) due.set(m.clientId, m)
        }
      }
      // Held messages are this tab's to send already; the others are claimed as they go.
      const all = [...[...due.values()].map((m) => ({ m, claimed: false })), ...holding.map((m) => ({ m, claimed: true }))]
      for (const { m, claimed } of all.sort((a, b) => a.m.createdAt - b.m.createdAt)) {
        if (claimed) queue(m)
        else enqueue(m)
      }
    },

    unsent,

    /** Wake the sends waiting for the network or their backoff (the browser is back online, or stopping). */
    wake(): void {
      for (const wake of [...wakers]) wake()
    },

    settle,

    abandon,

    /**
     * The session stopped: sends under way belong to it (the next start drains the outbox afresh),
     * and sends still waiting for it do not hold up the next one's.
     */
    reset(): void {
      for (const wake of [...wakers]) wake()
      sending.clear()
      queues = new Map()
      held = undefined
      turns.reset()
    },

    /** The person's data is gone: `send()` calls still waiting resolve with their message as it was. */
    forget(): void {
      for (const done of settlers.values()) done()
      settlers.clear()
      uploads?.forget()
      attached.clear()
      gone.clear()
    },

    /** This tab stopped leading: what it was sending (uploads included) is left to the new leader. */
    standDown(): void {
      term.abort()
      term = new AbortController()
    },

    /**
     * Take a file off an unsent message (stopping its upload, in whichever tab runs it): the message
     * goes without it, or goes altogether when nothing is left of it. With `relay`, this tab keeps
     * the change on the device and every other tab makes it too.
     */
    cancelFile(clientId: string, fileId: string, relay = true): void {
      const message = find(clientId)
      const files = message?.files?.filter((file) => file.id !== fileId)
      if (!message || !files || files.length === message.files!.length) return
      const person = deps.currentPerson()
      if (relay && person) channel.post({ type: 'cancel', person, clientId, fileId })
      if (!files.length && !message.text && !message.parts?.length) {
        gone.add(clientId)
        remove(clientId, relay)
        return abandon(message)
      }
      const next: ChatMessage = { ...message, files }
      put(next, false)
      dropFile(fileId)
      if (relay) void deps.cache().write({ outbox: [toEntry(next)], dropFiles: [fileId] })
    },

    /** The bytes of a file attached to an unsent message, while on the device. */
    fileBlob: attached.blob,

    /** Hold the bytes of files just attached in this tab (kept with their message, handed to the leader with it). */
    attach(files: FileBytes[]): void {
      attached.sweep(new Set(unsent().flatMap(waiting)))
      attached.hold(files)
    },

    /**
     * Load the upload step now (the visitor attached a file, or this tab is about to send one), so
     * that the send does not wait for it. A failure is left to the send, which loads it again.
     */
    async preloadUploads(): Promise<void> {
      await loadUploads().catch(() => undefined)
    },

    /**
     * The outbox as it moves to another cache (an anonymous visitor who identified): every unsent
     * message, with the bytes of its files still to upload, read from `from` where this tab does not hold them.
     */
    async carried(from: Cache): Promise<CacheChanges> {
      const messages = unsent()
      const files: FileBytes[] = []
      for (const id of messages.flatMap(waiting)) {
        const blob = (await attached.blob(id)) ?? (await from.file(id))
        if (blob) files.push({ id, blob })
      }
      return { outbox: messages.map(toEntry), files }
    }
  }
}
