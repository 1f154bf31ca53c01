import type { RefObject } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { UiProps, WidgetProps } from '../components/props.js'
import { findShortcodeQuery } from './shortcodes.js'
import type { EmojiKit } from './source.js'

/**
 * `:shortcode:` completion for the composer's field: the first shortcode begun (a colon not after a
 * letter or digit, then 2 characters) loads the emoji, once, and the completion that comes with
 * them (`EmojiCompletion`) takes over. Returns what to render inside the composer's form.
 *
 * @example
 * const shortcodes = useShortcodes(props, field)
 * return <form>{shortcodes}<textarea ref={field} /></form>
 */
export function useShortcodes(props: UiProps & Pick<WidgetProps, 'emoji'>, field: RefObject<HTMLTextAreaElement | null>) {
  const [kit, setKit] = useState<EmojiKit>()
  useEffect(() => {
    const input = field.current!
    const begun = () => {
      if (findShortcodeQuery(input.value, input.selectionStart)) props.emoji().then(setKit, () => undefined)
    }
    input.addEventListener('input', begun)
    return () => input.removeEventListener('input', begun)
  }, [])
  return kit ? <kit.module.EmojiCompletion client={props.client} strings={props.strings} index={kit.index} field={field} /> : null
}
