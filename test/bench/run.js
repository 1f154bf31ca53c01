// Runs the benchmarks in this folder against the built dist/ (run `npm run build` first, as
// `npm run bench` does). Each prints one JSON line per figure. A name picks one: `npm run bench -- size`.
// A benchmark exports run(), or measure({ root, turn }) returning [metric, value, unit] figures for
// the checkout at `root` (awaiting turn() before each sample); those with measure() can be compared
// with another commit in the same run: `npm run bench -- client --against main` (see against.js).
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { compare, withBaseline } from './against.js'
import { report } from './report.js'

const folder = fileURLToPath(new URL('.', import.meta.url))
const root = fileURLToPath(new URL('../..', import.meta.url))
const { positionals, values } = parseArgs({ allowPositionals: true, options: { against: { type: 'string' } } })
const [wanted] = positionals
const benches = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.js'))
  .filter((file) => !wanted || file === `${wanted}.bench.js`)
if (benches.length === 0) {
  console.error(`No benchmark named ${wanted}; have: ${readdirSync(folder).filter((f) => f.endsWith('.bench.js')).join(', ')}`)
  process.exit(1)
}
const load = (file) => import(pathToFileURL(`${folder}/${file}`).href)

if (values.against) {
  const comparable = []
  for (const file of benches) if ((await load(file)).measure) comparable.push(file)
  if (wanted && comparable.length === 0) {
    console.error(`${wanted} has no measure({ root, turn }), so it cannot run --against`)
    process.exit(1)
  }
  await withBaseline(root, values.against, async (baseline) => {
    for (const file of comparable) await compare((await load(file)).measure, { current: root, baseline })
  })
} else {
  for (const file of benches) {
    const { run, measure } = await load(file)
    if (run) await run()
    else for (const figure of await measure()) report(...figure)
  }
}
