// Gzip sizes of what we ship, and of the HTTP adapter alone (ky included), as a site would bundle it.
import { buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { report } from './report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length

export function run() {
  for (const file of ['confab.js', 'index.js', 'testing.js']) {
    report(`size.${file}.gzip`, gzip(readFileSync(`${root}/dist/${file}`)), 'B')
  }
  const adapter = buildSync({
    stdin: { contents: "export { createHttpTransport } from './src/transports/http/index.ts'", resolveDir: root },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false
  })
  report('size.transport.http.gzip', gzip(adapter.outputFiles[0].contents), 'B')
}
