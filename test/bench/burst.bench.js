// A burst into an open thread in real Chromium: 1,000 messages in one second from the backend (an
// agent bulk-importing, a bot gone wild), each through the client as a stream delivers it, into a
// thread of 100 and one of 10,000, with the device's IndexedDB as a site has it. Long tasks and frame
// gaps while it lasts, how long after the last was sent it was painted, and how often the pane, the
// message list and the messages rendered.
import { fileURLToPath } from 'node:url'
import { threadPage } from './thread.bench.js'

const tree = fileURLToPath(new URL('../..', import.meta.url))
const COUNT = 1_000
const PER_SECOND = 1_000
const RUNS = 3

/** Threads the bursts go into: 100 messages the backend sent, and 10,000 already in memory. */
const THREADS = [
  [100, 'backend'],
  [10_000, 'store']
]

/**
 * Burst figures with `root`'s src/ in the page, as [metric, value, unit] (the worst of `RUNS`).
 * `turn` is awaited before each sample (another tree's run takes its sample then).
 * @example
 * const figures = await measure({ root: '/tmp/baseline' })
 */
export async function measure({ root = tree, turn = async () => {} } = {}) {
  const figures = []
  for (const [size, through] of THREADS) {
    const runs = []
    for (let i = 0; i < RUNS; i++) {
      await turn()
      const { page, close } = await threadPage(root, size, { cache: true, through })
      try {
        await page.evaluate(() => window.openThread())
        const run = await page.evaluate(([count, rate]) => window.burst(count, rate), [COUNT, PER_SECOND])
        if (!run.shown) throw new Error('the last message of the burst was never painted')
        runs.push(run)
      } finally {
        await close()
      }
    }
    const worst = (pick) => Math.max(...runs.map(pick))
    const name = `burst.${COUNT}-into-${size}`
    figures.push(
      [`${name}.shown-after-last`, worst((r) => r.shownAfterLast), 'ms'],
      [`${name}.long-tasks`, worst((r) => r.longTasks.length), 'count'],
      [`${name}.longest-task`, worst((r) => Math.max(0, ...r.longTasks)), 'ms'],
      [`${name}.max-frame-gap`, worst((r) => Math.max(...r.frames)), 'ms'],
      [`${name}.frames-over-50ms`, worst((r) => r.frames.filter((f) => f > 50).length), 'count'],
      [`${name}.renders.pane`, worst((r) => r.renders.pane), 'count'],
      [`${name}.renders.list`, worst((r) => r.renders.list), 'count'],
      [`${name}.renders.message`, worst((r) => r.renders.message), 'count']
    )
  }
  return figures
}
