import type { RefObject } from 'preact'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Client } from '../../client/index.js'
import { adopt } from '../sheet.js'
import type { EmojiStrings, Strings } from '../strings.js'
import { insertEmoji } from './insert.js'
import type { EmojiIndex } from './search.js'
import { findClosedShortcode, findShortcodeQuery, type ShortcodeQuery } from './shortcodes.js'
import { emojiStrings } from './strings.js'
import { css } from './styles.js'

/** The suggestions' ids: the field points at the active one. */
const LIST = 'cf-emoji-suggestions'
const option = (index: number) => `${LIST}-${index}`

/** Props of {@link EmojiCompletion}. */
export interface EmojiCompletionProps {
  client: Client
  strings: Partial<Strings>
  index: EmojiIndex
  /** The composer's field. */
  field: RefObject<HTMLTextAreaElement | null>
}

/**
 * `:shortcode:` completion in the composer's field, once the emoji have loaded (the composer's
 * `useShortcodes` loads them on the first shortcode begun, and this then reads the field at once).
 * The 8 best shortcodes that complete what is typed show above the field, all of them (nothing to
 * scroll), as a listbox the field points at (`aria-activedescendant`), so focus stays where the
 * visitor types: Up and Down move, Enter or Tab put the active emoji in place of what was typed,
 * Escape puts the list away until another shortcode is begun, and a press on an option takes it.
 * A shortcode typed out in full (`:tada:`) becomes its emoji on the closing colon.
 */
export function EmojiCompletion(props: EmojiCompletionProps) {
  const { client, index, field } = props
  const strings = { ...emojiStrings, ...props.strings } as EmojiStrings
  const [query, setQuery] = useState<ShortcodeQuery | null>(null)
  const [active, setActive] = useState(0)
  // Where the shortcode Escape put away begins: it stays away until another is begun.
  const dismissed = useRef(-1)
  const matches = query && query.start !== dismissed.current ? index.complete(query.query) : []
  const state = useRef({ matches, query, active })
  state.current = { matches, query, active }
  const shown = matches.length > 0

  const put = (emoji: string, range: ShortcodeQuery) => {
    insertEmoji(field.current!, emoji, range)
    client.emojiUsed(emoji)
  }
  const accept = (at: number) => {
    const { matches, query } = state.current
    if (matches[at] && query) put(matches[at].emoji.emoji, query)
  }

  useEffect(() => {
    const input = field.current!
    const update = (event?: Event) => {
      const { value, selectionStart: caret, selectionEnd } = input
      const found = caret === selectionEnd ? findShortcodeQuery(value, caret) : null
      if (!found) dismissed.current = -1
      setQuery((last) => {
        if (found?.start !== last?.start || found?.query !== last?.query) setActive(0)
        return found
      })
      // A closing colon just typed: read, not `instanceof`, as the page may be another realm's.
      if (caret !== selectionEnd || (event && (event as InputEvent).data !== ':')) return
      const closed = findClosedShortcode(value, caret)
      const emoji = closed && index.byShortcode(closed.query)
      if (emoji) put(emoji.emoji, closed)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      const { matches, query } = state.current
      if (event.target !== input || !matches.length || event.isComposing) return
      const { key } = event
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        // From the active one as of the last key, which may not have rendered yet.
        setActive((last) => (last + (key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length)
      } else if ((key === 'Enter' || key === 'Tab') && !event.shiftKey) {
        accept(state.current.active)
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
    const events = ['input', 'click', 'keyup']
    // What was typed while the emoji loaded counts: the shortcode that asked for them.
    update()
    for (const name of events) input.addEventListener(name, update)
    input.addEventListener('blur', close)
    form.addEventListener('keydown', onKeyDown, true)
    return () => {
      for (const name of events) input.removeEventListener(name, update)
      input.removeEventListener('blur', close)
      form.removeEventListener('keydown', onKeyDown, true)
    }
  }, [])

  // The field tells assistive technology about the list while it shows.
  useLayoutEffect(() => {
    const input = field.current!
    const set = (name: string, value: string | false) => (value ? input.setAttribute(name, value) : input.removeAttribute(name))
    set('aria-autocomplete', 'list')
    set('aria-controls', shown && LIST)
    set('aria-activedescendant', shown && option(active))
  })
  useLayoutEffect(() => adopt(field.current!.getRootNode() as ShadowRoot, css), [])

  if (!shown) return null
  return (
    <ul class="sugg" role="listbox" id={LIST} aria-label={strings.emojiSuggestions} data-testid="emoji-suggestions" onMouseDown={(event) => event.preventDefault()}>
      {matches.map(({ emoji, shortcode }, i) => (
        <li key={emoji.emoji} id={option(i)} role="option" aria-selected={i === active} onClick={() => accept(i)}>
          <span>{emoji.emoji}</span>:{shortcode}:
        </li>
      ))}
    </ul>
  )
}
