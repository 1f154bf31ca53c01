import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLeaderElection, type LeaderElectionOptions } from '../../../src/tabs/leader.js'
import { createFakeLocks } from './fake-locks.js'

// Every election and channel of a test is closed after it, so none outlives its test.
const open: { close(): void }[] = []
afterEach(() => {
  for (const election of open.splice(0)) election.close()
})

const elect = (options: LeaderElectionOptions) => {
  const election = createLeaderElection(options)
  open.push(election)
  return election
}

/** A channel name no other test (or test file: Node's BroadcastChannel crosses worker threads) uses. */
const uniqueName = () => `leader-test:${crypto.randomUUID()}`

const leaders = <T extends { isLeader: boolean }>(tabs: T[]) => tabs.filter((tab) => tab.isLeader)

/** Wait until exactly one of `tabs` leads and return it. */
async function oneLeader<T extends { isLeader: boolean }>(tabs: T[], timeout = 2000): Promise<T> {
  await vi.waitFor(() => expect(leaders(tabs)).toHaveLength(1), { timeout, interval: 5 })
  return leaders(tabs)[0]!
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('leader election with Web Locks', () => {
  const lockTabs = (count: number) => {
    const origin = createFakeLocks()
    const name = uniqueName()
    return Array.from({ length: count }, () => {
      const locks = origin.tab()
      return { locks, election: elect({ name, locks, Channel: null }) }
    })
  }

  it('makes exactly one of five tabs the leader, and every tab knows its part', async () => {
    const tabs = lockTabs(5)
    const elections = tabs.map((tab) => tab.election)
    await Promise.all(elections.map((election) => election.ready))
    expect(leaders(elections)).toEqual([elections[0]])
    expect((await tabs[0]!.locks.query()).held).toHaveLength(1)
    expect((await tabs[0]!.locks.query()).pending).toHaveLength(4)
  })

  it('hands leadership to a waiting tab at once when the leader closes', async () => {
    const elections = lockTabs(5).map((tab) => tab.election)
    const first = await oneLeader(elections)
    const started = performance.now()
    first.close()
    const second = await oneLeader(elections)
    expect(second).not.toBe(first)
    expect(performance.now() - started).toBeLessThan(100)
  })

  it('hands leadership on when the leader tab crashes and the browser frees its lock', async () => {
    const tabs = lockTabs(5)
    await oneLeader(tabs.map((tab) => tab.election))
    const crashed = tabs.find((tab) => tab.election.isLeader)!
    crashed.locks.crash()
    const rest = tabs.filter((tab) => tab !== crashed).map((tab) => tab.election)
    const next = await oneLeader(rest)
    expect(next).toBe(tabs[1]!.election)
  })

  it('tells listeners when this tab starts and stops leading', async () => {
    const [first, second] = lockTabs(2).map((tab) => tab.election)
    const seen: boolean[] = []
    second!.onChange((isLeader) => seen.push(isLeader))
    await second!.ready
    expect(second!.isLeader).toBe(false)
    first!.close()
    await vi.waitFor(() => expect(seen).toEqual([true]))
    second!.close()
    expect(seen).toEqual([true, false])
  })

  it('stops calling a listener after its unsubscribe', async () => {
    const [first, second] = lockTabs(2).map((tab) => tab.election)
    const listener = vi.fn()
    const unsubscribe = second!.onChange(listener)
    unsubscribe()
    first!.close()
    await oneLeader([second!])
    expect(listener).not.toHaveBeenCalled()
  })

  it('keeps leading when a listener throws', async () => {
    const [first, second] = lockTabs(2).map((tab) => tab.election)
    const thrown: unknown[] = []
    const onError = (error: unknown) => thrown.push(error)
    process.on('uncaughtException', onError)
    try {
      const unsubscribe = second!.onChange(() => {
        throw new Error('listener failed')
      })
      await second!.ready
      first!.close()
      await oneLeader([second!])
      await sleep(10)
      expect(thrown).toEqual([new Error('listener failed')])
      expect(second!.isLeader).toBe(true)
      unsubscribe()
    } finally {
      process.off('uncaughtException', onError)
    }
  })

  it('treats close() twice as once', async () => {
    const [first, second, third] = lockTabs(3).map((tab) => tab.election)
    await first!.ready
    first!.close()
    await oneLeader([second!, third!])
    first!.close()
    await sleep(10)
    expect(leaders([first!, second!, third!])).toEqual([second])
  })

  it('lets go of a lock granted after close() so the next tab is not stuck', async () => {
    const origin = createFakeLocks()
    const name = uniqueName()
    const leader = elect({ name, locks: origin.tab(), Channel: null })
    await leader.ready
    const waiting = elect({ name, locks: origin.tab(), Channel: null })
    await waiting.ready
    const later = elect({ name, locks: origin.tab(), Channel: null })
    await later.ready
    waiting.close()
    leader.close()
    await oneLeader([later])
    expect(waiting.isLeader).toBe(false)
  })

  it('settles ready on close() before the first answer', async () => {
    const election = elect({ name: uniqueName(), locks: createFakeLocks().tab(), Channel: null })
    election.close()
    await election.ready
    expect(election.isLeader).toBe(false)
  })
})

describe('leader election without Web Locks or BroadcastChannel', () => {
  it('leads alone', async () => {
    const election = elect({ name: uniqueName(), locks: null, Channel: null })
    expect(election.isLeader).toBe(true)
    await election.ready
    election.close()
    expect(election.isLeader).toBe(false)
  })

  it('leads alone when locks.request is refused and there is no channel', async () => {
    const locks = { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) } as unknown as LockManager
    const election = elect({ name: uniqueName(), locks, Channel: null })
    await election.ready
    expect(election.isLeader).toBe(true)
  })
})

/**
 * A tab for the heartbeat fallback on Node's real BroadcastChannel, which can freeze like a
 * background tab: while frozen its timers and incoming messages wait and it sends nothing.
 * A tab frozen for good is a crashed one (no more heartbeats, no `resign`).
 */
function leaseTab(name: string, rank: number, options: Partial<LeaderElectionOptions> = {}) {
  let frozen = false
  let waiting: (() => void)[] = []
  const later = (run: () => void) => (frozen ? waiting.push(run) : run())
  class Channel {
    inner = new BroadcastChannel(name) as BroadcastChannel & { unref(): void }
    constructor() {
      this.inner.unref()
    }
    set onmessage(listener: (event: MessageEvent) => void) {
      this.inner.onmessage = (event) => later(() => listener(event))
    }
    postMessage(message: unknown) {
      if (!frozen) this.inner.postMessage(message)
    }
    close() {
      this.inner.close()
    }
  }
  const timers = {
    setTimeout: (run: () => void, ms: number) => setTimeout(() => later(run), ms),
    clearTimeout: (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)
  }
  const election = elect({
    name,
    locks: null,
    Channel: Channel as unknown as typeof BroadcastChannel,
    timers,
    // Ranks order the ids: the lowest rank wins a tie.
    random: () => rank / 100,
    heartbeatMs: 100,
    ...options
  })
  return {
    name,
    election,
    get isLeader() {
      return election.isLeader
    },
    freeze() {
      frozen = true
    },
    thaw() {
      frozen = false
      for (const run of waiting.splice(0)) run()
    }
  }
}

const leaseTabs = (count: number, options?: Partial<LeaderElectionOptions>) => {
  const name = uniqueName()
  return Array.from({ length: count }, (_, i) => leaseTab(name, i + 1, options))
}

/** Listen to the election's channel like a sixth tab that never takes part. */
function spy(name: string) {
  const channel = new BroadcastChannel(name) as BroadcastChannel & { unref(): void }
  channel.unref()
  const heard: { t: string; id: string }[] = []
  channel.onmessage = (event) => heard.push(event.data)
  open.push(channel)
  return { channel, heard }
}

describe('leader election by heartbeats (no Web Locks)', () => {
  it('makes exactly one of five tabs the leader: the lowest id', async () => {
    const tabs = leaseTabs(5)
    await Promise.all(tabs.map((tab) => tab.election.ready))
    expect(leaders(tabs)).toEqual([tabs[0]])
    // It stays that way over several heartbeats.
    await sleep(500)
    expect(leaders(tabs)).toEqual([tabs[0]])
  })

  it('uses the ids random() gives, lowest wins', () => {
    const [first, second] = leaseTabs(2)
    expect(first!.election.id < second!.election.id).toBe(true)
  })

  it('hands over within half a heartbeat when the leader closes and resigns', async () => {
    const tabs = leaseTabs(5)
    const first = await oneLeader(tabs)
    const started = performance.now()
    first.election.close()
    const next = await oneLeader(tabs)
    const took = performance.now() - started
    expect(next).toBe(tabs[1])
    expect(took).toBeLessThan(100)
  })

  it('hands over within 3.5 heartbeats when the leader crashes', async () => {
    const tabs = leaseTabs(5)
    const first = await oneLeader(tabs)
    first.freeze()
    const started = performance.now()
    const next = await oneLeader(tabs.slice(1))
    const took = performance.now() - started
    expect(next).toBe(tabs[1])
    expect(took).toBeGreaterThan(150)
    expect(took).toBeLessThan(450)
  })

  it('hands over within 2 s of a crash with the default 500 ms heartbeat', async () => {
    const tabs = leaseTabs(3, { heartbeatMs: undefined })
    const first = await oneLeader(tabs)
    // Crash right after a heartbeat went out: the worst moment for the others.
    const watcher = spy(tabs[0]!.name)
    await vi.waitFor(() => expect(watcher.heard.at(-1)).toEqual({ t: 'hb', id: first.election.id }), { interval: 1 })
    watcher.heard.length = 0
    await vi.waitFor(() => expect(watcher.heard).toEqual([{ t: 'hb', id: first.election.id }]), { interval: 1 })
    first.freeze()
    const started = performance.now()
    await oneLeader(tabs.slice(1), 3000)
    const took = performance.now() - started
    expect(took).toBeLessThan(2000)
  })

  it('resolves two leaders after a frozen leader wakes within one heartbeat: the lower id keeps it', async () => {
    const tabs = leaseTabs(5)
    const first = await oneLeader(tabs)
    first.freeze()
    const second = await oneLeader(tabs.slice(1))
    expect(second).toBe(tabs[1])
    // Still leading in its own eyes while frozen.
    expect(first.isLeader).toBe(true)
    first.thaw()
    await sleep(100 + 30)
    expect(leaders(tabs)).toEqual([first])
    await sleep(300)
    expect(leaders(tabs)).toEqual([first])
  })

  it('keeps a live leader when a tab with a lower id opens', async () => {
    const name = uniqueName()
    const tabs = [leaseTab(name, 5), leaseTab(name, 6)]
    const leader = await oneLeader(tabs)
    const seen: boolean[] = []
    leader.election.onChange((isLeader) => seen.push(isLeader))
    const newcomer = leaseTab(name, 1)
    await newcomer.election.ready
    await sleep(300)
    expect(leaders([...tabs, newcomer])).toEqual([leader])
    expect(seen).toEqual([])
  })

  it('lets a claim from a lower id win when two tabs claim together', async () => {
    const name = uniqueName()
    // Both start at once, so both claim; the higher one yields.
    const tabs = [leaseTab(name, 9), leaseTab(name, 2)]
    await Promise.all(tabs.map((tab) => tab.election.ready))
    expect(leaders(tabs)).toEqual([tabs[1]])
  })

  it('ignores garbled messages and a resign from a tab that does not lead', async () => {
    const name = uniqueName()
    const tabs = [leaseTab(name, 1), leaseTab(name, 2), leaseTab(name, 3)]
    const leader = await oneLeader(tabs)
    const watcher = spy(name)
    const garbage: unknown[] = [
      null,
      'hb',
      42,
      [],
      { t: 'hb' },
      { t: 'hb', id: 7 },
      { t: 'hb', id: { toString: null } },
      { t: 'claim', id: null },
      { t: 'resign', id: ['a'] },
      { t: 'boom', id: '0' },
      { type: 'wipe', person: 'p1', reason: 'ended' },
      { t: 'resign', id: tabs[2]!.election.id },
      { t: 'resign', id: 'not-a-tab' }
    ]
    for (const message of garbage) watcher.channel.postMessage(message)
    await sleep(350)
    expect(leaders(tabs)).toEqual([leader])
    // Nobody claimed: the resigns did not come from the leader.
    expect(watcher.heard.filter((m) => m?.t === 'claim')).toEqual([])
  })

  it('falls back to heartbeats when locks.request is refused', async () => {
    const name = uniqueName()
    const refusing = { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) }
    const throwing = {
      request: () => {
        throw new DOMException('opaque origin', 'SecurityError')
      }
    }
    const tabs = [refusing, throwing, refusing].map((locks, i) =>
      leaseTab(name, i + 1, { locks: locks as unknown as LockManager })
    )
    await Promise.all(tabs.map((tab) => tab.election.ready))
    expect(leaders(tabs)).toEqual([tabs[0]])
    tabs[0]!.election.close()
    expect(await oneLeader(tabs)).toBe(tabs[1])
  })

  it('settles ready for a follower once it hears the leader', async () => {
    const name = uniqueName()
    const leader = leaseTab(name, 1)
    await leader.election.ready
    const follower = leaseTab(name, 2)
    const started = performance.now()
    await follower.election.ready
    expect(performance.now() - started).toBeLessThan(50)
    expect(follower.isLeader).toBe(false)
  })

  it('runs on the timers it is given', () => {
    const delays: number[] = []
    let due: (() => void) | undefined
    const timers = {
      setTimeout(run: () => void, ms: number) {
        delays.push(ms)
        due = run
      },
      clearTimeout() {
        due = undefined
      }
    }
    const election = elect({ name: uniqueName(), locks: null, Channel: BroadcastChannel, timers })
    expect(election.isLeader).toBe(false)
    // Alone: nobody objects to its claim within half a heartbeat, then it beats every 500 ms.
    due!()
    expect(election.isLeader).toBe(true)
    expect(delays).toEqual([250, 500])
  })
})
