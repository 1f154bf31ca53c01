import { createClient, type ClientOptions } from '../../../src/client/index.js'
import { createLocalResumeKeyStore } from '../../../src/cache/resume-key.js'
import { createMemoryBackend, createMemoryTransport, type MemoryBackend } from '../../../src/testing/index.js'
import type { OutgoingMessage, Transport, TransportCapabilities, TransportEvent } from '../../../src/transports/types.js'

/** Timers that fire on the next macrotask, so retries and backoff do not slow tests down. */
export const instantTimers = {
  setTimeout: (run: () => void) => setTimeout(run, 0),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/** A resume-key store backed by a plain object, standing in for one device's storage. */
export function createDevice() {
  const data = new Map<string, string>()
  const storage = {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key)
  }
  return { data, storage, keys: createLocalResumeKeyStore('confab:test:resume', storage) }
}

/**
 * A gate a fake's calls go through: `through(call)` calls at once while it is open, and once it opens
 * again while held; `hold()` closes it and returns what opens it.
 *
 * @example
 * const gate = createGate()
 * async send(id, message) { return gate.through(() => inner.send(id, message)) }
 * const release = gate.hold()
 */
export function createGate() {
  let closed: Promise<void> | undefined
  return {
    through: <T>(call: () => T): T | Promise<T> => (closed ? closed.then(call) : call()),
    hold() {
      let release!: () => void
      closed = new Promise((resolve) => (release = resolve))
      return () => {
        closed = undefined
        release()
      }
    }
  }
}

/** A memory transport on `backend` recording its sends and counting its open streams; its sends can be held. */
export function recordingTransport(backend: MemoryBackend) {
  const inner = createMemoryTransport({ backend })
  const sends: OutgoingMessage[] = []
  let streams = 0
  const gate = createGate()
  const transport: Transport = {
    ...inner,
    async send(id, message) {
      sends.push(message)
      return gate.through(() => inner.send(id, message))
    },
    subscribe(listener, options) {
      streams++
      const stop = inner.subscribe(listener, options)
      return () => {
        streams--
        stop()
      }
    }
  }
  return {
    transport,
    sends,
    streams: () => streams,
    /** Sends wait until the returned function is called. */
    hold: gate.hold
  }
}

/** A client on a memory backend, with instant timers and its own device storage. */
export function setup(options: Partial<ClientOptions> & { backend?: MemoryBackend } = {}) {
  const backend = options.backend ?? createMemoryBackend()
  const device = createDevice()
  const transport = options.transport ?? createMemoryTransport({ backend })
  const client = createClient({
    resumeKeyStore: device.keys,
    timers: instantTimers,
    random: () => 0.5,
    isVisible: () => true,
    cache: null,
    ...options,
    transport
  })
  return { backend, device, transport, client }
}

/**
 * Timers and a clock moved by hand: `advance(ms)` runs what falls due, in order. Leaves the real
 * `setImmediate` alone, which fake-indexeddb needs.
 */
export function createManualClock(start = Date.UTC(2026, 10, 21, 9)) {
  let now = start
  let nextId = 0
  const due = new Map<number, { at: number; run: () => void }>()
  return {
    now: () => now,
    timers: {
      setTimeout(run: () => void, ms: number) {
        const id = ++nextId
        due.set(id, { at: now + ms, run })
        return id
      },
      clearTimeout(handle: unknown) {
        due.delete(handle as number)
      }
    },
    advance(ms: number) {
      now += ms
      for (const [id, timer] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now) continue
        due.delete(id)
        timer.run()
      }
    }
  }
}

/**
 * A memory transport whose event stream the test can also push into with `emit`. With
 * `live: false` the stream only says it is online and delivers nothing else on its own.
 */
export function controlledStream(options: { live?: boolean; capabilities?: Partial<TransportCapabilities> } = {}) {
  const inner = createMemoryTransport()
  let listener: (event: TransportEvent) => void = () => undefined
  const transport: Transport = {
    ...inner,
    capabilities: { ...inner.capabilities, ...options.capabilities },
    subscribe(next, subscribeOptions) {
      listener = next
      if (options.live !== false) return inner.subscribe(next, subscribeOptions)
      next({ type: 'status', status: 'online' })
      return () => undefined
    }
  }
  return { inner, transport, emit: (event: TransportEvent) => listener(event) }
}
