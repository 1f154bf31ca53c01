// How the size budgets (test/e2e/dist.test.ts) and `npm run bench -- size` measure what we ship.
import { build as bundle, buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
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

/**
 * The modules a script-tag entry bundles (as `rollup.config.mjs` builds it: dependencies included,
 * for the browser), relative to the repository: what the loader holds, to check what it must not.
 */
export function bundledModules(entry) {
  const { metafile } = buildSync({
    entryPoints: [`${root}/${entry}`],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'error'
  })
  return Object.keys(metafile.inputs)
}

/** The script-tag files a visitor needs to open the pane and chat, rich messages included. */
export const CHAT_PATH = ['dist/confab.js', 'dist/confab-core.js', 'dist/confab-pane.js']

/** The pane's modules whose bytes the size benchmark reports on their own (see {@link paneShares}). */
export const PANE_PARTS = {
  markdown: 'src/render/nodes.tsx',
  image: 'src/ui/components/parts/image.tsx',
  file: 'src/ui/components/parts/file.tsx',
  location: 'src/ui/components/parts/location.tsx',
  cards: 'src/ui/components/parts/cards.tsx',
  form: 'src/ui/components/parts/form.tsx',
  rating: 'src/ui/components/parts/rating.tsx',
  actions: 'src/ui/components/parts/actions.tsx',
  styles: 'src/ui/pane/rich-styles.ts'
}

/**
 * Gzip bytes each of {@link PANE_PARTS} adds to the pane's chunk: the pane built as `confab-pane.js`
 * is (minified, preact and the store hook left to `confab.js`), less the same build with that module
 * replaced by stubs of its exports. What two parts share (the URL gate, the thread's logic) counts
 * for neither.
 */
export async function paneShares() {
  const build = async (left) => {
    const stub = {
      name: 'stub',
      setup(plugin) {
        plugin.onResolve({ filter: /use-store\.js$/ }, () => ({ path: 'use-store', external: true }))
        if (!left) return
        const path = resolve(root, left)
        plugin.onLoad({ filter: /\.tsx?$/ }, (args) => {
          if (args.path !== path) return undefined
          const source = readFileSync(path, 'utf8')
          const names = [...source.matchAll(/^export (?:function|const) (\w+)(\s*=\s*`)?/gm)]
          return { contents: names.map(([, name, text]) => `export const ${name} = ${text ? "''" : '() => null'}`).join('\n'), loader: 'ts' }
        })
      }
    }
    const { outputFiles } = await bundle({
      entryPoints: [`${root}/src/ui/pane/global.ts`],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2022',
      write: false,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      define: { 'process.env.NODE_ENV': '"production"' },
      external: ['preact', 'preact/*'],
      plugins: [stub],
      logLevel: 'error'
    })
    return gzipSync(outputFiles[0].contents, { level: 9 }).length
  }
  const whole = await build()
  const shares = {}
  for (const [name, path] of Object.entries(PANE_PARTS)) shares[name] = whole - (await build(path))
  return shares
}
