// Boot from cache: how long until a returning customer sees their thread, with 10,000 messages
// stored on the device and no network at all, measured in real Chromium from client creation to
// the first painted message list.
import { buildSync } from 'esbuild'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { percentile, report } from './report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const MESSAGES = 10_000
const RUNS = 15
/** 10,000 messages spread over 100 threads, and all in one long thread. */
const LAYOUTS = [
  ['100-threads', 100],
  ['1-thread', 1]
]

export async function run() {
  const bundle = buildSync({
    entryPoints: [`${root}/test/bench/cache-page.ts`],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false
  }).outputFiles[0].text
  const server = createServer((request, response) => {
    if (request.url === '/bench.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle)
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/bench.js"></script>')
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/`
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  })
  try {
    const page = await browser.newPage()
    await page.goto(url)
    for (const [name, threads] of LAYOUTS) {
      const seeded = performance.now()
      await page.evaluate(([site, count, t]) => window.seed(site, count, t), [name, MESSAGES, threads])
      report(`cache.seed.chromium.${name}`, performance.now() - seeded, 'ms')
      const times = []
      for (let i = 0; i < RUNS; i++) {
        await page.reload()
        const { ms, shown } = await page.evaluate((site) => window.boot(site), name)
        if (shown === 0) throw new Error('nothing was painted from the cache')
        times.push(ms)
      }
      report(`cache.boot.chromium.${name}.p50`, percentile(times, 50), 'ms')
      report(`cache.boot.chromium.${name}.p95`, percentile(times, 95), 'ms')
      const searches = []
      for (let i = 0; i < 5; i++) {
        await page.reload()
        const { ms, hits } = await page.evaluate((site) => window.firstSearch(site), name)
        if (hits === 0) throw new Error('the first search found nothing')
        searches.push(ms)
      }
      // Read every stored message, build the index, answer: what the first search after a reload costs.
      report(`search.first.chromium.${name}.p50`, percentile(searches, 50), 'ms')
    }
    const stored = await page.evaluate(async () => (await navigator.storage.estimate()).usage)
    report('cache.stored.chromium.20000-messages', stored / 1024, 'KiB')
  } finally {
    await browser.close()
    server.close()
  }
}
