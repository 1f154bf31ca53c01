import type { RefObject } from 'preact'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { UiProps, WidgetProps } from '../components/props.js'
import { SUGGESTIONS, suggestion } from './ids.js'
import { insertEmoji } from './insert.js'
import { findClosedShortcode, findShortcodeQuery, type ShortcodeQuery } from './shortcodes.js'
import type { EmojiKit } from './source.js'

/**
 * `:shortcode:` completion in the composer's field. Typing a colon (not after a letter or digit)
 * and 2 characters loads the emoji (once) and lists the shortcodes that complete them above the
 * field; the field points at the active one (`aria-activedescendant`), so focus stays where the
 * visitor types. Up and Down move, Enter or Tab take the active one in place of what was typed,
 * Escape puts the list away until a new shortcode is begun. A shortcode typed out in full
 * (`:tada:`) becomes its emoji on the closing colon. Returns the list to render, or `null`.
 *
 * @example
 * const suggestions = useShortcodes(props, field)
 * return <form>{suggestions}<textarea ref={field} /></form>
 */
export function useShortcodes(props: UiProps & Pick<WidgetProps, 'emoji'>, field: RefObject<HTMLTextAreaElement | null>) {
  const { client } = props
  const [kit, setKit] = useState<EmojiKit>()
  const [query, setQuery] = useState<ShortcodeQuery | null>(null)
  const [active, setActive] = useState(0)
  // Where the shortcode Escape put away begins: it stays away until another is begun.
  const dismissed = useRef(-1)
  const matches = kit && query && query.start !== dismissed.current ? kit.index.complete(query.query) : []
  const state = useRef({ matches, query, active })
  state.current = { matches, query, active }

  const accept = (index: number) => {
    const { matches, query } = state.current
    const match = matches[index]
    if (!match || !query) return
    insertEmoji(field.current!, match.emoji.emoji, query)
    client.emojiUsed(match.emoji.emoji)
  }

  useEffect(() => {
    const input = field.current!
    const load = () =>
      props.emoji().then((loaded) => {
        setKit(loaded)
        return loaded
      })
    const update = (event?: Event) => {
      const { value, selectionStart: caret, selectionEnd } = input
      const found = caret === selectionEnd ? findShortcodeQuery(value, caret) : null
      if (!found) dismissed.current = -1
      setQuery((last) => {
        if (found?.start !== last?.start || found?.query !== last?.query) setActive(0)
        return found
      })
      if (found) load().catch(() => undefined)
      // Read, not `instanceof`: the page may be another realm's (an iframe's).
      if (caret !== selectionEnd || event?.type !== 'input' || (event as InputEvent).data !== ':') return
      const closed = findClosedShortcode(value, caret)
      if (!closed) return
      load().then((kit) => {
        const emoji = kit.index.byShortcode(closed.query)
        // Only if the field still ends the shortcode at the caret: the visitor may have typed on.
        if (emoji && input.selectionStart === closed.end && input.value.slice(closed.start, closed.end) === value.slice(closed.start, closed.end)) {
          insertEmoji(input, emoji.emoji, closed)
          client.emojiUsed(emoji.emoji)
        }
      }, () => undefined)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      const { matches, active, query } = state.current
      if (event.target !== input || !matches.length || event.isComposing) return
      const { key } = event
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        // From the active one as of the last key, which may not have rendered yet.
        setActive((last) => (last + (key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length)
      } else if ((key === 'Enter' && !event.shiftKey) || (key === 'Tab' && !event.shiftKey)) {
        accept(active)
      } else if (key === 'Escape') {
        dismissed.current = query!.start
        setQuery({ ...query! })
      } else {
        return
      }
      // Before the composer's own keys (Enter sends) and the pane's (Escape closes it).
      event.preventDefault()
      event.stopPropagation()
    }
    const close = () => setQuery(null)
    const form = input.parentElement!
    input.addEventListener('input', update)
    input.addEventListener('click', update)
    input.addEventListener('keyup', update)
    input.addEventListener('blur', close)
    form.addEventListener('keydown', onKeyDown, true)
    return () => {
      input.removeEventListener('input', update)
      input.removeEventListener('click', update)
      input.removeEventListener('keyup', update)
      input.removeEventListener('blur', close)
      form.removeEventListener('keydown', onKeyDown, true)
    }
  }, [])

  // The field tells assistive technology about the list while it shows.
  const shown = matches.length > 0
  useLayoutEffect(() => {
    const input = field.current!
    const set = (name: string, value: string | false) => (value ? input.setAttribute(name, value) : input.removeAttribute(name))
    set('aria-autocomplete', 'list')
    set('aria-controls', shown && SUGGESTIONS)
    set('aria-activedescendant', shown && suggestion(active))
  })

  const Suggestions = kit?.module.EmojiSuggestions
  return shown && Suggestions ? <Suggestions matches={matches} active={active} strings={props.strings} onPick={accept} /> : null
}
