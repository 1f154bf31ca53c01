// A long thread in real Chromium: how long reopening it takes to paint its newest message, what it
// holds in the DOM and the JS heap, and the frames of scrolling from its newest message to its
// oldest, for 1,000 and 10,000 messages (mostly text, every few an image, cards, a form or a rating).
import { fileURLToPath } from 'node:url'
import { openBenchPage } from './page.js'
import { percentile } from './report.js'

const tree = fileURLToPath(new URL('../..', import.meta.url))
const SIZES = [1_000, 10_000]
const OPENS = 7
/** Pixels scrolled a frame: a reader flicking back through the thread. */
const STEP = 1_000
const PHOTO = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="#c9d6df"/><circle cx="320" cy="240" r="120" fill="#52616b"/></svg>`

/** Open `root`'s widget on a thread of `size` messages. */
export async function threadPage(root, size, seed) {
  const bench = await openBenchPage(`${tree}/test/bench/thread-page.ts`, { root, files: { '/photo.svg': ['image/svg+xml', PHOTO] } })
  await bench.page.evaluate(([n, options]) => window.seedThread(n, options), [size, seed])
  return bench
}

/**
 * Open, DOM, heap and scroll figures with `root`'s src/ in the page, as [metric, value, unit].
 * `turn` is awaited before each sample (another tree's run takes its sample then).
 * @example
 * const figures = await measure({ root: '/tmp/baseline' })
 */
export async function measure({ root = tree, turn = async () => {} } = {}) {
  const figures = []
  for (const size of SIZES) {
    const name = `thread.${size}`
    const { page, close } = await threadPage(root, size, { cache: false, through: 'store' })
    try {
      // A first opening warms the engine up, as on a page where the pane was opened before.
      await page.evaluate(() => window.openThread())
      await page.evaluate(() => window.closeThread())
      const opens = []
      let shown
      for (let i = 0; i < OPENS; i++) {
        await turn()
        shown = await page.evaluate(() => window.openThread())
        opens.push(shown.ms)
        if (i < OPENS - 1) await page.evaluate(() => window.closeThread())
      }
      figures.push([`${name}.open.p50`, percentile(opens, 50), 'ms'])
      figures.push([`${name}.open.max`, Math.max(...opens), 'ms'])
      figures.push([`${name}.message-nodes`, shown.messages, 'count'])
      figures.push([`${name}.dom-nodes`, shown.nodes, 'count'])
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('HeapProfiler.collectGarbage')
      const { usedSize } = await cdp.send('Runtime.getHeapUsage')
      figures.push([`${name}.heap`, usedSize / 1024 / 1024, 'MB'])
      await turn()
      const { frames, ms, top } = await page.evaluate((step) => window.scrollToTop(step), STEP)
      if (top !== '(#0)') throw new Error(`scrolling up ended at ${top}, not at the first message`)
      figures.push([`${name}.scroll.ms`, ms, 'ms'])
      figures.push([`${name}.scroll.frames`, frames.length, 'count'])
      figures.push([`${name}.scroll.p95`, percentile(frames, 95), 'ms'])
      figures.push([`${name}.scroll.max`, Math.max(...frames), 'ms'])
      figures.push([`${name}.scroll.over-50ms`, frames.filter((f) => f > 50).length, 'count'])
    } finally {
      await close()
    }
  }
  return figures
}
