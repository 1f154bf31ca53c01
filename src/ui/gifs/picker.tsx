import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Gif, GifImage, GifProvider } from '../../gifs/types.js'
import type { UiProps } from '../components/props.js'
import { readingKey } from '../keys.js'
import { adopt } from '../sheet.js'
import { counted, fill, type EmojiStrings, type SearchStrings, type Strings } from '../strings.js'
import { gifStrings } from './strings.js'
import { css } from './styles.js'

/** Wait this long after the last keystroke: a request per word, not per letter. */
const DEBOUNCE = 300

/** Columns of the grid: previews 100 to 170 px wide in a pane 370 px wide. */
const COLUMNS = 2

/** How close to the end of the grid (px) scrolling asks for the next page. */
const NEAR_END = 120

/** What the picker shows: the results of `query` (`''`: before anything is typed) and how asking went. */
interface Shown {
  query: string
  status: 'idle' | 'loading' | 'done' | 'failed'
  results: Gif[]
  next: string | null
}

/** What the picker gets: the provider, and what to do with the GIF picked. */
export interface GifPickerProps extends Pick<UiProps, 'strings' | 'locale'> {
  provider: GifProvider
  /** The visitor picked `gif` (click, Enter or Space on it). */
  onPick(gif: Gif): void
  /** The close button; Escape is the caller's (it also closes what failed to load). */
  onClose(): void
}

/**
 * The GIF picker: a search field, then a grid of previews in two columns, their places reserved
 * from the sizes the provider gave. Before anything is typed it shows the provider's `trending`.
 * Typing searches after a pause, aborting the request for what was typed before; scrolling to the
 * end asks for the next page. Keys: ArrowDown from the field into the grid, arrows within it
 * (Up from the top goes back to the field), Enter or Space picks. Under `prefers-reduced-motion`
 * previews are the provider's stills where it has them. Loaded on first use, so it uses only the
 * hooks `confab.js` shares with its companions (see `ui/companions.ts`).
 */
export function GifPicker(props: GifPickerProps) {
  const { provider, onPick, onClose } = props
  const strings: Omit<Strings, keyof SearchStrings | keyof EmojiStrings> = { ...gifStrings, ...props.strings }
  const [text, setText] = useState('')
  const [shown, setShown] = useState<Shown>({ query: '', status: 'idle', results: [], next: null })
  // The result that takes Tab into the grid (a roving tabindex), by its place in `results`.
  const [active, setActive] = useState(0)
  const view = useRef<HTMLDivElement>(null)
  const field = useRef<HTMLInputElement>(null)
  const grid = useRef<HTMLDivElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const asking = useRef<AbortController>(undefined)
  const still = useState(() => !!globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches)[0]

  useLayoutEffect(() => {
    const off = adopt(view.current!.getRootNode() as ShadowRoot, css)
    field.current!.focus()
    return off
  }, [])

  /** Ask for `query`'s first page, or the page at `cursor` to add to what is shown. */
  const ask = (query: string, cursor?: string) => {
    asking.current?.abort()
    if (!query && !provider.trending) return setShown({ query, status: 'idle', results: [], next: null })
    const controller = (asking.current = new AbortController())
    // The browser's language, not the pane's: it is the one the visitor types their search in.
    const options = { signal: controller.signal, locale: globalThis.navigator?.language, ...(cursor ? { cursor } : {}) }
    setShown((last) => ({ ...(cursor ? last : { results: [], next: null }), query, status: 'loading' }))
    if (!cursor) setActive(0)
    ;(query ? provider.search(query, options) : provider.trending!(options)).then(
      (page) => {
        if (controller.signal.aborted) return
        setShown((last) => {
          // A provider may repeat a GIF on the next page: it shows once.
          const seen = new Set(cursor ? last.results.map((gif) => gif.id) : [])
          const added = page.results.filter((gif) => !seen.has(gif.id) && seen.add(gif.id))
          return { query, status: 'done', results: cursor ? [...last.results, ...added] : added, next: page.next }
        })
      },
      () => {
        // An aborted search is no failure: what was typed since has its own.
        if (controller.signal.aborted) return
        setShown((last) => ({ ...last, query, status: 'failed' }))
      }
    )
  }
  const run = (value: string, wait = value.trim() ? DEBOUNCE : 0) => {
    clearTimeout(timer.current)
    // What was asked for before is stale from the first keystroke on.
    asking.current?.abort()
    timer.current = setTimeout(() => ask(value.trim()), wait)
  }
  useEffect(() => {
    run('')
    return () => {
      clearTimeout(timer.current)
      asking.current?.abort()
    }
  }, [])

  const { results, status, query } = shown
  // Masonry: each GIF goes to the shorter column, so the columns end near each other.
  const columns: number[][] = Array.from({ length: COLUMNS }, () => [])
  const heights = new Array<number>(COLUMNS).fill(0)
  const columnOf: number[] = []
  const picture = (gif: Gif): GifImage => (still ? gif.still ?? gif.preview : gif.preview)
  results.forEach((gif, index) => {
    const column = heights.indexOf(Math.min(...heights))
    columns[column]!.push(index)
    columnOf[index] = column
    const { width, height } = picture(gif)
    heights[column]! += height / width
  })
  const focusResult = (index: number) => {
    setActive(index)
    grid.current!.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus()
  }
  const onGridKey = (event: KeyboardEvent) => {
    const at = Number((event.target as HTMLElement).dataset.index)
    if (Number.isNaN(at)) return
    const column = columns[columnOf[at]!]!
    const row = column.indexOf(at)
    const key = readingKey(event)
    let to: number | undefined
    if (key === 'ArrowRight') to = at + 1
    else if (key === 'ArrowLeft') to = at - 1
    else if (key === 'ArrowDown') to = column[row + 1]
    else if (key === 'ArrowUp') to = row === 0 ? -1 : column[row - 1]
    else if (key === 'Home') to = 0
    else if (key === 'End') to = results.length - 1
    else return
    event.preventDefault()
    if (to === -1) field.current!.focus()
    else if (to !== undefined && to >= 0 && to < results.length) focusResult(to)
  }
  const onFieldKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && results.length) {
      event.preventDefault()
      focusResult(Math.min(active, results.length - 1))
    } else if (event.key === 'Enter' && !event.isComposing) {
      // Search now rather than after the pause.
      event.preventDefault()
      run((event.currentTarget as HTMLInputElement).value, 0)
    }
  }
  const onScroll = () => {
    const box = grid.current!
    if (shown.next && status === 'done' && box.scrollTop + box.clientHeight >= box.scrollHeight - NEAR_END) ask(query, shown.next)
  }

  // What the status line says, and screen readers announce.
  const said =
    status === 'loading'
      ? strings.gifsLoading
      : status === 'done' && query
        ? results.length
          ? counted(strings.gifsCount, results.length, props.locale)
          : fill(strings.gifsNone, query)
        : status === 'idle' && !provider.trending
          ? strings.gifsHint
          : ''
  return (
    <div class="gifs" ref={view} role="dialog" aria-label={strings.gifSearch} data-testid="gifs" data-provider={provider.name}>
      <div class="gifs-top">
        <input
          ref={field}
          type="search"
          data-testid="gif-search"
          aria-label={strings.gifSearch}
          placeholder={strings.gifSearch}
          autocomplete="off"
          spellcheck={false}
          enterKeyHint="search"
          value={text}
          onInput={(event) => {
            const { value } = event.currentTarget
            setText(value)
            run(value)
          }}
          onKeyDown={onFieldKey}
        />
        <button type="button" class="x" aria-label={strings.gifsClose} data-testid="gifs-close" onClick={onClose}>
          <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </div>
      {/* Stays in the document even when empty: screen readers announce changes to a region they know. */}
      <p class="gifs-said" role="status" data-testid="gif-status">
        {said}
      </p>
      {status === 'failed' && (
        <p class="gifs-said" role="alert" data-testid="gif-error">
          {strings.gifsError}{' '}
          <button type="button" class="cta" data-testid="gif-retry" onClick={() => ask(query, shown.next && results.length ? shown.next : undefined)}>
            {strings.retry}
          </button>
        </p>
      )}
      <div
        class="gif-grid"
        ref={grid}
        role="group"
        aria-label={query ? fill(strings.gifsFound, query) : strings.gifsTrending}
        data-testid="gif-grid"
        onScroll={onScroll}
        onKeyDown={onGridKey}
      >
        {columns.map((column, c) => (
          <div class="gif-col" key={c}>
            {column.map((index) => {
              const gif = results[index]!
              const { url, width, height } = picture(gif)
              return (
                <button
                  type="button"
                  key={gif.id}
                  data-index={index}
                  data-testid="gif"
                  data-id={gif.id}
                  tabIndex={index === Math.min(active, results.length - 1) ? 0 : -1}
                  onFocus={() => setActive(index)}
                  onClick={() => onPick(gif)}
                >
                  <img src={url} alt={gif.title} width={width} height={height} loading="lazy" decoding="async" />
                </button>
              )
            })}
          </div>
        ))}
      </div>
      {provider.attribution && (
        <p class="gifs-by" data-testid="gif-attribution">
          {provider.attribution}
        </p>
      )}
    </div>
  )
}
