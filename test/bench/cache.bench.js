// Boot from cache: how long until a returning customer sees their thread, with 10,000 messages
// stored on the device and no network at all, measured in real Chromium from client creation to
// the first painted message list.
import { fileURLToPath } from 'node:url'
import { openBenchPage } from './page.js'
import { percentile } from './report.js'

const tree = fileURLToPath(new URL('../..', import.meta.url))
const MESSAGES = 10_000
const RUNS = 15
/** 10,000 messages spread over 100 threads, and all in one long thread. */
const LAYOUTS = [
  ['100-threads', 100],
  ['1-thread', 1]
]

/**
 * Seed, boot and first-search times with `root`'s src/ in the page, as [metric, value, unit] figures.
 * `turn` is awaited before each sample (another tree's run takes its sample then).
 * @example
 * const figures = await measure({ root: '/tmp/baseline' })
 */
export async function measure({ root = tree, turn = async () => {} } = {}) {
  const figures = []
  const { page, close } = await openBenchPage(`${tree}/test/bench/cache-page.ts`, { root })
  try {
    for (const [name, threads] of LAYOUTS) {
      await turn()
      const seeded = performance.now()
      await page.evaluate(([site, count, t]) => window.seed(site, count, t), [name, MESSAGES, threads])
      figures.push([`cache.seed.chromium.${name}`, performance.now() - seeded, 'ms'])
      const times = []
      for (let i = 0; i < RUNS; i++) {
        await turn()
        await page.reload()
        const { ms, shown } = await page.evaluate((site) => window.boot(site), name)
        if (shown === 0) throw new Error('nothing was painted from the cache')
        times.push(ms)
      }
      figures.push([`cache.boot.chromium.${name}.p50`, percentile(times, 50), 'ms'])
      figures.push([`cache.boot.chromium.${name}.p95`, percentile(times, 95), 'ms'])
      const searches = []
      for (let i = 0; i < 5; i++) {
        await turn()
        await page.reload()
        const { ms, hits } = await page.evaluate((site) => window.firstSearch(site), name)
        if (hits === 0) throw new Error('the first search found nothing')
        searches.push(ms)
      }
      // Read every stored message, build the index, answer: what the first search after a reload costs.
      figures.push([`search.first.chromium.${name}.p50`, percentile(searches, 50), 'ms'])
    }
    const stored = await page.evaluate(async () => (await navigator.storage.estimate()).usage)
    figures.push(['cache.stored.chromium.20000-messages', stored / 1024, 'KiB'])
  } finally {
    await close()
  }
  return figures
}
