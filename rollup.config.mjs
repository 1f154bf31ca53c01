import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import esbuild from 'rollup-plugin-esbuild'
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { emojiData } from './scripts/emoji-data.js'

const typescript = (production) =>
  esbuild({
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // In the script-tag bundle, dependencies are transformed too: nanostores reads
    // `process.env.NODE_ENV`, which does not exist in a browser.
    exclude: production ? [] : /node_modules/,
    // Dev-only warnings vanish from the script-tag bundle; npm users' bundlers decide for themselves.
    define: production ? { 'process.env.NODE_ENV': '"production"' } : {}
  })

/**
 * In the script tag's core, the pane, search, the GIF picker, the emoji picker, the upload step and
 * media load as `confab-pane.js`, `confab-search.js`, `confab-gif.js`, `confab-emoji-picker.js`,
 * `confab-uploads.js` and `confab-media.js` beside `confab.js` instead of `import()` chunks: each
 * `load.ts` has a `load-script.ts` beside it for that.
 */
const scriptCompanionLoader = {
  name: 'script-companion-loader',
  resolveId(source, importer) {
    if (source.endsWith('/load.js') && /\/src\/(client|ui)\//.test(importer ?? '')) {
      return fileURLToPath(new URL(source.replace(/\.js$/, '-script.ts'), pathToFileURL(importer)))
    }
    return null
  }
}

/** What the companions (pane, search, GIF and emoji pickers, media) take from confab-core.js instead of bundling a second copy. */
const SHARED = {
  'preact/hooks': 'ConfabShared.hooks',
  'preact/jsx-runtime': 'ConfabShared.jsx',
  'confab:use-store': 'ConfabShared.store'
}

/** The companions' imports of the widget's `useStore` (`src/ui/use-store.ts`) become `ConfabShared.store`. */
const sharedStore = {
  name: 'shared-store',
  resolveId: (source) => (source.endsWith('/use-store.js') ? { id: 'confab:use-store', external: true } : null)
}

/** Fields only `confab-core.js` itself reads: preact's private ones (`_…`). None is public API, stored, or sent over the wire. */
const PRIVATE = /^_/

/**
 * V8's compile hint (Chrome 136+; other engines ignore it): compile every function of the file as the
 * script is parsed, on the browser's background thread while it streams in, instead of each on the
 * page's main thread at its first call. For the core and the pane, which run as soon as they load
 * (the pane is drawn ahead, closed, at the next idle moment).
 */
const EAGER = '//# allFunctionsCalledOnLoad'

/**
 * `unsafe` lets terser rewrite calls of standard built-ins (`String(x)` → `""+x` …): we never pass
 * them symbols or rely on a page's replacements of them. `mangleProperties` shortens preact's private fields (`__k`, `__e` …), only
 * in the bundle that holds all of preact: its companions get preact's functions, never its fields.
 */
const minify = ({ mangleProperties = false, eager = false } = {}) =>
  terser({
    ecma: 2020,
    compress: { passes: 3, pure_getters: true, unsafe: true, unsafe_arrows: true },
    mangle: mangleProperties ? { properties: { regex: PRIVATE } } : true,
    format: { comments: false, preamble: eager ? EAGER : undefined }
  })

const external = (id) => /^(preact|nanostores|idb-keyval|ky)(\/|$)/.test(id)

/**
 * The languages whose text loads with the pane, one module each in `src/ui/locales/` (`fr.ts` …;
 * English comes with the code): see `src/ui/locale.ts`.
 */
const LOCALE_FILES = readdirSync('src/ui/locales').flatMap((file) => /^([a-z]{2,3})\.ts$/.exec(file)?.[1] ?? [])

export default [
  // npm entries: ESM, dependencies external, readable output (the app's bundler minifies). One file
  // per module, as in src/: merged chunks would tie the headless client to the widget's module and
  // preact/hooks (whose import has side effects), so an app using only the client would ship them.
  {
    input: { index: 'src/index.ts', testing: 'src/testing/index.ts', xmpp: 'src/transports/xmpp/index.ts', gifs: 'src/gifs/index.ts', media: 'src/media/index.ts' },
    external,
    // The emoji picker's data: `dist/confab-emoji.json`, and the module npm apps' bundlers split off.
    plugins: [emojiData(), resolve({ extensions: ['.ts', '.tsx', '.js'] }), typescript(false)],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' }
  },
  // The script tag's loader, what every page view runs: the command queue, the launcher without
  // preact, and what loads the rest. It installs the global `Confab` itself (it must replay the
  // queue the snippet's stub collected, so it cannot be a named IIFE export).
  {
    input: 'src/embed.ts',
    plugins: [resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab.js', format: 'iife' }
  },
  // The rest of the script-tag widget (client, transports, cache, preact), loaded by confab.js when
  // the browser is idle after boot or when something needs it; it defines `ConfabCore` itself.
  {
    input: 'src/embed/core.ts',
    plugins: [scriptCompanionLoader, resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify({ mangleProperties: true, eager: true })],
    output: { file: 'dist/confab-core.js', format: 'iife' }
  },
  // The pane for the script tag, loaded by confab-core.js when the browser is idle after it started.
  {
    input: 'src/ui/pane/global.ts',
    external: Object.keys(SHARED),
    plugins: [sharedStore, resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify({ eager: true })],
    output: { file: 'dist/confab-pane.js', format: 'iife', globals: SHARED }
  },
  // The search engine for the script tag, loaded by confab-core.js on the first search.
  {
    input: 'src/ui/search/global.ts',
    external: Object.keys(SHARED),
    plugins: [sharedStore, resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab-search.js', format: 'iife', globals: SHARED }
  },
  // The GIF picker and providers for the script tag, loaded by confab-pane.js (through the loader
  // confab-core.js gave it) when the visitor first opens the picker.
  {
    input: 'src/ui/gifs/global.ts',
    external: Object.keys(SHARED),
    plugins: [sharedStore, resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab-gif.js', format: 'iife', globals: SHARED }
  },
  // The emoji picker for the script tag, loaded by confab-core.js when the visitor first opens it or
  // types a `:shortcode`, with its data, `confab-emoji.json`.
  {
    input: 'src/ui/emoji/global.ts',
    external: Object.keys(SHARED),
    plugins: [sharedStore, resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab-emoji-picker.js', format: 'iife', globals: SHARED }
  },
  // The upload step for the script tag, loaded by confab-core.js with the first message that has
  // files to upload. Self-contained: taking the error family from confab-core.js (`ConfabShared`)
  // would save this file about 320 B gzip but cost the core, which every page loads, about 20 B.
  {
    input: 'src/client/uploads/global.ts',
    plugins: [resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab-uploads.js', format: 'iife' }
  },
  // Media for the script tag, loaded by the pane as the composer shows where the backend takes files,
  // or on the first image opened: the image viewer, attaching files, files while they upload,
  // preparing photos.
  {
    input: 'src/ui/media/global.ts',
    external: Object.keys(SHARED),
    plugins: [sharedStore, resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab-media.js', format: 'iife', globals: SHARED }
  },
  // The text of each language for the script tag, `confab-locale-fr.js` …, loaded with the pane
  // (only the language the widget speaks); each defines `ConfabLocale_fr` ….
  ...LOCALE_FILES.map((language) => ({
    input: `src/ui/locales/${language}.ts`,
    plugins: [resolve({ extensions: ['.ts'] }), typescript(true), minify()],
    output: { file: `dist/confab-locale-${language}.js`, format: 'iife', name: `ConfabLocale_${language}`, exports: 'default' }
  })),
  // The XMPP transport for script-tag sites, outside the default bundle: `ConfabXmpp.createXmppTransport`.
  {
    input: 'src/transports/xmpp/index.ts',
    plugins: [resolve({ extensions: ['.ts', '.tsx', '.js'], browser: true }), typescript(true), minify()],
    output: { file: 'dist/confab-xmpp.js', format: 'iife', name: 'ConfabXmpp' }
  }
]
