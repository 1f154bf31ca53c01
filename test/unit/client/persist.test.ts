import { describe, expect, it } from 'vitest'
import type { Cache, CacheChanges } from '../../../src/cache/types.js'
import { createPersister } from '../../../src/client/persist.js'
import type { Message } from '../../../src/transports/types.js'

const message = (n: number): Message => ({ id: `m${n}`, conversationId: 'c1', seq: n, author: { role: 'agent' }, text: `text ${n}`, createdAt: n })

/** A cache whose writes each wait until the test lets them finish. */
function slowCache() {
  const writes: CacheChanges[] = []
  const pending: (() => void)[] = []
  const cache = { write: (changes: CacheChanges) => (writes.push(changes), new Promise<void>((done) => pending.push(done))) } as unknown as Cache
  return { cache, writes, finish: () => pending.shift()!() }
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve))

describe('the persister', () => {
  it('writes what one task changed in one transaction', async () => {
    const { cache, writes } = slowCache()
    const persist = createPersister(() => cache)
    persist.messages([message(1)])
    persist.messages([message(2)])
    await nextTask()
    expect(writes.map((w) => w.messages?.map((m) => m.id))).toEqual([['m1', 'm2']])
  })

  it('writes what changed while a transaction ran in the next one, not in one each', async () => {
    const { cache, writes, finish } = slowCache()
    const persist = createPersister(() => cache)
    persist.messages([message(1)])
    await nextTask()
    // Three messages, one task each, while the first transaction runs.
    for (const n of [2, 3, 4]) {
      persist.messages([message(n)])
      await nextTask()
    }
    expect(writes).toHaveLength(1)
    finish()
    await nextTask()
    expect(writes.map((w) => w.messages?.map((m) => m.id))).toEqual([['m1'], ['m2', 'm3', 'm4']])
    finish()
    await persist.flush()
  })

  it('writes a burst of messages in transactions of a few hundred, the rest in the next', async () => {
    const { cache, writes, finish } = slowCache()
    const persist = createPersister(() => cache)
    persist.messages(Array.from({ length: 500 }, (_, i) => message(i)))
    persist.meta({ streamCursor: '500' })
    const flushed = persist.flush()
    for (let i = 0; i < 3; i++) {
      await nextTask()
      finish()
    }
    await flushed
    expect(writes.map((w) => w.messages?.length)).toEqual([200, 200, 100])
    // The cursor goes with the last of them: the device never claims what it does not hold.
    expect(writes.map((w) => w.meta)).toEqual([undefined, undefined, { streamCursor: '500' }])
  })
})
