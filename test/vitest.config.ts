import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('..', import.meta.url))

// Three projects: node for core, transports and server; happy-dom for UI and the script tag;
// e2e for real Chromium and checks of the built dist/ (run after `npm run build`).
export default defineConfig({
  root,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', environment: 'node', include: ['test/unit/**/*.test.ts'] }
      },
      {
        extends: true,
        test: { name: 'ui', environment: 'happy-dom', include: ['test/ui/**/*.test.{ts,tsx}'] }
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // One more try for real-browser tests: the End chat test timed out once in about ten full
          // runs on 2 cores (not reproduced alone or under load); a second failure still fails.
          retry: 1
        }
      }
    ]
  }
})
