// Runs inside the page the journal benchmark opens (bundled by journal.bench.js): the life of one
// unsent message in the outbox (written, then confirmed and removed), with and without the
// write-ahead journal in localStorage, interleaved so both see the same machine.
import { createIdbCache } from '../../src/cache/idb.js'
import { withJournal } from '../../src/cache/journal.js'
import type { Cache, OutboxEntry } from '../../src/cache/types.js'

declare global {
  interface Window {
    measure(rounds: number): Promise<Record<'plain' | 'journal', { sync: number[]; total: number[] }>>
  }
}

const entry = (clientId: string): OutboxEntry => ({
  id: clientId,
  clientId,
  conversationId: 'c1',
  author: { role: 'visitor', id: 'v-bench' },
  text: 'Hello, my parcel arrived damaged: the box was crushed and one of the plates is broken.',
  createdAt: Date.now(),
  status: 'queued'
})

window.measure = async (rounds) => {
  const plain = await createIdbCache({ name: 'confab-bench-plain' })
  const journal = withJournal(await createIdbCache({ name: 'confab-bench-journal' }), 'confab-bench-journal', localStorage)
  const out = { plain: { sync: [] as number[], total: [] as number[] }, journal: { sync: [] as number[], total: [] as number[] } }
  const once = async (cache: Cache, into: { sync: number[]; total: number[] }, id: string) => {
    const started = performance.now()
    const writing = cache.write({ outbox: [entry(id)] })
    // What `send()` pays before it returns to its caller.
    into.sync.push(performance.now() - started)
    await writing
    await cache.write({ unqueue: [id] })
    into.total.push(performance.now() - started)
  }
  for (let i = 0; i < rounds; i++) {
    await once(plain, out.plain, `p${i}`)
    await once(journal, out.journal, `j${i}`)
  }
  return out
}
