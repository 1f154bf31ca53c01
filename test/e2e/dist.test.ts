import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Gzip budgets of what we ship, in bytes. The script-tag bundle holds the whole widget
 * (preact, nanostores, ky and all of Confab); the npm entry leaves its dependencies to the app.
 */
export const BUDGETS: Record<string, number> = {
  'dist/confab.js': 25 * 1024,
  // Unminified ESM (the app's bundler minifies it), dependencies not included.
  'dist/index.js': 16 * 1024
}

export function gzipSize(file: string): number {
  return gzipSync(readFileSync(`${root}/${file}`), { level: 9 }).length
}

describe('the built package', () => {
  for (const [file, budget] of Object.entries(BUDGETS)) {
    it(`keeps ${file} within ${budget} bytes gzip`, () => {
      const size = gzipSize(file)
      process.stdout.write(`${JSON.stringify({ metric: `size.${file.replace('dist/', '')}.gzip`, value: size, unit: 'B' })}\n`)
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
