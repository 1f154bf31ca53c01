/**
 * Which tab of a site leads: the leader alone holds the realtime connection, drains the outbox and
 * plays sounds; the other tabs relay through the tab channel.
 */

import { globalTimers, type Timers } from '../util/timers.js'

export interface LeaderElectionOptions {
  /** Lock and channel name shared by the tabs that compete, e.g. `confab-leader:acme`. */
  name: string
  /** Web Locks; `null` to skip them. Default `navigator.locks`. */
  locks?: LockManager | null
  /** Channel for the heartbeat fallback; `null` for none. Default `BroadcastChannel`. */
  Channel?: typeof BroadcastChannel | null
  /** Default the global `setTimeout`/`clearTimeout`. */
  timers?: Timers
  /** Random source in [0, 1) for this tab's id; the lowest id wins a tie. Default `Math.random`. */
  random?: () => number
  /** Fallback only: the leader's heartbeat period in ms; 3 silent periods depose it. Default 500. */
  heartbeatMs?: number
}

/**
 * This tab's standing in the election.
 *
 * @example
 * const election = createLeaderElection({ name: 'confab-leader:acme' })
 * election.onChange((leads) => (leads ? connect() : disconnect()))
 * addEventListener('pagehide', () => election.close())
 */
export interface LeaderElection {
  /** Whether this tab leads now. */
  readonly isLeader: boolean
  /** This tab's id (the fallback protocol compares them). */
  readonly id: string
  /** Settles once this tab knows whether it leads (or on `close()`). */
  readonly ready: Promise<void>
  /** Call `listener` on every change of `isLeader`; returns its unsubscribe. */
  onChange(listener: (isLeader: boolean) => void): () => void
  /** Leave the election: another tab takes over at once. Safe to call twice. */
  close(): void
}

/**
 * Join the election of the tabs that share `name`.
 * - Web Locks: the leader holds an exclusive lock until it closes; the browser also releases it when
 *   the tab crashes, and the next waiting tab gets it.
 * - No Web Locks (or `request` refused, as in opaque origins) but `BroadcastChannel`: a lease. The
 *   leader sends `hb` every `heartbeatMs`; a tab that hears none for 3 periods, or hears the leader
 *   `resign`, or has just started, sends `claim` and leads if nobody objects within half a period. A
 *   leader objects to a claim with an `hb`, a claimant to a higher id's claim with its own `claim`; a
 *   claimant yields to a lower id's claim; a leader that hears another leader with a lower id steps
 *   down (two leaders after a frozen tab wakes).
 * - Neither: this tab is alone, so it leads.
 */
export function createLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const {
    name,
    locks = globalThis.navigator?.locks,
    Channel = globalThis.BroadcastChannel,
    timers = globalTimers,
    random = Math.random,
    heartbeatMs: beat = 500
  } = options
  const { setTimeout: after, clearTimeout: cancel } = timers
  const id = random().toString(36).slice(2)
  const listeners = new Set<(isLeader: boolean) => void>()
  let leader = false
  let closed = false
  let decided!: () => void
  const ready = new Promise<void>((resolve) => (decided = resolve))
  let release: (() => void) | undefined
  let channel: BroadcastChannel | undefined
  let timer: unknown
  let next: (() => void) | undefined
  let leaderId: string | undefined

  const set = (value: boolean) => {
    decided()
    if (value !== leader) {
      leader = value
      // A throwing listener must not break the election (inside a lock callback it would drop the lock).
      for (const listener of listeners)
        try {
          listener(value)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
    }
  }

  const post = (t: 'hb' | 'claim' | 'resign') => channel!.postMessage({ t, id })
  const wait = (ms: number, then: () => void) => {
    cancel(timer)
    timer = after((next = then), ms)
  }
  const lead = () => {
    leaderId = id
    post('hb')
    wait(beat, lead)
    set(true)
  }
  const claim = () => {
    post('claim')
    wait(beat / 2, lead)
  }
  const lease = () => {
    if (!Channel) return set(true)
    channel = new Channel(name)
    // Node's BroadcastChannel keeps the process alive while open; an election must not.
    ;(channel as BroadcastChannel & { unref?: () => void }).unref?.()
    channel.onmessage = ({ data }: MessageEvent) => {
      // Same-origin tabs only, but maybe another version or a garbled message: check the shape.
      const other = data?.id
      if (typeof other != 'string' || other == id) return
      if (data.t == 'hb') {
        if (!leader || other < id) {
          leaderId = other
          wait(beat * 3, claim)
          set(false)
        }
      } else if (data.t == 'claim') {
        if (leader) post('hb')
        else if (other < id) wait(beat * 3, claim)
        // Two tabs that start together: the first claim may have gone out before the other listened.
        else if (next == lead) post('claim')
      } else if (data.t == 'resign' && other == leaderId) claim()
    }
    claim()
  }

  const hold = () => closed || (set(true), new Promise<void>((resolve) => (release = resolve)))
  if (locks) {
    // `ifAvailable` answers at once, so a follower knows it follows without waiting in the queue.
    // A request still queued at close() stays queued and lets go of the lock the moment it gets it.
    ;(async () =>
      locks.request(name, { ifAvailable: true }, (lock) => (lock ? hold() : (set(false), locks.request(name, hold)))))().catch(
      () => closed || lease()
    )
  } else lease()

  return {
    get isLeader() {
      return leader
    },
    id,
    ready,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      if (closed) return
      closed = true
      release?.()
      if (channel) {
        if (leader) post('resign')
        channel.close()
        cancel(timer)
      }
      set(false)
      listeners.clear()
    }
  }
}
