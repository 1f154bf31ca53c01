import type { ReadableAtom } from 'nanostores'
import { useEffect, useRef, useState } from 'preact/hooks'

/** Checks waiting for the next frame, run together so that the renders they ask for are one. */
let waiting: Set<() => void> | undefined

function nextFrame(check: () => void): void {
  if (!waiting) {
    const run = () => {
      const checks = waiting!
      waiting = undefined
      checks.forEach((c) => c())
    }
    // No frames outside a browser (a test's DOM may lack them): a frame's time instead.
    const { requestAnimationFrame: frame } = globalThis
    if (frame) frame(run)
    else setTimeout(run, 16)
    waiting = new Set()
  }
  waiting.add(check)
}

const whole = <T>(value: T) => value

/**
 * The part of a store's value that `pick` chooses (by default the whole value), the component
 * rendering again at most once a frame, and only when that part is another value than the one it
 * rendered. The pane's hook: a burst of a thousand messages a second renders the thread once a
 * frame, and a change elsewhere in a store (another conversation's messages, the list's order) not
 * at all. `pick` must return what the store holds (or a primitive), not a new object.
 *
 * @example
 * const messages = useFrameStore(client.$messages, (all) => all[id] ?? NONE)
 */
export function useFrameStore<T, S = T>(store: ReadableAtom<T>, pick: (value: T) => S = whole as (value: T) => S): S {
  const [, render] = useState({})
  const picked = pick(store.get())
  const latest = useRef({ pick, picked })
  latest.current = { pick, picked }
  useEffect(() => {
    const check = () => {
      const { pick, picked } = latest.current
      if (!Object.is(pick(store.get()), picked)) render({})
    }
    // A change between the render and now: listen() reports only the ones to come.
    check()
    const unlisten = store.listen(() => nextFrame(check))
    return () => {
      unlisten()
      waiting?.delete(check)
    }
  }, [store])
  return picked
}
