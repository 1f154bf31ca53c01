// One page of real Chromium running a bundled benchmark script, served from 127.0.0.1 with
// cross-origin isolation (performance.now() at 5 µs resolution instead of 100 µs).
import { build } from 'esbuild'
import { createServer } from 'node:http'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const tree = fileURLToPath(new URL('../..', import.meta.url))

/**
 * An esbuild plugin: what the benchmark script imports from this tree's src/ is taken from `root`'s
 * src/ instead, so the same page measures another checkout (a baseline's worktree).
 */
function sourcesFrom(root) {
  return {
    name: 'sources-from',
    setup(plugin) {
      plugin.onResolve({ filter: /\/src\// }, (args) => {
        const wanted = resolve(args.resolveDir, args.path)
        if (!wanted.startsWith(join(tree, 'src/'))) return undefined
        return plugin.resolve(join(root, relative(tree, wanted)), { kind: args.kind, resolveDir: root })
      })
    }
  }
}

/**
 * Launch real Chromium (`CHROMIUM_PATH`, or Debian's) with the flags that let it run headless as
 * root on a machine without outside network, and `args`.
 * @param {string[]} [args]
 */
export function launchBenchChromium(args = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...args]
  })
}

/**
 * Bundle `entry` for the browser, serve it on a page of its own and open that page.
 * @param {string} entry the script's path
 * @param {{ args?: string[], root?: string, files?: Record<string, [string, string]> }} [options] extra
 *   Chromium flags; the checkout whose src/ the script imports (this one by default); more files to
 *   serve, by path, as [content type, body]
 * @returns {Promise<{ page: import('playwright-core').Page, close: () => Promise<void> }>}
 * @example
 * const { page, close } = await openBenchPage(`${root}/test/bench/cache-page.ts`, { root: baseline })
 */
export async function openBenchPage(entry, { args = [], root = tree, files = {} } = {}) {
  const plugins = resolve(root) === resolve(tree) ? [] : [sourcesFrom(root)]
  const script = (await build({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2022', minify: true, write: false,
    logLevel: 'silent', plugins })).outputFiles[0].contents
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
  const server = createServer((request, response) => {
    const file = files[request.url]
    if (request.url === '/bench.js') response.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(script)
    else if (file) response.writeHead(200, { ...headers, 'content-type': file[0] }).end(file[1])
    else response.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!doctype html><script src="/bench.js"></script>')
  })
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening))
  const browser = await launchBenchChromium(args)
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${server.address().port}/`)
  return {
    page,
    async close() {
      await browser.close()
      server.close()
    }
  }
}
