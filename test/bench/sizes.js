// How the size budgets (test/e2e/dist.test.ts) and `npm run bench -- size` measure what we ship.
import { buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('../..', import.meta.url))
const DEPENDENCIES = ['preact', 'nanostores', 'idb-keyval', 'ky']

/** Gzip (level 9) of a built file as it is served: for `dist/confab.js` and its companions `dist/confab-*.js`. */
export function servedSize(file) {
  return gzipSync(readFileSync(`${root}/${file}`), { level: 9 }).length
}

/**
 * Gzip of what an app ships for an npm entry, minified by its bundler with the dependencies left to
 * the app: the entry and the chunks it imports statically. Chunks behind a dynamic `import()` (the
 * pane, loaded when the browser is idle after boot; search, on first use) do not count.
 */
export function shippedSize(entry) {
  const { outputFiles, metafile } = buildSync({
    ...(typeof entry === 'string' ? { entryPoints: [`${root}/${entry}`] } : entry),
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    outdir: `${root}/.size`,
    write: false,
    metafile: true,
    // Rollup's chunks import each other bare; under `sideEffects: false` esbuild notes it drops them.
    logLevel: 'error',
    external: DEPENDENCIES
  })
  const outputs = metafile.outputs
  const loaded = new Set()
  const visit = (name) => {
    if (loaded.has(name)) return
    loaded.add(name)
    for (const edge of outputs[name].imports) if (edge.kind === 'import-statement' && !edge.external) visit(edge.path)
  }
  visit(Object.keys(outputs).find((name) => outputs[name].entryPoint))
  const files = outputFiles.filter((file) => [...loaded].some((name) => file.path.endsWith(name)))
  return gzipSync(Buffer.concat(files.map((file) => file.contents)), { level: 9 }).length
}
