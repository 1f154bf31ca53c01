// Gzip sizes of what we ship (measured as the budgets in test/e2e/dist.test.ts measure them), of
// what each kind of rich content adds to the pane, of each adapter alone, as a site would bundle it,
// and of the headless client over HTTP (and `confab/media` beside it) as an app imports them from the
// package.
import { fileURLToPath } from 'node:url'
import { report } from './report.js'
import { CHAT_PATH, chatShares, headlessSize, localeFiles, paneShares, servedSize, shippedSize, snippetSize } from './sizes.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

export async function run() {
  // The snippet pasted into every page, which loads the loader.
  const snippet = snippetSize()
  report('size.snippet', snippet.bytes, 'B')
  report('size.snippet.gzip', snippet.gzip, 'B')
  // The loader every page view runs; the rest of the widget, loaded when the browser is idle.
  report('size.confab.js.gzip', servedSize('dist/confab.js'), 'B')
  report('size.confab-core.js.gzip', servedSize('dist/confab-core.js'), 'B')
  report('size.confab-pane.js.gzip', servedSize('dist/confab-pane.js'), 'B')
  // What a visitor's first message takes: the loader, the core and the pane.
  report('size.chat.gzip', CHAT_PATH.reduce((sum, file) => sum + servedSize(file), 0), 'B')
  // What it is made of, by area (estimates: see `chatShares`).
  for (const [area, bytes] of Object.entries(await chatShares())) report(`size.chat.${area}.gzip`, bytes, 'B')
  // The text of one language, loaded with the pane when the widget speaks it (English comes with the code).
  for (const file of localeFiles()) report(`size.${file.replace('dist/', '')}.gzip`, servedSize(file), 'B')
  report('size.confab-search.js.gzip', servedSize('dist/confab-search.js'), 'B')
  // The GIF picker with its providers (script tag), and the providers alone (npm: `confab/gifs`).
  report('size.confab-gif.js.gzip', servedSize('dist/confab-gif.js'), 'B')
  report('size.gifs.js.min.gzip', shippedSize('dist/gifs.js'), 'B')
  // The emoji picker and its data, loaded when the visitor first opens it or types a `:shortcode`.
  report('size.confab-emoji-picker.js.gzip', servedSize('dist/confab-emoji-picker.js'), 'B')
  report('size.confab-emoji.json.gzip', servedSize('dist/confab-emoji.json'), 'B')
  // The upload step, loaded with the first message that has files.
  report('size.confab-uploads.js.gzip', servedSize('dist/confab-uploads.js'), 'B')
  // The viewer, attaching files and preparing photos, loaded on first use.
  report('size.confab-media.js.gzip', servedSize('dist/confab-media.js'), 'B')
  // What each kind of rich content adds to the pane's chunk.
  for (const [part, bytes] of Object.entries(await paneShares())) report(`size.confab-pane.js.${part}.gzip`, bytes, 'B')
  report('size.index.js.min.gzip', shippedSize('dist/index.js'), 'B')
  // What an app on the headless client ships to prepare files before `send({ files })`: `confab/media`.
  report('size.media.js.min.gzip', shippedSize('dist/media.js'), 'B')
  report('size.testing.js.min.gzip', shippedSize('dist/testing.js'), 'B')
  // An app that imports only createClient and createHttpTransport, dependencies included.
  for (const bundler of ['esbuild', 'rollup']) report(`size.headless.${bundler}.min.gzip`, (await headlessSize(bundler)).bytes, 'B')
  const adapter = { stdin: { contents: "export { createHttpTransport } from './src/transports/http/index.ts'", resolveDir: root } }
  report('size.transport.http.min.gzip', shippedSize(adapter), 'B')
  const websocket = { stdin: { contents: "export { createWebSocketTransport } from './src/transports/websocket/index.ts'", resolveDir: root } }
  report('size.transport.websocket.min.gzip', shippedSize(websocket), 'B')
  report('size.transport.xmpp.min.gzip', shippedSize('dist/xmpp.js'), 'B')
  report('size.confab-xmpp.js.gzip', servedSize('dist/confab-xmpp.js'), 'B')
}
