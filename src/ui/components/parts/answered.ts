import type { RefObject } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

/**
 * Where the keys go once a form or a rating is answered: its controls turn off and its button goes,
 * which would drop a visitor who sent it from the keyboard onto the page's body (and a screen
 * reader to the top of the page). The confirmation that takes the button's place gets the focus
 * instead, and is read out. An answer that came from elsewhere (another tab, a reload, a script)
 * moves nothing.
 *
 * @param box The form; `answered`: whether the thread holds its answer.
 * @returns The ref for the confirmation, which needs `tabIndex={-1}`.
 *
 * @example
 * const done = useFocusOnAnswer(form, !!given)
 * return <form ref={form}>… {given && <p ref={done} tabIndex={-1}>Submitted</p>}</form>
 */
export function useFocusOnAnswer(box: RefObject<HTMLElement | null>, answered: boolean): RefObject<HTMLParagraphElement | null> {
  const done = useRef<HTMLParagraphElement>(null)
  const held = useRef(false)
  // Read as this render starts, before it turns the controls off (which drops their focus).
  if (box.current) held.current = box.current.contains((box.current.getRootNode() as Document | ShadowRoot).activeElement)
  useEffect(() => {
    if (answered && held.current) done.current?.focus()
  }, [answered])
  return done
}
