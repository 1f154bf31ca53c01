// One page of real Chromium running a bundled benchmark script, served from 127.0.0.1 with
// cross-origin isolation (performance.now() at 5 µs resolution instead of 100 µs).
import { buildSync } from 'esbuild'
import { createServer } from 'node:http'
import { chromium } from 'playwright-core'

/**
 * Bundle `entry` for the browser, serve it on a page of its own and open that page.
 * @param {string} entry the script's path
 * @param {{ args?: string[] }} [options] extra Chromium flags
 * @returns {Promise<{ page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function openBenchPage(entry, { args = [] } = {}) {
  const script = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2022', minify: true, write: false, logLevel: 'silent' })
    .outputFiles[0].contents
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
  const server = createServer((request, response) => {
    if (request.url === '/bench.js') response.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(script)
    else response.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!doctype html><script src="/bench.js"></script>')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...args]
  })
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
