import { clientChecks } from './client.js'
import { contentChecks } from './content.js'
import type { CheckDefinition } from './define.js'
import { eventChecks } from './events.js'
import { failureChecks } from './failures.js'
import { historyChecks } from './history.js'
import { sessionChecks } from './session.js'
import { createScope, skipReason, withTimeout } from './tools.js'
import { typingChecks } from './typing.js'
import { uploadChecks } from './uploads.js'
import { visitorChecks } from './visitor.js'
import type { ConformanceCheck, ConformanceHarness, ConformanceOutcome, ConformanceTestApi } from './types.js'

export type { ConformanceCheck, ConformanceFaults, ConformanceHarness, ConformanceOutcome, ConformanceTestApi } from './types.js'

const DEFINITIONS: CheckDefinition[] = [
  ...sessionChecks,
  ...historyChecks,
  ...eventChecks,
  ...failureChecks,
  ...clientChecks,
  ...contentChecks,
  ...uploadChecks,
  ...visitorChecks,
  ...typingChecks
]

/**
 * The checks of the transport conformance kit, for running them yourself (a custom runner, a
 * report). Most suites call {@link runTransportConformance} instead.
 *
 * @example
 * for (const check of transportConformanceChecks(harness)) {
 *   if (check.skip) report('skipped', check.name, check.skip)
 *   else report((await check.run()).status, check.name)
 * }
 */
export function transportConformanceChecks(harness: ConformanceHarness): ConformanceCheck[] {
  const timeout = harness.timeout ?? 5000
  return DEFINITIONS.map((definition) => {
    const missing = (definition.faults ?? []).filter((name) => typeof harness.faults?.[name] !== 'function')
    const check: ConformanceCheck = {
      name: definition.name,
      async run(): Promise<ConformanceOutcome> {
        // Waits inside a check end a little before the check's own limit, so their message wins.
        const scope = createScope(harness, Math.max(500, timeout - 500))
        try {
          await withTimeout(definition.run(scope), timeout, `"${definition.name}"`)
          return { status: 'passed' }
        } catch (error) {
          const reason = skipReason(error)
          if (reason !== undefined) return { status: 'skipped', reason }
          throw error
        } finally {
          await scope.dispose()
          await harness.afterEach?.()
        }
      }
    }
    if (missing.length > 0) check.skip = `the harness offers no ${missing.map((name) => `faults.${name}`).join(', ')}`
    return check
  })
}

/**
 * Certify a transport: register every check of the kit as a test of the caller's runner, in one
 * `describe` named after the harness. Checks that need a fault the harness does not offer are
 * registered as skipped; checks of a capability the transport does not declare skip themselves
 * when they run (vitest and `node:test` show them as skipped, Mocha too; Jest, which cannot skip
 * a running test, shows them as passed).
 *
 * @example
 * // test/acme.conformance.test.ts
 * import { describe, it } from 'vitest'
 * import { runTransportConformance } from 'confab/testing'
 *
 * runTransportConformance({ describe, it }, {
 *   name: 'acme',
 *   createTransport: () => createAcmeTransport({ url: 'http://127.0.0.1:9000' }),
 *   agent: { reply: (conversationId, text) => acmeAdmin.post(conversationId, text) },
 *   faults: { expireSession: (session) => acmeAdmin.revokeTokens(session.visitorId) }
 * })
 */
export function runTransportConformance(test: ConformanceTestApi, harness: ConformanceHarness): void {
  const timeout = harness.timeout ?? 5000
  test.describe(`${harness.name} transport conformance`, () => {
    for (const check of transportConformanceChecks(harness)) {
      if (check.skip !== undefined) {
        test.it.skip(`${check.name} (skipped: ${check.skip})`, () => {})
        continue
      }
      test.it(
        check.name,
        async function (this: unknown, context?: unknown) {
          const outcome = await check.run()
          if (outcome.status === 'skipped') skipRunning(context, this, outcome.reason)
        },
        // The runner's limit is a backstop: the check's own timeout reports what it waited for.
        timeout + 1000
      )
    }
  })
}

type Skippable = { skip?: (note?: string) => void } | undefined

/** Mark the running test skipped, the way the caller's runner allows. */
function skipRunning(context: unknown, self: unknown, reason: string): void {
  // vitest and node:test pass a context with skip(); Mocha has this.skip().
  const own = context as Skippable
  if (typeof own?.skip === 'function') return own.skip(reason)
  const mocha = self as Skippable
  if (typeof mocha?.skip === 'function') mocha.skip()
}
