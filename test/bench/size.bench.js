// Gzip sizes of what we ship (the same measures as the budgets in test/e2e/dist.test.ts), and of
// the HTTP adapter alone, as a site would bundle it.
import { buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { report } from './report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length
const DEPENDENCIES = ['preact', 'nanostores', '@nanostores/preact', 'idb-keyval']

/** Minified the way an app's bundler would, dependencies left to the app. */
const minified = (entry) =>
  buildSync({ ...entry, bundle: true, minify: true, format: 'esm', target: 'es2022', write: false, external: DEPENDENCIES })
    .outputFiles[0].contents

export function run() {
  report('size.confab.js.gzip', gzip(readFileSync(`${root}/dist/confab.js`)), 'B')
  report('size.index.js.min.gzip', gzip(minified({ entryPoints: [`${root}/dist/index.js`] })), 'B')
  report('size.testing.js.min.gzip', gzip(minified({ entryPoints: [`${root}/dist/testing.js`] })), 'B')
  const adapter = { stdin: { contents: "export { createHttpTransport } from './src/transports/http/index.ts'", resolveDir: root } }
  report('size.transport.http.min.gzip', gzip(minified(adapter)), 'B')
}
