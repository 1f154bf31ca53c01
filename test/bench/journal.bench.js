// What the write-ahead journal of unsent messages costs per send, in real Chromium: the outbox
// write and removal of one message with and without the journal (localStorage), in the same page
// and interleaved, so the ratio holds on a noisy machine.
import { fileURLToPath } from 'node:url'
import { openBenchPage } from './page.js'
import { percentile, report } from './report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const ROUNDS = 500

export async function run() {
  const { page, close } = await openBenchPage(`${root}/test/bench/journal-page.ts`)
  try {
    const out = await page.evaluate((rounds) => window.measure(rounds), ROUNDS)
    for (const kind of ['plain', 'journal']) {
      report(`outbox.send.sync.${kind}.p50`, percentile(out[kind].sync, 50), 'ms')
      report(`outbox.send.total.${kind}.p50`, percentile(out[kind].total, 50), 'ms')
    }
    const p50 = (kind, part) => percentile(out[kind][part], 50)
    report('outbox.send.sync.journal-added.p50', p50('journal', 'sync') - p50('plain', 'sync'), 'ms')
    report('outbox.send.total.ratio', p50('journal', 'total') / p50('plain', 'total'), 'x')
  } finally {
    await close()
  }
}
