import { describe, expect, it } from 'vitest'
import { openEventStream, type Connect } from '../../../src/transports/http/stream.js'
import { seededRandom } from '../../support/random.js'
import { manualClock, settle } from './stream-fixtures.js'

const CLIENTS = 1000
const WINDOW_MS = 100

/**
 * `CLIENTS` streams on one clock, all connected to a server that then drops every connection at
 * the same instant. Answers how many reconnect attempts fell into each 100 ms window after the drop.
 */
async function outage(random: (client: number) => () => number): Promise<number[]> {
  const clock = manualClock()
  let dropAll: (error: Error) => void = () => {}
  const down = new Promise<never>((_, reject) => (dropAll = reject))
  down.catch(() => {})
  let dropped = false
  const attempts: number[] = []
  const connect: Connect = async (_cursor, signal, sink) => {
    if (dropped) {
      attempts.push(clock.now())
      // The server is back: the reconnect holds.
      sink.open()
      return new Promise((resolve) => signal.addEventListener('abort', resolve))
    }
    sink.open()
    sink.alive()
    return down
  }
  const stops = Array.from({ length: CLIENTS }, (_, client) =>
    openEventStream({ kinds: [connect], timers: clock, random: random(client), events: undefined, heartbeat: 25_000 }, () => {})
  )
  await settle()
  dropped = true
  dropAll(new TypeError('connection reset'))
  await settle()
  for (let elapsed = 0; elapsed < 5000 && attempts.length < CLIENTS; elapsed++) {
    clock.advance(1)
    await settle()
  }
  for (const stop of stops) stop()
  const windows: number[] = []
  for (const at of attempts) windows[Math.floor(at / WINDOW_MS)] = (windows[Math.floor(at / WINDOW_MS)] ?? 0) + 1
  return Array.from(windows, (count) => count ?? 0)
}

describe('reconnect jitter', () => {
  it('1,000 simulated clients after an outage do not reconnect in one burst', async () => {
    // Each simulated client draws its own jitter, from a seeded generator of its own.
    const windows = await outage((client) => seededRandom(client + 1))
    const total = windows.reduce((sum, count) => sum + count, 0)
    expect(total).toBe(CLIENTS)
    expect(Math.max(...windows)).toBeLessThanOrEqual(CLIENTS * 0.25)
    // Full jitter over the first backoff step (500 ms) spreads them over five windows.
    expect(windows.length).toBe(5)
  })

  it('would reconnect in one burst without jitter (the measure above can fail)', async () => {
    const windows = await outage(() => () => 0)
    expect(windows).toEqual([CLIENTS])
  })
})
