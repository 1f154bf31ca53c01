import { describe, expect, it, onTestFinished } from 'vitest'
import { createReconnectLoop, type ReconnectLink, type ReconnectOptions } from '../../../src/transports/reconnect.js'
import { seededRandom } from '../../support/random.js'
import { fakePage, manualClock, settle } from './stream-fixtures.js'

/** One attempt the loop made: its signal and its link, for the test to drive. */
interface Attempt {
  signal: AbortSignal
  link: ReconnectLink
}

/**
 * A loop on a manual clock with no network events unless given, whose attempts are recorded and
 * left to the test; what it reports is kept in order. Stopped when the test ends.
 */
function loop(options: Partial<ReconnectOptions> = {}) {
  const clock = manualClock()
  const attempts: Attempt[] = []
  const reported: (string | [string, string])[] = []
  const errors: Error[] = []
  const stop = new AbortController()
  onTestFinished(() => stop.abort())
  createReconnectLoop({
    signal: stop.signal,
    timers: clock,
    events: null,
    random: () => 0,
    connect: (signal, link) => void attempts.push({ signal, link }),
    setStatus: (status, error) => void reported.push(error ? [status, error.message] : status),
    report: (error) => void errors.push(error),
    ...options
  })
  /** The delays of the timers pending now. */
  const pending = () => clock.pending()
  return { clock, attempts, reported, errors, stop, pending, last: () => attempts.at(-1)! }
}

describe('reconnect loop', () => {
  it('reports connecting, then online when the attempt is up, then reconnecting with why it dropped', async () => {
    const { attempts, reported } = loop()
    expect(attempts).toHaveLength(0)
    await settle()
    expect(reported).toEqual(['connecting'])
    attempts[0]!.link.up()
    attempts[0]!.link.down(new Error('reset'))
    expect(reported).toEqual(['connecting', 'online', ['reconnecting', 'reset']])
  })

  it('waits a full-jitter backoff that doubles after each failed attempt, within its bounds', async () => {
    const random = seededRandom(7)
    const draws: number[] = []
    const { clock, attempts, pending } = loop({ base: 100, cap: 1000, random: () => (draws.push(random()), draws.at(-1)!) })
    const delays: number[] = []
    for (let i = 0; i < 6; i++) {
      await settle()
      attempts[i]!.link.down(new Error('refused'))
      const [delay, ...more] = pending()
      expect(more).toEqual([])
      delays.push(delay!)
      clock.advance(delay!)
    }
    await settle()
    expect(attempts).toHaveLength(7)
    // Attempt n waits floor(random · min(cap, base · 2^n)): in [0, 100), [0, 200) … then capped at 1000.
    const ceilings = [100, 200, 400, 800, 1000, 1000]
    expect(delays).toEqual(ceilings.map((ceiling, i) => Math.floor(draws[i]! * ceiling)))
    for (const [i, delay] of delays.entries()) expect(delay).toBeLessThan(ceilings[i]!)
  })

  it('reports each further failed attempt as an error while reconnecting', async () => {
    const { clock, attempts, reported, errors } = loop()
    for (let i = 0; i < 3; i++) {
      await settle()
      attempts[i]!.link.down(new Error(`failure ${i + 1}`))
      clock.advance(0)
    }
    expect(reported).toEqual(['connecting', ['reconnecting', 'failure 1']])
    expect(errors.map((error) => error.message)).toEqual(['failure 2', 'failure 3'])
  })

  it('starts the backoff anew after a connection that proved healthy or stayed up 10 s', async () => {
    const { clock, attempts, pending } = loop({ random: () => 0.999 })
    const drop = async (i: number, before: (link: ReconnectLink) => void = () => {}) => {
      await settle()
      attempts[i]!.link.up()
      before(attempts[i]!.link)
      attempts[i]!.link.down(new Error('dropped'))
      const [delay] = pending()
      clock.advance(delay!)
      return delay
    }
    expect([await drop(0), await drop(1), await drop(2, (link) => link.healthy()), await drop(3)]).toEqual([499, 999, 499, 999])
    expect(await drop(4, () => clock.advance(9_999))).toBe(1998)
    expect(await drop(5, () => clock.advance(10_000))).toBe(499)
  })

  it('pings after keepalive ms of silence, keeps a connection that answers, and drops one that does not', async () => {
    const { clock, attempts, reported } = loop({ keepalive: 1000, timeout: 300, name: 'Feed' })
    await settle()
    let pings = 0
    attempts[0]!.link.up(() => pings++)
    clock.advance(999)
    expect(pings).toBe(0)
    clock.advance(1)
    expect(pings).toBe(1)
    // An answer within the timeout: silence is measured from it again.
    clock.advance(299)
    attempts[0]!.link.alive()
    clock.advance(999)
    expect([pings, attempts[0]!.signal.aborted]).toEqual([1, false])
    clock.advance(1)
    expect(pings).toBe(2)
    clock.advance(300)
    expect(attempts[0]!.signal.aborted).toBe(true)
    expect(attempts[0]!.signal.reason).toMatchObject({ code: 'timeout', message: 'Feed went silent' })
    expect(reported).toEqual(['connecting', 'online', ['reconnecting', 'Feed went silent']])
    clock.advance(0)
    await settle()
    expect(attempts).toHaveLength(2)
  })

  it('takes nothing the connection says after it went down, and starts one attempt at a time', async () => {
    const page = fakePage()
    const { attempts, reported, pending } = loop({ events: page })
    await settle()
    attempts[0]!.link.down(new Error('refused'))
    attempts[0]!.link.up()
    attempts[0]!.link.down(new Error('again'))
    expect(reported).toEqual(['connecting', ['reconnecting', 'refused']])
    // A pending backoff and two requests to try now make one new attempt.
    expect(pending()).toHaveLength(1)
    page.dispatchEvent(new Event('pageshow'))
    page.dispatchEvent(new Event('visibilitychange'))
    await settle()
    expect(attempts).toHaveLength(2)
    expect(pending()).toEqual([])
  })

  it('drops the connection when the device goes offline and waits for online, then tries at once', async () => {
    const page = fakePage()
    const { clock, attempts, reported, errors, pending } = loop({ events: page })
    await settle()
    attempts[0]!.link.up()
    page.dispatchEvent(new Event('offline'))
    expect(attempts[0]!.signal.aborted).toBe(true)
    expect(reported).toEqual(['connecting', 'online', 'offline'])
    expect(pending()).toEqual([])
    clock.advance(60_000)
    await settle()
    expect(attempts).toHaveLength(1)
    page.dispatchEvent(new Event('online'))
    await settle()
    expect(attempts).toHaveLength(2)
    expect(attempts[1]!.link.offline).toBe(false)
    attempts[1]!.link.up()
    expect(reported).toEqual(['connecting', 'online', 'offline', 'reconnecting', 'online'])
    expect(errors).toEqual([])
  })

  it('keeps trying on its timer while offline with waitOnline false, reporting no failure', async () => {
    const page = fakePage()
    const { clock, attempts, reported, errors } = loop({ events: page, waitOnline: false })
    await settle()
    page.dispatchEvent(new Event('offline'))
    for (let i = 0; i < 3; i++) {
      clock.advance(0)
      await settle()
      expect(attempts[i + 1]!.link.offline).toBe(true)
      attempts[i + 1]!.link.down(new Error('Failed to fetch'))
    }
    expect(reported).toEqual(['connecting', 'offline'])
    expect(errors).toEqual([])
  })

  it('knows a page that booted offline and hears no offline event', async () => {
    const page = Object.assign(fakePage(), { navigator: { onLine: false } })
    const { attempts, reported, pending } = loop({ events: page })
    await settle()
    expect(attempts[0]!.link.offline).toBe(true)
    attempts[0]!.link.down(new Error('Failed to fetch'))
    expect(reported).toEqual(['connecting', ['offline', 'Failed to fetch']])
    expect(pending()).toEqual([])
  })

  it('closes on pagehide, schedules nothing while the page is away, and reconnects on pageshow', async () => {
    const page = fakePage()
    const { clock, attempts, reported, pending } = loop({ events: page })
    await settle()
    attempts[0]!.link.up()
    page.dispatchEvent(new Event('pagehide'))
    expect(attempts[0]!.signal.aborted).toBe(true)
    expect(reported).toEqual(['connecting', 'online', 'reconnecting'])
    expect(pending()).toEqual([])
    clock.advance(120_000)
    await settle()
    expect(attempts).toHaveLength(1)
    page.dispatchEvent(new Event('pageshow'))
    await settle()
    expect(attempts).toHaveLength(2)
  })

  it('ignores the page with page false', async () => {
    const page = fakePage()
    const { attempts } = loop({ events: page, page: false })
    await settle()
    attempts[0]!.link.up()
    page.dispatchEvent(new Event('pagehide'))
    expect(attempts[0]!.signal.aborted).toBe(false)
  })

  it('stops everything on abort: the connection, its timers, the listeners and the reports', async () => {
    const page = fakePage()
    const removed: string[] = []
    const remove = page.removeEventListener.bind(page)
    page.removeEventListener = (type, listener) => (removed.push(type), remove(type, listener))
    const { clock, attempts, reported, stop, pending } = loop({ events: page, keepalive: 1000 })
    await settle()
    attempts[0]!.link.up(() => {})
    expect(pending()).not.toEqual([])
    stop.abort()
    expect(attempts[0]!.signal.aborted).toBe(true)
    expect(pending()).toEqual([])
    expect(removed.sort()).toEqual(['offline', 'online', 'pagehide', 'pageshow', 'visibilitychange'])
    attempts[0]!.link.down(new Error('closed'))
    page.dispatchEvent(new Event('online'))
    clock.advance(60_000)
    await settle()
    expect(attempts).toHaveLength(1)
    expect(reported).toEqual(['connecting', 'online'])
  })

  it('makes no attempt when stopped before the first one', async () => {
    const { attempts, reported, stop } = loop()
    stop.abort()
    await settle()
    expect([attempts, reported]).toEqual([[], []])
  })
})
