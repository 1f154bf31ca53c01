// Media in real Chromium, each figure against a baseline measured in the same run (the machine is
// shared: ratios hold from one run to the next, absolute times do not).
//
// - upload: a 20 MB file sent with the headless client over HTTP to the reference server on
//   127.0.0.1 (`send({ files })`: kept in IndexedDB with its message, a slot, the put with
//   XMLHttpRequest), from the call until the server has stored it; against one plain `fetch` PUT of
//   as many bytes to a slot from the same server, in the same page, and one plain XMLHttpRequest PUT
//   (what the client puts with, for its progress). Samples interleaved, medians; the goal is a ratio
//   of at least 0.9 (the client's throughput over the plain `fetch` PUT's). Over loopback, and over
//   an emulated 50 Mbit/s uplink (see LINKS).
// - thread: opening the pane on a thread of 50 photo messages (captioned, their size given), until
//   the newest is painted with every photo drawn laid out at its reserved size, against the same 50
//   messages as text alone; opens of both interleaved, medians.
// - bytes: gzip of the composer's media pieces, each loaded apart on first use, and how many of
//   their own modules the loader or the core holds (the goal is none).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from '../../examples/server/app.js'
import { openBenchPage } from './page.js'
import { percentile } from './report.js'
import { bundledModules, coreModules, MEDIA_PIECES, servedSize } from './sizes.js'
import { threadPage } from './thread.bench.js'

const tree = fileURLToPath(new URL('../..', import.meta.url))
const FILE_MB = 20
const UPLOADS = 9
const THREAD = 50
const OPENS = 15

/** Where the server keeps what it is sent: in memory where the machine has a RAM disk, so that the disk does not hide the browser's part. */
const dataRoot = () => (statSync('/dev/shm', { throwIfNoEntry: false })?.isDirectory() ? '/dev/shm' : tmpdir())

/**
 * The links uploads are timed over: loopback as it is (the harshest: the put takes least, so what
 * the client does besides weighs most), and an uplink of 50 Mbit/s with 20 ms of latency, a good
 * home or office connection (Chromium's network emulation), where a put takes seconds.
 */
const LINKS = [
  { prefix: 'media.upload', samples: UPLOADS },
  { prefix: 'media.upload.50mbit', samples: 5, conditions: { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 50e6 / 8 } }
]

async function upload(root, turn) {
  const dataDir = mkdtempSync(join(dataRoot(), 'confab-media-bench-'))
  const server = createServer({ dataDir, widgetPath: join(dataDir, 'none.js'), onError: () => {} })
  const { url } = await server.listen(0)
  const { page, close } = await openBenchPage(`${tree}/test/bench/upload-page.ts`, { root })
  const figures = []
  try {
    await page.evaluate((backend) => window.startUploads(backend), url)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    const bytes = FILE_MB * 2 ** 20
    for (const { prefix, samples, conditions } of LINKS) {
      if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions)
      const runs = { stored: [], sent: [], beforePut: [], put: [], afterPut: [], fetch: [], xhr: [] }
      const ways = {
        async client() {
          const { stored, sent, putStart, putEnd } = await page.evaluate((size) => window.sendFile(size), bytes)
          runs.stored.push(stored)
          runs.sent.push(sent)
          runs.beforePut.push(putStart)
          runs.put.push(putEnd - putStart)
          runs.afterPut.push(stored - putEnd)
        },
        fetch: async () => runs.fetch.push(await page.evaluate((size) => window.plainPut(size, 'fetch'), bytes)),
        xhr: async () => runs.xhr.push(await page.evaluate((size) => window.plainPut(size, 'xhr'), bytes))
      }
      // A first one of each warms the page, the connection and the server up.
      for (const way of Object.values(ways)) await way()
      for (const list of Object.values(runs)) list.length = 0
      for (let i = 0; i < samples; i++) {
        await turn()
        // Each goes first in turn, so that none always follows the same one's writes.
        const order = Object.values(ways)
        for (let n = 0; n < order.length; n++) await order[(i + n) % order.length]()
      }
      const p50 = (list) => percentile(list, 50)
      const [stored, fetched, xhr] = [runs.stored, runs.fetch, runs.xhr].map(p50)
      const throughput = (ms) => FILE_MB / (ms / 1000)
      figures.push(
        [`${prefix}.client.stored`, stored, 'ms'],
        [`${prefix}.client.sent`, p50(runs.sent), 'ms'],
        // Where the client's time goes: keeping the bytes on the device and asking for a slot; the
        // put; keeping where the file went.
        [`${prefix}.client.before-put`, p50(runs.beforePut), 'ms'],
        [`${prefix}.client.put`, p50(runs.put), 'ms'],
        [`${prefix}.client.after-put`, p50(runs.afterPut), 'ms'],
        [`${prefix}.plain-fetch.stored`, fetched, 'ms'],
        [`${prefix}.plain-xhr.stored`, xhr, 'ms'],
        [`${prefix}.client.throughput`, throughput(stored), 'MB/s'],
        [`${prefix}.plain-fetch.throughput`, throughput(fetched), 'MB/s'],
        // The figure of the goal: the client's throughput over a plain PUT's.
        [`${prefix}.ratio`, fetched / stored, 'x'],
        [`${prefix}.ratio.xhr`, xhr / stored, 'x']
      )
    }
    return figures
  } finally {
    await close()
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function thread(root, turn) {
  const pages = {}
  try {
    for (const kind of ['image', 'text']) pages[kind] = await threadPage(root, THREAD, { cache: false, through: 'store', only: kind })
    const opens = { image: [], text: [] }
    let images = 0
    for (let i = -1; i < OPENS; i++) {
      if (i >= 0) await turn()
      for (const kind of i % 2 ? ['image', 'text'] : ['text', 'image']) {
        const { page } = pages[kind]
        const shown = await page.evaluate(() => window.openThread())
        await page.evaluate(() => window.closeThread())
        // The first opening of each warms the engine up, as on a page where the pane was opened before.
        if (i >= 0) opens[kind].push(shown.ms)
        if (kind === 'image') images = shown.images
      }
    }
    if (images === 0) throw new Error('the thread of photos drew none')
    const withImages = percentile(opens.image, 50)
    const text = percentile(opens.text, 50)
    return [
      [`media.thread.${THREAD}-images.open`, withImages, 'ms'],
      [`media.thread.${THREAD}-text.open`, text, 'ms'],
      ['media.thread.ratio', withImages / text, 'x'],
      [`media.thread.${THREAD}-images.drawn`, images, 'count']
    ]
  } finally {
    for (const { close } of Object.values(pages)) await close()
  }
}

async function bytes(root) {
  const figures = Object.keys(MEDIA_PIECES).map((file) => [`media.bytes.${file.replace('dist/', '')}`, servedSize(file, root), 'B'])
  figures.push(['media.bytes.total', figures.reduce((sum, [, value]) => sum + value, 0), 'B'])
  const everyView = [...bundledModules('src/embed.ts', root), ...(await coreModules(root))]
  const misplaced = everyView.filter((module) => Object.values(MEDIA_PIECES).some((own) => own.test(module)))
  if (misplaced.length) console.error(`In the loader or the core: ${misplaced.join(', ')}`)
  figures.push(['media.bytes.in-loader-or-core', misplaced.length, 'modules'])
  return figures
}

/**
 * Upload, thread and bytes figures with `root`'s src/ (and dist/) as [metric, value, unit]. `turn`
 * is awaited before each round of samples (another tree's run takes its round then).
 * @example
 * const figures = await measure({ root: '/tmp/baseline' })
 */
export async function measure({ root = tree, turn = async () => {} } = {}) {
  return [...(await upload(root, turn)), ...(await thread(root, turn)), ...(await bytes(root))]
}
