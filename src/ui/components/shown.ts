import type { RefObject } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'

/**
 * The event the pane's frame gets when a pane drawn ahead while closed (see `app.tsx`) shows. A
 * pane drawn as it opens gets none: its parts are drawn shown.
 */
export const SHOWN = 'confab-shown'

/** Whether the pane in `frame` shows: not drawn ahead, closed (`data-closed`, invisible and inert). */
export const isShown = (frame: Element | null | undefined): boolean => !frame?.closest('.pane')?.hasAttribute('data-closed')

/**
 * Call `then` each time the pane drawn ahead in `frame` shows (the latest `then` given). Listening
 * from the render that mounts it, not after a paint: the visitor may open the pane in between.
 *
 * @example
 * useShown(props.frame, () => field.current?.focus())
 */
export function useShown(frame: RefObject<Element | null> | undefined, then: () => void): void {
  const latest = useRef(then)
  latest.current = then
  useLayoutEffect(() => {
    const element = frame?.current
    if (!element) return
    const shown = () => latest.current()
    element.addEventListener(SHOWN, shown)
    return () => element.removeEventListener(SHOWN, shown)
  }, [])
}
