import type { MessageContent, OutgoingPostback, Transport, VisitorDetails, VisitorSession } from '../../transports/types.js'

/**
 * Failures the backend can be made to produce on purpose, so the kit can check how the adapter
 * reports and survives them. Every one is optional: a check that needs a missing one is reported as
 * skipped, never as passed. Each receives the session of the visitor to aim at, so a shared backend
 * breaks only the request the check is about.
 *
 * @example
 * const faults: ConformanceFaults = {
 *   rateLimitNext: (session, seconds) => backend.limit(session.visitorId, { count: 1, retryAfter: seconds }),
 *   expireSession: (session) => backend.expireTokens(session.visitorId)
 * }
 */
export interface ConformanceFaults {
  /**
   * Refuse this visitor's next `count` requests with the HTTP-like `status` (the kit asks for 503)
   * before anything is stored. The kit sends nothing but messages meanwhile.
   */
  failNextSends?(session: VisitorSession, count: number, status: number): Promise<void>
  /**
   * Store this visitor's next message, postback or tracked event, then lose its answer (cut the
   * connection): the call must fail retryably.
   */
  dropNextResponse?(session: VisitorSession): Promise<void>
  /** Refuse this visitor's next request as rate limited (429) with `Retry-After: retryAfterSeconds`. */
  rateLimitNext?(session: VisitorSession, retryAfterSeconds: number): Promise<void>
  /** Make this visitor's session credentials stop working (401) until the adapter starts the session again. */
  expireSession?(session: VisitorSession): Promise<void>
  /**
   * Push one event the adapter cannot read (broken JSON, a message without its fields) into this
   * visitor's open event streams. It must carry no cursor.
   */
  injectMalformedEvent?(session: VisitorSession): Promise<void>
  /** Cut this visitor's open event streams, as a proxy timeout or a deploy does. */
  killStreams?(session: VisitorSession): Promise<void>
  /** Forget every event so far, as a bounded event log does: resuming from an older cursor must bring `reset`. */
  forgetEvents?(): Promise<void>
  /**
   * Store an agent message in the conversation whose `parts` hold, besides `content`'s, one part of
   * a type the contract does not know (`{ type: 'x-unknown' }`), as a newer backend might send: the
   * client must show its text and report the part, not drop the message.
   */
  storeUnknownPart?(conversationId: string, content: MessageContent): Promise<void>
  /**
   * Let the slots of this visitor's files whose bytes are not in yet expire now: putting to them must
   * be refused (403 or 410) until the slot is asked for again.
   */
  expireUploads?(session: VisitorSession): Promise<void>
}

/**
 * What the kit needs from the adapter's author: a way to make transports, an agent that can answer,
 * and optionally the faults of {@link ConformanceFaults}.
 *
 * @example
 * const backend = createMemoryBackend()
 * const harness: ConformanceHarness = {
 *   name: 'memory',
 *   createTransport: () => createMemoryTransport({ backend }),
 *   agent: {
 *     reply: async (conversationId, text) => void backend.reply(conversationId, text),
 *     send: async (conversationId, content) => void backend.reply(conversationId, content),
 *     postbacks: async (conversationId) => backend.postbacks(conversationId)
 *   }
 * }
 */
export interface ConformanceHarness {
  /** Names the suite ("http", "acme"). */
  name: string
  /**
   * A new transport, not connected yet, talking to the backend under test. The kit calls
   * `connect({})` for a new visitor or `connect({ resumeKey })` to come back as one; it closes
   * every transport it made when a check ends. May be async (a backend that starts lazily).
   */
  createTransport(): Transport | Promise<Transport>
  /** The other side of the conversation. */
  agent: {
    /** Post `text` as an agent in the conversation; resolve once the backend stored it. */
    reply(conversationId: string, text: string): Promise<unknown>
    /**
     * Post a message with rich content (parts, quick replies, buttons) as an agent or bot; resolve
     * once stored. Needed by the content checks (skipped without it).
     */
    send?(conversationId: string, content: MessageContent): Promise<unknown>
    /**
     * The postbacks the backend took in the conversation, oldest first, each once. Needed by the
     * postback checks (skipped without it).
     */
    postbacks?(conversationId: string): Promise<OutgoingPostback[]>
    /**
     * What the backend knows of a visitor: the attributes `updateVisitor()` merged, the page, the
     * events `trackEvent()` stored (oldest first, each once). Needed by the visitor checks that read
     * back (skipped without it).
     */
    visitor?(visitorId: string): Promise<VisitorDetails>
    /**
     * Show the agent typing (`true`) or stopped (`false`) in the conversation, as the backend tells
     * the visitor. Needed by the check of typing events (skipped without it).
     */
    typing?(conversationId: string, typing: boolean): Promise<unknown>
    /**
     * Whether the agents' side was last told that the visitor types in the conversation (`false`
     * once told they stopped, or before anything). Lets the typing check see `setTyping()` arrive;
     * without it, the check only sees the calls resolve.
     */
    sawTyping?(conversationId: string): Promise<boolean>
  }
  faults?: ConformanceFaults
  /** Called after every check (its transports already closed): turn faults off, reset state. */
  afterEach?(): void | Promise<void>
  /** Milliseconds one check may take. Default 5000. */
  timeout?: number
}

/**
 * How a check ended.
 * - `'passed'`: the adapter did what the contract promises.
 * - `'skipped'`: the check does not apply (a capability the transport does not declare, an
 *   optional method it lacks); `reason` says which.
 * A failed check rejects instead, with an error that says what was expected and what happened.
 *
 * @example
 * { status: 'skipped', reason: 'the transport does not declare capabilities.streamResume' }
 */
export type ConformanceOutcome = { status: 'passed' } | { status: 'skipped'; reason: string }

/**
 * One named check of the kit.
 *
 * @example
 * const outcome = await check.run() // { status: 'passed' }, or a rejection saying what differed
 */
export interface ConformanceCheck {
  /** A sentence: what the adapter does when it passes. */
  name: string
  /** Why the check cannot run with this harness (a fault it does not offer), known before running. */
  skip?: string
  /** Run it; rejects with what failed. Enforces {@link ConformanceHarness.timeout} itself. */
  run(): Promise<ConformanceOutcome>
}

/**
 * The `describe` and `it` of the caller's test runner (vitest, Jest, Mocha, `node:test`). The kit
 * makes its own assertions, so no `expect` is needed.
 *
 * @example
 * import { describe, it } from 'vitest'
 * runTransportConformance({ describe, it }, harness)
 */
export interface ConformanceTestApi {
  describe(name: string, body: () => void): unknown
  it: {
    (name: string, run: (context?: unknown) => Promise<void>, timeout?: number): unknown
    skip(name: string, run?: () => void): unknown
  }
}
