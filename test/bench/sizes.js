// How the size budgets (test/e2e/dist.test.ts) and `npm run bench -- size` measure what we ship.
import nodeResolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { build as bundle, buildSync } from 'esbuild'
import { readdirSync, readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { rollup } from 'rollup'
import { SourceMapConsumer } from 'source-map'

const root = fileURLToPath(new URL('../..', import.meta.url))
const DEPENDENCIES = ['preact', 'nanostores', 'idb-keyval', 'ky']

/**
 * The snippet of the README's script-tag quick start, as a site owner pastes it into every page
 * (without the `boot` call, which is the site's own): its bytes, and gzipped as a page serves it.
 */
export function snippetSize() {
  const readme = readFileSync(`${root}/README.md`, 'utf8')
  const snippet = /```html\n<script>\n(\s*\(function \(w, d, s, c\)[\s\S]*?\}\)\(window, document\);)/.exec(readme)[1]
  return { bytes: Buffer.byteLength(snippet), gzip: gzipSync(snippet, { level: 9 }).length }
}

/**
 * Gzip (level 9) of a built file as it is served: for `dist/confab.js` and its companions
 * `dist/confab-*.js`; of this checkout, or of the one at `from`.
 */
export function servedSize(file, from = root) {
  return gzipSync(readFileSync(`${from}/${file}`), { level: 9 }).length
}

/**
 * Gzip of what an app ships for an npm entry, minified by its bundler with the dependencies left to
 * the app: the entry and the chunks it imports statically. Chunks behind a dynamic `import()` (the
 * pane, loaded when the browser is idle after boot; search, on first use) do not count. The npm build
 * keeps one file per module, so `dist/index.js` is a file of re-exports: bundling it takes in every
 * module the entry reaches statically (all it exports), as an app using all of it would ship.
 */
export function shippedSize(entry) {
  return bundledStatically({ ...(typeof entry === 'string' ? { entryPoints: [`${root}/${entry}`] } : entry), external: DEPENDENCIES }).bytes
}

/**
 * Bundle with esbuild, minified and split as an app's bundler would; gzip of the entry and the chunks
 * it imports statically (what a page loads before any `import()`), and the modules in them.
 */
function bundledStatically(options) {
  const { outputFiles, metafile } = buildSync({
    ...options,
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    outdir: `${root}/.size`,
    // The metafile names files relative to this.
    absWorkingDir: root,
    write: false,
    metafile: true,
    // With `sideEffects: false`, esbuild notes each bare import of a module it drops.
    logLevel: 'error'
  })
  const outputs = metafile.outputs
  const loaded = new Set()
  const visit = (name) => {
    if (loaded.has(name)) return
    loaded.add(name)
    for (const edge of outputs[name].imports) if (edge.kind === 'import-statement' && !edge.external) visit(edge.path)
  }
  // The entry's own output: chunks behind an `import()` are entry points of the metafile too.
  const entry = options.stdin ? '<stdin>' : relative(root, options.entryPoints[0])
  visit(Object.keys(outputs).find((name) => outputs[name].entryPoint === entry))
  const paths = new Set([...loaded].map((name) => resolve(root, name)))
  const files = outputFiles.filter((file) => paths.has(file.path))
  return {
    bytes: gzipSync(Buffer.concat(files.map((file) => file.contents)), { level: 9 }).length,
    modules: [...loaded].flatMap((name) => Object.keys(outputs[name].inputs))
  }
}

/** An app that uses only the headless client over HTTP, importing from the package by its name. */
export const HEADLESS_APP = `
import { createClient, createHttpTransport } from 'confab'
export const client = createClient({ transport: createHttpTransport({ url: 'https://chat.example.com' }) })
`

/**
 * Gzip of what an app ships that imports only `createClient` and `createHttpTransport` from the npm
 * build (`dist/`): bundled and minified by `esbuild` or `rollup` (with node-resolve and terser) for
 * production, dependencies (nanostores, idb-keyval, ky) included, without the chunks behind an
 * `import()` (search). `modules` lists what is in it, so a test can tell that preact is not.
 */
export async function headlessSize(bundler) {
  const entry = resolve(root, 'dist/index.js')
  if (bundler === 'esbuild') {
    return bundledStatically({
      stdin: { contents: HEADLESS_APP, resolveDir: root },
      alias: { confab: entry },
      define: { 'process.env.NODE_ENV': '"production"' }
    })
  }
  const app = '\0headless-app'
  const build = await rollup({
    input: app,
    plugins: [
      { name: 'app', resolveId: (id) => (id === app ? id : id === 'confab' ? entry : null), load: (id) => (id === app ? HEADLESS_APP : null) },
      nodeResolve({ browser: true }),
      { name: 'production', transform: (code) => code.replaceAll('process.env.NODE_ENV', '"production"') },
      terser()
    ],
    onwarn: () => {}
  })
  const { output } = await build.generate({ format: 'es' })
  await build.close()
  const chunks = new Map(output.map((chunk) => [chunk.fileName, chunk]))
  const loaded = new Set()
  const visit = (chunk) => {
    if (loaded.has(chunk)) return
    loaded.add(chunk)
    for (const name of chunk.imports) visit(chunks.get(name))
  }
  visit(output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry))
  return {
    bytes: gzipSync([...loaded].map((chunk) => chunk.code).join('\n'), { level: 9 }).length,
    modules: [...loaded].flatMap((chunk) => Object.keys(chunk.modules).map((id) => relative(root, id)))
  }
}

/** esbuild options that build a script-tag file as `rollup.config.mjs` does: one IIFE for the browser, minified. */
export const SCRIPT_TAG_BUILD = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  write: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error'
}

/**
 * The modules a script-tag entry bundles (as `rollup.config.mjs` builds it: dependencies included,
 * for the browser), relative to the repository (this checkout, or the one at `from`): what the loader
 * holds, to check what it must not.
 */
export function bundledModules(entry, from = root) {
  const { metafile } = buildSync({
    entryPoints: [`${from}/${entry}`],
    absWorkingDir: from,
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

/**
 * The modules of the script tag's core, as rollup.config.mjs builds `dist/confab-core.js`: each
 * `load.js` of src/client or src/ui swapped for the `load-script.ts` beside it, which loads its
 * companion file rather than bundling its code. Relative to the repository (this checkout, or the
 * one at `from`).
 */
export async function coreModules(from = root) {
  const companionsApart = {
    name: 'companions-apart',
    setup(plugin) {
      plugin.onResolve({ filter: /\/load\.js$/ }, (args) =>
        /\/src\/(client|ui)\//.test(args.importer) ? { path: resolve(args.resolveDir, args.path.replace(/\.js$/, '-script.ts')) } : undefined
      )
    }
  }
  const { metafile } = await bundle({
    entryPoints: [`${from}/src/embed/core.ts`],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    absWorkingDir: from,
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [companionsApart]
  })
  return Object.keys(metafile.inputs)
}

/**
 * The composer's media pieces, each loaded apart on first use, with the sources that are its own:
 * what must stay out of the loader and the core, which every page view loads. The media module
 * (the viewer, attaching, photos prepared on the device), the upload step, the emoji picker and its
 * data (`src/ui/emoji/data.ts` holds it in the npm build), the GIF picker and its providers.
 */
export const MEDIA_PIECES = {
  'dist/confab-media.js': /^src\/ui\/media\/(?!load)|^src\/media\/(prepare|gif)\.ts$/,
  'dist/confab-uploads.js': /^src\/client\/(uploads|put)\.ts$|^src\/client\/uploads\/global\.ts$/,
  'dist/confab-emoji-picker.js': /^src\/ui\/emoji\/(picker|completion|search|module|insert|support|global)\.tsx?$/,
  'dist/confab-emoji.json': /^src\/ui\/emoji\/data\.ts$|emojibase-data/,
  'dist/confab-gif.js': /^src\/ui\/gifs\/(panel|picker|global)\.tsx?$|^src\/gifs\/(request|confab|giphy|tenor|index)\.ts$/
}

/**
 * The text of each language but English for the script tag, `dist/confab-locale-fr.js` …, as built:
 * a page loads the one its widget speaks, with the pane.
 */
export const localeFiles = () => readdirSync(`${root}/dist`).filter((file) => /^confab-locale-[a-z]+\.js$/.test(file)).sort().map((file) => `dist/${file}`)

/** The script-tag files a visitor needs to open the pane and chat, rich messages included. */
export const CHAT_PATH = ['dist/confab.js', 'dist/confab-core.js', 'dist/confab-pane.js']

/** What each source of the chat path is counted as in {@link chatShares}, the first that matches. */
const CHAT_AREAS = [
  ['preact', /^node_modules\/preact\//],
  ['ky', /^node_modules\/ky\//],
  ['nanostores-idb-keyval', /^node_modules\/(nanostores|idb-keyval)\//],
  ['client', /^src\/client\//],
  ['content-rules', /^src\/content\//],
  ['transport', /^src\/transports\//],
  ['cache', /^src\/cache\//],
  ['script-tag', /^src\/embed(\/|\.ts$)/],
  ['ui', /^src\/(ui|render)\//],
  ['other', /./]
]

/**
 * What the chat path ({@link CHAT_PATH}) is made of, in gzip bytes by area (preact, ky, the client,
 * the content rules, the UI …): each file built as rollup.config.mjs builds it, with a source map,
 * its minified bytes counted to the sources they come from, and its served gzip size shared out in
 * proportion (gzip compresses the parts of a file together, so a share is an estimate; the shares
 * add up to the files' sizes).
 */
export async function chatShares() {
  const { default: configs } = await import(`${root}/rollup.config.mjs`)
  const shares = {}
  for (const file of CHAT_PATH) {
    const config = configs.find((entry) => entry.output.file === file)
    const built = await rollup({ ...config, onwarn: () => undefined })
    const { output } = await built.generate({ ...config.output, file: undefined, sourcemap: true })
    await built.close()
    const map = new SourceMapConsumer(output[0].map)
    const bytes = {}
    let previous
    map.eachMapping((mapping) => {
      if (previous?.generatedLine === mapping.generatedLine && previous.source) {
        const area = CHAT_AREAS.find(([, test]) => test.test(relative(root, resolve(root, previous.source))))[0]
        bytes[area] = (bytes[area] ?? 0) + mapping.generatedColumn - previous.generatedColumn
      }
      previous = mapping
    })
    const total = Object.values(bytes).reduce((sum, count) => sum + count, 0)
    const served = servedSize(file)
    for (const [area, count] of Object.entries(bytes)) shares[area] = (shares[area] ?? 0) + (count / total) * served
  }
  return Object.fromEntries(Object.entries(shares).map(([area, bytes]) => [area, Math.round(bytes)]).sort((a, b) => b[1] - a[1]))
}

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
  styles: 'src/ui/pane/rich-styles.ts',
  // The composer's emoji button, what loads `:shortcode:` completion, emoji-only messages shown large.
  'emoji-button': 'src/ui/emoji/button.tsx',
  shortcodes: 'src/ui/emoji/use-shortcodes.tsx',
  'emoji-only': 'src/render/emoji-only.ts'
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
      ...SCRIPT_TAG_BUILD,
      entryPoints: [`${root}/src/ui/pane/global.ts`],
      external: ['preact', 'preact/*'],
      plugins: [stub]
    })
    return gzipSync(outputFiles[0].contents, { level: 9 }).length
  }
  const whole = await build()
  const shares = {}
  for (const [name, path] of Object.entries(PANE_PARTS)) shares[name] = whole - (await build(path))
  return shares
}
