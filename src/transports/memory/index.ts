import { PART_TYPES } from '../../content/check.js'
import { createError } from '../../errors/index.js'
import type { Transport, TransportEvent, UploadLimits } from '../types.js'
import { createMemoryBackend, type MemoryBackend } from './backend.js'

export { createMemoryBackend }
export type { MemoryBackend, MemoryBackendOptions, MemoryUpload } from './backend.js'

/** Options of {@link createMemoryTransport}. */
export interface MemoryTransportOptions {
  /** The backend to talk to; several transports may share one. Default: a new one. */
  backend?: MemoryBackend
  /** Milliseconds each call and event takes, to make races visible. Default 0 (next microtask). */
  latency?: number
  /** What uploads this transport's sessions may send. Default: the backend's `uploadLimits`. */
  uploadLimits?: UploadLimits
}

/**
 * A transport that talks to an in-memory backend: for tests, demos and prototypes. It follows the
 * contract to the letter (idempotent sends, postbacks and tracked events, cursors, resumable events,
 * every part type, content and visitor attributes checked as the reference server checks them), so
 * code that works against it works against a real backend.
 *
 * @example
 * import { createMemoryTransport } from 'confab/testing'
 * const client = createClient({ transport: createMemoryTransport() })
 */
export function createMemoryTransport(options: MemoryTransportOptions = {}): Transport & {
  backend: MemoryBackend
} {
  const backend = options.backend ?? createMemoryBackend()
  const latency = options.latency ?? 0
  const uploadLimits = options.uploadLimits ?? backend.internal.uploadLimits
  let visitorId: string | undefined
  const streams = new Set<() => void>()

  const wait = () =>
    latency > 0 ? new Promise<void>((resolve) => setTimeout(resolve, latency)) : Promise.resolve()

  async function call<T>(run: (visitor: string) => T): Promise<T> {
    await wait()
    if (visitorId === undefined) throw createError('closed', 'memory transport: call connect() first')
    // Copy, so the caller never shares objects with the backend's state.
    return structuredClone(run(visitorId))
  }

  return {
    name: 'memory',
    backend,
    capabilities: {
      typing: true,
      readReceipts: false,
      uploads: true,
      search: true,
      streamResume: true,
      historyNewer: true,
      content: PART_TYPES
    },
    async connect({ resumeKey, identity }) {
      await wait()
      const session = backend.internal.session(resumeKey, identity?.token)
      visitorId = session.visitorId
      return structuredClone({ ...session, uploadLimits })
    },
    listConversations: () =>
      call((visitor) => ({ conversations: backend.internal.list(visitor), next: null })),
    createConversation: (init) => call((visitor) => backend.internal.create(visitor, init)),
    getConversation: (id) => call((visitor) => backend.internal.get(visitor, id)),
    history: (id, query = {}) => call((visitor) => backend.internal.history(visitor, id, query)),
    send: (id, message) => call((visitor) => backend.internal.send(visitor, id, message)),
    postback: (id, postback) => call((visitor) => backend.internal.postback(visitor, id, postback)),
    closeConversation: (id) => call((visitor) => backend.internal.close(visitor, id)),
    setTyping: (id, typing) => call((visitor) => backend.internal.setTyping(visitor, id, typing)),
    requestUpload: (id, request) => call((visitor) => backend.internal.requestUpload(visitor, id, request, uploadLimits)),
    async putUpload(slot, file, options) {
      await wait()
      // A put URL is a capability of its own, as a presigned URL: no session needed.
      return backend.internal.putUpload(slot.putUrl, file, options)
    },
    updateVisitor: (update) => call((visitor) => backend.internal.updateVisitor(visitor, update)),
    trackEvent: (event) => call((visitor) => backend.internal.trackEvent(visitor, event)),
    searchArchive: (query, options = {}) => call((visitor) => backend.internal.search(visitor, query, options)),
    subscribe(listener, { cursor } = {}) {
      let active = true
      const deliver = (event: TransportEvent) => {
        void wait().then(() => {
          if (active) listener(structuredClone(event))
        })
      }
      deliver({ type: 'status', status: 'connecting' })
      // Live events that arrive while the replay is computed are queued behind it, so order holds.
      const stop = backend.internal.listen((visitor, event) => {
        if (visitor === visitorId) deliver(event)
      })
      if (visitorId !== undefined && cursor !== undefined) {
        const { events, reset } = backend.internal.replay(visitorId, Number(cursor))
        if (reset) deliver({ type: 'reset' })
        events.forEach(deliver)
      }
      deliver({ type: 'status', status: 'online' })
      const unsubscribe = () => {
        if (!active) return
        active = false
        streams.delete(unsubscribe)
        stop()
        listener({ type: 'status', status: 'closed' })
      }
      streams.add(unsubscribe)
      return unsubscribe
    },
    close() {
      // Streams end with the session: none may come back to life on the next connect().
      for (const unsubscribe of [...streams]) unsubscribe()
      visitorId = undefined
    }
  }
}
