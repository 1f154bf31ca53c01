/**
 * Timer functions, injectable so tests control time without patching globals. Called unbound.
 *
 * @example
 * const timers: Timers = { setTimeout: (run, ms) => clock.later(run, ms), clearTimeout: (handle) => clock.cancel(handle) }
 */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** The global timers, looked up at each call (so a test's fake timers apply). */
export const globalTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}
