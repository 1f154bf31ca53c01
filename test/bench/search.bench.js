// Full-text search over 100,000 support messages in 1,000 threads (English, French, German, Japanese,
// emoji): build time, heap, serialized size, and query latency for one word, two words, a prefix and
// a phrase, in Node and in Chromium, for src/search and for MiniSearch and FlexSearch on the same
// corpus and queries. Also the minified+gzip size each adds to a bundle.
import { buildSync } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { openBenchPage } from './page.js'
import { report } from './report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length
const bundle = (options) =>
  buildSync({ bundle: true, target: 'es2022', write: false, logLevel: 'silent', ...options }).outputFiles[0].contents
const minified = (contents) => bundle({ stdin: { contents, resolveDir: root }, minify: true, format: 'esm' })

function sizes() {
  const ours = gzip(minified("export * from './src/search/index.ts'"))
  const core = gzip(minified("export { createSearchIndex } from './src/search/index.ts'"))
  const minisearch = gzip(minified("export { default } from 'minisearch'"))
  const flexsearch = gzip(minified("export { Index } from 'flexsearch'"))
  report('search.ours.size.gzip', ours, 'B')
  report('search.ours.size.gzip.index-only', core, 'B')
  report('search.minisearch.size.gzip', minisearch, 'B')
  report('search.flexsearch.size.gzip', flexsearch, 'B')
  report('search.ours_over_minisearch.size.gzip', ours / minisearch, 'x')
  report('search.ours_over_flexsearch.size.gzip', ours / flexsearch, 'x')
}

function node() {
  const folder = mkdtempSync(join(tmpdir(), 'confab-search-bench-'))
  try {
    const file = join(folder, 'search-node.mjs')
    buildSync({ entryPoints: [`${root}/test/bench/search-node.js`], bundle: true, platform: 'node', format: 'esm',
      target: 'node20', outfile: file, logLevel: 'silent' })
    const child = spawnSync(process.execPath, ['--expose-gc', file], { stdio: ['ignore', 'inherit', 'inherit'] })
    if (child.status !== 0) throw new Error(`the Node search benchmark exited with ${child.status}`)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

async function browser() {
  const { page, close } = await openBenchPage(`${root}/test/bench/search-page.js`, {
    args: ['--js-flags=--expose-gc', '--enable-precise-memory-info']
  })
  try {
    for (const name of ['ours', 'minisearch', 'flexsearch']) {
      // One engine per page, so one's garbage never lands in another's heap figure.
      await page.reload()
      const figures = await page.evaluate((names) => window.searchBench(names), [name])
      for (const [metric, value, unit] of figures) if (name === 'ours' || metric !== 'search.chromium.isolated') report(metric, value, unit)
    }
  } finally {
    await close()
  }
}

export async function run() {
  sizes()
  node()
  await browser()
}

/**
 * The query times of our engine in Chromium (p50 and p95 of each query kind), with `root`'s src/ in
 * the page: the figures a change to src/search can move, without the sizes and the other engines.
 * `turn` is awaited before each query kind (another tree's run takes its sample then).
 * @example
 * const figures = await measure({ root: '/tmp/baseline' })
 */
export async function measure({ root: from = root, turn = async () => {} } = {}) {
  const { page, close } = await openBenchPage(`${root}/test/bench/search-page.js`, { root: from })
  try {
    const figures = []
    for (const kind of await page.evaluate(() => window.buildOurs())) {
      await turn()
      const times = await page.evaluate((k) => window.ourQueries(k), kind)
      figures.push(...times.filter(([metric]) => !metric.endsWith('.found')))
    }
    return figures
  } finally {
    await close()
  }
}
