// Runs the benchmarks in this folder against the built dist/ (run `npm run build` first, as
// `npm run bench` does). Each prints one JSON line per figure. A name picks one: `npm run bench -- size`.
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const folder = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv[2]
const benches = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.js'))
  .filter((file) => !wanted || file === `${wanted}.bench.js`)
if (benches.length === 0) {
  console.error(`No benchmark named ${wanted}; have: ${readdirSync(folder).filter((f) => f.endsWith('.bench.js')).join(', ')}`)
  process.exit(1)
}
for (const file of benches) {
  const { run } = await import(pathToFileURL(`${folder}/${file}`).href)
  await run()
}
