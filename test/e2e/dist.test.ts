import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { servedSize, shippedSize } from '../bench/sizes.js'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Gzip budgets of what we ship, in bytes. The script-tag bundle holds what every page loads (preact,
 * nanostores, idb-keyval, the client, the launcher and the pane's frame); the pane loads beside it
 * when the browser is idle after boot, search on first use. The npm entry is measured as an app
 * ships it, without those lazily loaded chunks (see test/bench/sizes.js).
 */
export const BUDGETS: Record<string, number> = {
  // 25 KiB until the write-ahead journal of unsent messages (about 340 B) closed the closed-tab window
  // and errors learned to tell a bug from a network failure (about 230 B); 25.75 KiB until the client's
  // behaviours became factories (about 570 B: their interfaces' names replace 20 mangled context
  // fields), the HTTP transport kept its stream with the reconnect loop it shares with XMPP (about
  // 200 B) and its requests went through ky again (4,067 B); 30.5 KiB until messages became rich
  // (about 5,030 B: the content rules the client checks what it sends and what backends send against,
  // `src/content/check.js`, about 3,470 B; cleaning and answering forms and ratings, about 1,100 B;
  // postbacks through the outbox and the transports). The boot loader is to take all this off the
  // path of every page view.
  'dist/confab.js': 35.5 * 1024,
  // 4,850 B until the thread learned to keep the reader's place and offer new messages (about 400 B);
  // 5 KiB until messages became rich (about 6,570 B): markdown (about 2,570 B), images, files,
  // locations, cards, forms, ratings, buttons and quick replies (about 2,150 B), their styles (about
  // 640 B), what the thread derives from its messages and where focus goes (see `npm run bench -- size`).
  'dist/confab-pane.js': 11.5 * 1024,
  'dist/confab-search.js': 6 * 1024,
  // 20 KiB until sends kept the order they were called in, whatever their writes' timing (about 250 B);
  // 20.25 KiB until the client's behaviours became factories (about 700 B); 21 KiB until messages
  // became rich (about 5,360 B: the content rules, cleaning, answers and postbacks as in confab.js).
  'dist/index.js': 26.25 * 1024
}

const gzipSize = (file: string) => (file.endsWith('index.js') ? shippedSize(file) : servedSize(file))

describe('the built package', () => {
  for (const [file, budget] of Object.entries(BUDGETS)) {
    it(`keeps ${file} within ${budget} bytes gzip`, () => {
      const size = gzipSize(file)
      const metric = `size.${file.replace('dist/', '')}${file.endsWith('index.js') ? '.min' : ''}.gzip`
      process.stdout.write(`${JSON.stringify({ metric, value: size, unit: 'B' })}\n`)
      expect(size).toBeLessThanOrEqual(budget)
    })
  }

  it('imports in Node without a DOM and runs a client on the in-memory transport', () => {
    // A fresh Node process (no happy-dom, no window) proves the npm entry is safe to import in SSR.
    const script = `
      const { createClient } = await import('./dist/index.js')
      const { createMemoryTransport } = await import('./dist/testing.js')
      const client = createClient({ transport: createMemoryTransport(), resumeKeyStore: null })
      const sent = await client.send('from dist')
      console.log(JSON.stringify({ window: typeof window, document: typeof document, status: sent.status }))
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(JSON.parse(out.trim())).toEqual({ window: 'undefined', document: 'undefined', status: 'sent' })
  })

  it('ships type declarations for both entries', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'))
    for (const entry of ['.', './testing']) {
      const types = pkg.exports[entry].types as string
      expect(readFileSync(`${root}/${types}`, 'utf8')).toMatch(/export/)
    }
  })
})
