import type { Timers } from '../util/timers.js'

/**
 * The longest the widget waits for an idle browser before it does what can wait anyway; where there
 * is no `requestIdleCallback` (Safari), how long it waits.
 */
export const IDLE = 2000

/**
 * Run `then` once the browser is idle, or after {@link IDLE} ms at the latest (where there is no
 * `requestIdleCallback`, as in Safari, after `IDLE` ms on `timers`). Returns what cancels it.
 *
 * @example
 * useEffect(() => whenIdle(props.timers, preload), [])
 */
export function whenIdle(timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>, then: () => void): () => void {
  const { requestIdleCallback: idle, cancelIdleCallback: cancel } = globalThis
  if (!idle) {
    const timer = timers.setTimeout(then, IDLE)
    return () => timers.clearTimeout(timer)
  }
  const handle = idle(then, { timeout: IDLE })
  return () => cancel(handle)
}
