import type { RefObject } from 'preact'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Client } from '../../client/index.js'
import { readingKey } from '../keys.js'
import { adopt } from '../sheet.js'
import { fill, type EmojiStrings, type Strings } from '../strings.js'
import { useStore } from '../use-store.js'
import { insertEmoji } from './insert.js'
import type { EmojiIndex } from './search.js'
import { emojiStrings } from './strings.js'
import { css } from './styles.js'
import type { Emoji, EmojiGroupKey } from './types.js'

/** Cells in a row of the grid. */
export const COLUMNS = 8

/** The most search results shown: twenty rows. */
const SHOWN = COLUMNS * 20

/** Each category's tab: an emoji of it as its icon, and its label. */
const TABS: Record<EmojiGroupKey, [icon: string, label: keyof EmojiStrings]> = {
  'smileys-emotion': ['😀', 'emojiSmileys'],
  'people-body': ['👋', 'emojiPeople'],
  'animals-nature': ['🐻', 'emojiAnimals'],
  'food-drink': ['🍔', 'emojiFood'],
  'travel-places': ['✈️', 'emojiTravel'],
  activities: ['⚽', 'emojiActivities'],
  objects: ['💡', 'emojiObjects'],
  symbols: ['🔣', 'emojiSymbols'],
  flags: ['🏁', 'emojiFlags']
}

/** Ids inside the widget's shadow root, which holds one picker at most. */
const PANEL = 'cf-emoji-panel'
const tab = (index: number) => `cf-emoji-tab-${index}`

/** Focus the search field as it appears (and only then: the same function on every render). */
const focusField = (field: HTMLInputElement | null) => field?.focus()

/** Where the grids' one focusable cell is: which grid (recently used, then the category's or the results), which cell. */
interface Cell {
  grid: number
  index: number
}

/** Props of {@link EmojiPicker}. */
export interface EmojiPickerProps {
  client: Client
  strings: Partial<Strings>
  index: EmojiIndex
  /** The composer's field, which a chosen emoji goes into, at the caret. */
  field: RefObject<HTMLTextAreaElement | null>
  /** The button the picker hangs from: focus moving to it is not focus leaving. */
  anchor: HTMLElement | null
  /** Close: with `refocus`, focus goes back to the button (Escape); without, it has gone elsewhere. */
  onClose(refocus: boolean): void
}

/** Rows of {@link COLUMNS} cells, each named by its emoji's name. */
function Grid(props: { emoji: Emoji[]; grid: number; focused: Cell; label: Record<string, string>; onPick(emoji: Emoji, keepOpen: boolean): void }) {
  const { emoji, grid, focused } = props
  const rows: Emoji[][] = []
  for (let i = 0; i < emoji.length; i += COLUMNS) rows.push(emoji.slice(i, i + COLUMNS))
  return (
    <div role="grid" {...props.label} data-testid="emoji-grid">
      {rows.map((row, r) => (
        <div role="row" key={r}>
          {row.map((item, c) => {
            const index = r * COLUMNS + c
            return (
              <span
                key={item.emoji}
                role="gridcell"
                aria-label={item.name}
                tabIndex={focused.grid === grid && focused.index === index ? 0 : -1}
                data-cell={`${grid}:${index}`}
                onClick={(event) => props.onPick(item, event.shiftKey)}
              >
                {item.emoji}
              </span>
            )
          })}
        </div>
      ))}
    </div>
  )
}

/**
 * The emoji picker: a search field (names, shortcodes and keywords, by word prefix), category tabs,
 * the recently used emoji, and a grid of one category at a time, so that opening draws a few
 * hundred cells at most. The grid is one tab stop: arrow keys move within it (and from the
 * recently used row into the category), Home and End to a row's ends, Enter or Space pick, Escape
 * closes and returns to the button, Tab leaves (and closes). A chosen emoji goes into the field at
 * its caret and joins the recently used, and the picker closes, focus in the field (with Shift it
 * stays open for another). Loaded on first use, so it uses only the hooks `confab.js` shares with
 * its companions (see `ui/companions.ts`).
 */
export function EmojiPicker(props: EmojiPickerProps) {
  const { index, onClose } = props
  const strings = { ...emojiStrings, ...props.strings } as EmojiStrings & Partial<Strings>
  const recentList = useStore(props.client.$recentEmoji)
  const [query, setQuery] = useState('')
  const [group, setGroup] = useState(0)
  const [focused, setFocused] = useState<Cell>({ grid: 0, index: 0 })
  const root = useRef<HTMLDivElement>(null)
  const body = useRef<HTMLDivElement>(null)
  // Moving by keyboard focuses the new cell once it is drawn.
  const moved = useRef(false)

  useLayoutEffect(() => adopt(root.current!.getRootNode() as ShadowRoot, css), [])

  const recent = query ? [] : recentList.map((emoji) => index.get(emoji)).filter((emoji): emoji is Emoji => !!emoji)
  const results = query ? index.search(query, SHOWN) : undefined
  const groups = index.groups
  const current = groups[group]!
  // The grids in the order the arrow keys walk them.
  const grids = results ? [results] : recent.length ? [recent, current.emoji] : [current.emoji]
  // The focusable cell stays in range as the grids change (a search narrows, a category is shorter).
  const cell: Cell = focused.grid < grids.length ? { grid: focused.grid, index: Math.min(focused.index, grids[focused.grid]!.length - 1) } : { grid: 0, index: 0 }

  useLayoutEffect(() => {
    if (!moved.current) return
    moved.current = false
    const element = root.current!.querySelector<HTMLElement>(`[data-cell="${cell.grid}:${cell.index}"]`)
    element?.focus()
    element?.scrollIntoView?.({ block: 'nearest' })
  })

  const onPick = (emoji: Emoji, keepOpen: boolean) => {
    // Focus stays in the picker when it stays open for another.
    insertEmoji(props.field.current!, emoji.emoji, undefined, !keepOpen)
    props.client.emojiUsed(emoji.emoji)
    if (!keepOpen) onClose(false)
  }
  const move = (next: Cell) => {
    moved.current = true
    setFocused(next)
  }
  const selectGroup = (next: number, focusTab = false) => {
    setQuery('')
    setGroup(next)
    setFocused({ grid: 0, index: 0 })
    if (body.current) body.current.scrollTop = 0
    if (focusTab) root.current!.querySelector<HTMLElement>(`#${tab(next)}`)?.focus()
  }

  /** The cell an arrow key leads to from `at`, across grids: up and down keep the column. */
  const step = (at: Cell, key: string): Cell | undefined => {
    const list = grids[at.grid]!
    const column = at.index % COLUMNS
    switch (key) {
      case 'ArrowRight':
        if (at.index + 1 < list.length) return { grid: at.grid, index: at.index + 1 }
        return at.grid + 1 < grids.length ? { grid: at.grid + 1, index: 0 } : undefined
      case 'ArrowLeft':
        if (at.index > 0) return { grid: at.grid, index: at.index - 1 }
        return at.grid > 0 ? { grid: at.grid - 1, index: grids[at.grid - 1]!.length - 1 } : undefined
      case 'ArrowDown': {
        if (at.index + COLUMNS < list.length) return { grid: at.grid, index: at.index + COLUMNS }
        // A short last row: the last cell, unless this is the last row already.
        if (Math.floor(at.index / COLUMNS) < Math.floor((list.length - 1) / COLUMNS)) return { grid: at.grid, index: list.length - 1 }
        const next = grids[at.grid + 1]
        return next ? { grid: at.grid + 1, index: Math.min(column, next.length - 1) } : undefined
      }
      case 'ArrowUp': {
        if (at.index >= COLUMNS) return { grid: at.grid, index: at.index - COLUMNS }
        const previous = grids[at.grid - 1]
        if (!previous) return undefined
        const lastRow = Math.floor((previous.length - 1) / COLUMNS) * COLUMNS
        return { grid: at.grid - 1, index: Math.min(lastRow + column, previous.length - 1) }
      }
      case 'Home':
        return { grid: at.grid, index: at.index - column }
      case 'End':
        return { grid: at.grid, index: Math.min(at.index - column + COLUMNS - 1, list.length - 1) }
      default:
        return undefined
    }
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement
    const key = readingKey(event)
    if (key === 'Escape') {
      // The picker's, not the pane's: the pane stays open.
      event.stopPropagation()
      event.preventDefault()
      onClose(true)
      return
    }
    if (target.getAttribute('role') === 'tab') {
      const delta = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0
      if (delta) {
        event.preventDefault()
        selectGroup((group + delta + groups.length) % groups.length, true)
      }
      return
    }
    if (target.tagName === 'INPUT') {
      const first = grids[0]?.[0]
      if (key === 'ArrowDown' && first) {
        event.preventDefault()
        move({ grid: 0, index: 0 })
      } else if (key === 'Enter' && !event.isComposing && results?.[0]) {
        // The best match, as a search field that picks should.
        event.preventDefault()
        onPick(results[0], event.shiftKey)
      }
      return
    }
    const at = target.dataset.cell?.split(':').map(Number)
    if (!at) return
    const here = { grid: at[0]!, index: at[1]! }
    if (key === 'Enter' || key === ' ') {
      event.preventDefault()
      const emoji = grids[here.grid]?.[here.index]
      if (emoji) onPick(emoji, event.shiftKey)
      return
    }
    const next = step(here, key)
    if (next) {
      event.preventDefault()
      move(next)
    } else if (key === 'ArrowUp') {
      // Above the first row: back to the search field.
      event.preventDefault()
      root.current!.querySelector('input')!.focus()
    }
  }

  const groupLabel = strings[TABS[current.key][1]]
  return (
    <div
      ref={root}
      class="picker"
      role="dialog"
      aria-label={strings.emoji}
      data-testid="emoji-picker"
      onKeyDown={onKeyDown}
      onFocusOut={(event) => {
        const next = event.relatedTarget as Node | null
        // Tab or a click elsewhere took focus away (the button toggles the picker itself).
        if (!root.current!.contains(next) && next !== props.anchor) onClose(false)
      }}
      onMouseDown={(event) => {
        // A click on the picker's background keeps focus where it is, inside the picker.
        if (!(event.target as Element).closest('input,button,[tabindex]')) event.preventDefault()
      }}
    >
      <input
        ref={focusField}
        type="search"
        data-testid="emoji-search"
        aria-label={strings.emojiSearch}
        placeholder={strings.emojiSearch}
        autocomplete="off"
        spellcheck={false}
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value)
          setFocused({ grid: 0, index: 0 })
          if (body.current) body.current.scrollTop = 0
        }}
      />
      <div class="tabs" role="tablist" aria-label={strings.emojiCategories}>
        {groups.map(({ key }, i) => {
          const selected = !results && i === group
          return (
            <button
              key={key}
              type="button"
              role="tab"
              id={tab(i)}
              aria-selected={selected}
              aria-controls={results ? undefined : PANEL}
              tabIndex={i === group ? 0 : -1}
              aria-label={strings[TABS[key][1]]}
              title={strings[TABS[key][1]]}
              data-testid="emoji-tab"
              onClick={() => selectGroup(i)}
            >
              <span aria-hidden="true">{TABS[key][0]}</span>
            </button>
          )
        })}
      </div>
      <div class="emo" ref={body}>
        {results ? (
          <>
            {/* Announced as the results change. */}
            <p id="cf-emoji-results" role="status" data-testid="emoji-status">
              {results.length ? strings.emojiResults : fill(strings.emojiNone, query)}
            </p>
            {!!results.length && <Grid emoji={results} grid={0} focused={cell} label={{ 'aria-labelledby': 'cf-emoji-results' }} onPick={onPick} />}
          </>
        ) : (
          <>
            {!!recent.length && (
              <>
                <h3 id="cf-emoji-recent">{strings.emojiRecent}</h3>
                <Grid emoji={recent} grid={0} focused={cell} label={{ 'aria-labelledby': 'cf-emoji-recent' }} onPick={onPick} />
              </>
            )}
            <div role="tabpanel" id={PANEL} aria-labelledby={tab(group)}>
              <h3 aria-hidden="true">{groupLabel}</h3>
              <Grid emoji={current.emoji} grid={grids.length - 1} focused={cell} label={{ 'aria-label': groupLabel }} onPick={onPick} />
            </div>
          </>
        )}
      </div>
    </div>
  )
}
