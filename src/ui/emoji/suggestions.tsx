import { useLayoutEffect, useRef } from 'preact/hooks'
import { adopt } from '../sheet.js'
import type { EmojiStrings, Strings } from '../strings.js'
import { SUGGESTIONS, suggestion } from './ids.js'
import type { ShortcodeMatch } from './search.js'
import { emojiStrings } from './strings.js'
import { css } from './styles.js'

/**
 * The emoji whose shortcodes complete what is typed, above the composer's field: a listbox whose
 * active option the field points at, so focus stays in the field (the composer's `useShortcodes`
 * moves it and picks). Pressing an option picks it without taking focus from the field.
 */
export function EmojiSuggestions(props: { matches: ShortcodeMatch[]; active: number; strings: Partial<Strings>; onPick(index: number): void }) {
  const strings = { ...emojiStrings, ...props.strings } as EmojiStrings
  const list = useRef<HTMLUListElement>(null)
  useLayoutEffect(() => adopt(list.current!.getRootNode() as ShadowRoot, css), [])
  useLayoutEffect(() => {
    list.current!.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' })
  }, [props.active])
  return (
    <ul
      ref={list}
      class="sugg"
      role="listbox"
      id={SUGGESTIONS}
      aria-label={strings.emojiSuggestions}
      data-testid="emoji-suggestions"
      onMouseDown={(event) => event.preventDefault()}
    >
      {props.matches.map(({ emoji, shortcode }, i) => (
        <li key={emoji.emoji} id={suggestion(i)} role="option" aria-selected={i === props.active} onClick={() => props.onPick(i)}>
          <span>{emoji.emoji}</span>:{shortcode}:
        </li>
      ))}
    </ul>
  )
}
