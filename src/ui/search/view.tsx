import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { SearchResult } from '../../store/index.js'
import type { UiProps } from '../components/props.js'
import { when } from '../format.js'
import { adopt } from '../sheet.js'
import { counted, fill, searchStrings, type EmojiStrings, type GifStrings, type Strings } from '../strings.js'
import { useStore } from '../use-store.js'
import { groupByThread } from './group.js'
import { marked } from './marked.js'
import { css } from './styles.js'

/** Wait this long after the last keystroke: a search per word, not per letter. */
const DEBOUNCE = 120

/** Ids inside the widget's shadow root, which holds one search view at most. */
const LIST = 'confab-hits'
const option = (index: number) => `confab-hit-${index}`

/** Focus the field as it appears, with a kept query selected so typing replaces it. */
const focusField = (field: HTMLInputElement | null) => {
  field?.focus()
  field?.select()
}

/**
 * The search view: a field and the results from `$search`, grouped by thread. Arrow keys move the
 * active result while focus stays in the field (a listbox and `aria-activedescendant`); Enter or a
 * click opens the result's thread at the hit and closes the view. Escape is the pane's: it closes
 * the view. Loaded on first use, so it uses only the hooks `confab.js` shares with
 * `confab-search.js` (see `ui/companions.ts`) and imports no component of the widget.
 */
export function SearchView(props: UiProps & { onClose: () => void }) {
  const { client, locale, onClose } = props
  const strings: Omit<Strings, keyof GifStrings | keyof EmojiStrings> = { ...searchStrings, ...props.strings }
  const { query, status, archive, ...found } = useStore(client.$search)
  // Messages the page's `beforeDisplay` hides are not found either.
  const results = found.results.filter((result) => client.shown(result.message) !== null)
  const conversations = useStore(client.$conversations)
  // The last search is kept: coming back after a jump shows its results again.
  const [text, setText] = useState(query)
  // The search engine could not be loaded (the view could, from another chunk).
  const [failed, setFailed] = useState(false)
  // The active result stays active while archive results join; new results start at the first.
  const [active, setActive] = useState<SearchResult>()
  const view = useRef<HTMLDivElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)

  useLayoutEffect(() => adopt(view.current!.getRootNode() as ShadowRoot, css), [])
  useEffect(() => () => clearTimeout(timer.current), [])

  const groups = groupByThread(results, conversations)
  // In the order shown, which is what the arrow keys walk.
  const shown = groups.flatMap((group) => group.results)
  const at = (result?: SearchResult) => Math.max(0, result ? shown.indexOf(result) : 0)
  const index = at(active)
  // Keep the active result in sight as the arrow keys move it.
  useLayoutEffect(() => {
    view.current!.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [index, results])

  const typed = text.trim() !== ''
  const run = (value: string, wait = value.trim() ? DEBOUNCE : 0) => {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      client.search(value).catch(() => setFailed(true))
    }, wait)
  }
  const jump = (result: SearchResult) => {
    const pane = view.current!.parentElement!
    onClose()
    // Then the thread shows, the hit marked, ready for a reply. Opening it may fail offline: the
    // pane then shows what the device has.
    client.jumpTo(result.message).then(
      () => pane.querySelector('textarea')?.focus(),
      () => undefined
    )
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0
    if (step) {
      event.preventDefault()
      // From the active result as of the last key, which may not have rendered yet.
      if (shown.length) setActive((last) => shown[Math.min(Math.max(at(last) + step, 0), shown.length - 1)])
    } else if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault()
      // Enter within the pause before a search: search now rather than jump to stale results. (The
      // field itself says what it holds: the state may not have rendered yet.)
      const { value } = event.currentTarget as HTMLInputElement
      if (query !== value) run(value, 0)
      else if (status === 'done' && shown[index]) jump(shown[index])
    }
  }

  // What the status line says (and screen readers announce) about the search in the field.
  const said = !typed
    ? ''
    : failed
      ? strings.searchFailed
      : status === 'searching'
        ? strings.searching
        : status === 'idle'
          ? ''
          : results.length
            ? results.length === 1 && strings.searchCountOne
              ? strings.searchCountOne
              : counted(strings.searchCount, results.length, locale)
            : <span data-testid="search-none">{fill(strings.searchNone, query)}</span>
  // Options are numbered across groups, in the order shown.
  let n = 0
  return (
    <div class="search" ref={view} data-testid="search">
      <div class="find">
        <input
          ref={focusField}
          type="search"
          autofocus
          data-testid="search-input"
          aria-label={strings.search}
          placeholder={strings.search}
          autocomplete="off"
          spellcheck={false}
          enterKeyHint="search"
          aria-controls={LIST}
          aria-activedescendant={typed && shown.length ? option(index) : undefined}
          value={text}
          onInput={(event) => {
            const { value } = event.currentTarget
            setText(value)
            setFailed(false)
            run(value)
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      {/* Stays in the document even when empty: screen readers announce changes to a region they know. */}
      <p class="count" role="status" aria-live="polite" data-testid="search-status">
        {said}
      </p>
      <div class="hits">
        {!typed && (
          <p class="empty" data-testid="search-empty">
            {strings.searchHint}
          </p>
        )}
        <div role="listbox" id={LIST} aria-label={strings.search}>
          {typed &&
            groups.map((group, g) => (
              <ul
                key={group.conversationId}
                role="group"
                aria-labelledby={`${LIST}-${g}`}
                data-testid="search-group"
                data-conversation-id={group.conversationId}
              >
                <li role="presentation" id={`${LIST}-${g}`} class="gh">
                  {group.subject || strings.conversation}
                </li>
                {group.results.map((result) => {
                  const i = n++
                  const { message, source } = result
                  const { role, name } = message.author
                  return (
                    <li
                      key={message.id}
                      id={option(i)}
                      role="option"
                      aria-selected={i === index}
                      class="hit"
                      data-testid="search-result"
                      data-source={source}
                      data-message-id={message.id}
                      onClick={() => jump(result)}
                    >
                      <span class="meta">
                        <b>{role === 'visitor' ? strings.you : name ?? strings.agent}</b>
                        {' · '}
                        <time dateTime={new Date(message.createdAt).toISOString()}>{when(message.createdAt, locale)}</time>
                        {source === 'server' && (
                          <span class="tag" data-testid="search-archived">
                            {strings.fromArchive}
                          </span>
                        )}
                      </span>
                      <span class="snip">{marked(result.snippet)}</span>
                    </li>
                  )
                })}
              </ul>
            ))}
        </div>
      </div>
      {typed && (archive === 'searching' || archive === 'failed') && (
        <p class="meta" data-testid="search-archive">
          {archive === 'searching' ? strings.archiveSearching : strings.archiveFailed}
        </p>
      )}
    </div>
  )
}
