import type { RefObject } from 'preact'
import { useLayoutEffect } from 'preact/hooks'
import type { Client } from '../client/index.js'
import { useStore } from './use-store.js'

/**
 * Put the text `client.compose()` left (`Confab('showNewMessage', text)`) into the composer's field,
 * once and in place of what it held, the caret after it and the keys in the field: as the composer
 * shows, and whenever more comes while it does. Nothing is sent. Declared after the composer's own
 * focus effect, so this one has the last word on focus.
 *
 * @example
 * const field = useRef<HTMLTextAreaElement>(null)
 * useDraft(client, field)
 */
export function useDraft(client: Client, field: RefObject<HTMLTextAreaElement | null>): void {
  // Renders the composer when a draft comes; the effect below runs after every render and takes it.
  useStore(client.$draft)
  useLayoutEffect(() => {
    const input = field.current
    if (!input || client.$draft.get() === null) return
    const text = client.takeDraft()!
    input.value = text
    input.setSelectionRange(text.length, text.length)
    if (!input.disabled) input.focus({ preventScroll: true })
  })
}
