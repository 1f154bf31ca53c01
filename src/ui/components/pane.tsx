import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { ImagePart } from '../../transports/types.js'
import { whenIdle } from '../idle.js'
import type { MediaModule } from '../media/load.js'
import { css } from '../pane/styles.js'
import { adopt } from '../sheet.js'
import { paneStrings } from '../pane/strings.js'
import { useFrameStore } from '../use-frame-store.js'
import { Composer } from './composer.js'
import { ConversationList } from './conversation-list.js'
import { Header } from './header.js'
import { MessageList } from './message-list.js'
import { VIEW } from './parts/image.js'
import type { PaneProps, UiProps } from './props.js'
import { SHOWN } from './shown.js'
import { Typing } from './typing.js'
import { getMedia } from './use-media.js'

/** The image the viewer shows, the button that opened it, and the viewer's code. */
interface Viewing {
  part: ImagePart
  opener: HTMLElement
  media: MediaModule
}

/** The loaded search view's module; without `SearchView` when it could not be loaded. */
type SearchModule = Partial<Awaited<ReturnType<PaneProps['loadSearch']>>>

/**
 * What the pane's frame holds once the pane's code has loaded (see `pane/load.ts`): the header,
 * then either the conversation list (messaging mode, no thread open) or the open conversation:
 * messages, typing indicator and composer, and the viewer of an image when one is opened. Search (the header button, Ctrl/Cmd+K, or "/" outside a
 * text field) shows the search view in their place, loaded on first use; Escape there goes back.
 * Uses only the hooks `confab.js` shares with its companions (see `ui/companions.ts`).
 */
export function Pane(widget: PaneProps) {
  // The pane's text: its English defaults, then what the widget was given (its language, the page's
  // overrides). The same object until the widget's text changes (another language), so that the
  // thread's messages, drawn with it, are not drawn again when the pane renders.
  const text = useRef<[given: PaneProps['strings'], strings: UiProps['strings']]>(undefined)
  if (text.current?.[0] !== widget.strings) text.current = [widget.strings, { ...paneStrings, ...widget.strings }]
  const strings = text.current[1]
  const props: UiProps & PaneProps = { ...widget, strings }
  const { client } = props
  const id = useFrameStore(client.$activeId)
  // Whether there are conversations, not the list: a message moves its conversation up the list.
  const listed = useFrameStore(client.$conversations, (list) => list.length > 0)
  const { persistent, reason } = useFrameStore(client.$storage)
  // Set once the view has loaded (nothing changes on screen while it loads), or has failed to.
  const [search, setSearch] = useState<SearchModule>()
  const searchButton = useRef<HTMLButtonElement>(null)
  // Before the first paint, so nothing shows unstyled.
  useLayoutEffect(() => adopt(props.frame.current!.getRootNode() as ShadowRoot, css), [])
  // A pane drawn ahead, closed (see `app.tsx`), draws its header and composer first and its thread
  // or conversation list at the next idle moment, or as it shows if that comes first (before the
  // frame is painted): neither task holds the page's main thread long. An open pane draws all at once.
  const [later, setLater] = useState(() => !client.$pane.get().open)
  // Whether the pane showed while its thread waited: its parts are told again once the thread is in.
  const retell = useRef(false)
  // From the render that draws it, not after a paint: the visitor may open the pane in between.
  useLayoutEffect(() => {
    if (!later) return
    const frame = props.frame.current!
    // The frame's first listener (capture, on the frame itself): the parts hear that the pane shows
    // only once the thread is there, where a blocked composer's answer takes the keys.
    const shown = (event: Event) => {
      event.stopImmediatePropagation()
      retell.current = true
      setLater(false)
    }
    frame.addEventListener(SHOWN, shown, true)
    const cancel = whenIdle(props.timers, () => setLater(false))
    return () => {
      frame.removeEventListener(SHOWN, shown, true)
      cancel()
    }
  }, [later])
  // After the thread's own layout effects (read marks listen from there), still before a paint.
  useLayoutEffect(() => {
    if (later || !retell.current) return
    retell.current = false
    props.frame.current!.dispatchEvent(new CustomEvent(SHOWN))
  }, [later])
  // Messages that arrive while the tab is hidden count as unread even with the pane open: tell the
  // client when the visitor comes back, and as the pane shows, so it clears them.
  useEffect(() => {
    const page = props.frame.current!.ownerDocument
    const seen = () => client.visibilityChanged()
    seen()
    page.addEventListener('visibilitychange', seen)
    return () => page.removeEventListener('visibilitychange', seen)
  }, [])
  // A phone's pane covers the screen (`styles.ts`), as tall as the visual viewport, which the
  // on-screen keyboard shrinks (in Safari, and in Chrome without `interactive-widget=resizes-content`
  // in the page's viewport meta) while the layout viewport the pane is fixed in stays: the composer
  // stays above the keyboard. Not while pinch-zoomed in: the reader zooms into the pane as laid out.
  // Covering the page, the pane is modal: the page behind it cannot be seen, so focus stays in it.
  useEffect(() => {
    const frame = props.frame.current!
    const win = frame.ownerDocument.defaultView
    const viewport = win?.visualViewport
    if (!viewport) return
    const fit = () => {
      // Only while something covers the layout viewport's foot: else the stylesheet's own height,
      // without the fraction of a pixel the visual viewport may differ by.
      const keyboard = viewport.scale < 1.01 && viewport.height < win.innerHeight - 1
      frame.style.setProperty('--vh', keyboard ? `${viewport.height}px` : '')
      frame.style.setProperty('--vt', keyboard ? `${viewport.offsetTop}px` : '')
      frame.setAttribute('aria-modal', String(frame.offsetWidth >= win.innerWidth))
    }
    fit()
    viewport.addEventListener('resize', fit)
    viewport.addEventListener('scroll', fit)
    return () => {
      viewport.removeEventListener('resize', fit)
      viewport.removeEventListener('scroll', fit)
    }
  }, [])
  const [viewing, setViewing] = useState<Viewing>()
  // An image's button asks for the viewer (see `parts/image.tsx`), whose code loads on first use.
  useEffect(() => {
    const frame = props.frame.current!
    const view = (event: Event) => {
      const { detail: part, target } = event as CustomEvent<ImagePart>
      getMedia(props.loadMedia).then((media) => setViewing({ part, opener: target as HTMLElement, media }), () => undefined)
    }
    frame.addEventListener(VIEW, view)
    return () => frame.removeEventListener(VIEW, view)
  }, [])
  const openSearch = () => props.loadSearch().then(setSearch, () => setSearch({}))
  const closeSearch = () => {
    searchButton.current!.focus()
    setSearch(undefined)
  }
  props.keys.current = (event) => {
    const { key } = event
    if (key === 'Escape') {
      event.stopPropagation()
      if (search) closeSearch()
      else props.onClose()
    } else if (((event.ctrlKey || event.metaKey) && /^k$/i.test(key)) || (key === '/' && !('selectionStart' in event.target!))) {
      // "/" only outside text fields (inputs and textareas have a selection). Ctrl+K would
      // otherwise move focus to the browser's own search.
      event.preventDefault()
      void openSearch()
    } else if (key === 'Tab' && !event.defaultPrevented && props.frame.current!.getAttribute('aria-modal') === 'true') {
      // Round the pane's controls (the image viewer goes round its own, and says so by preventing the default).
      const frame = props.frame.current!
      const stops = [...frame.querySelectorAll<HTMLElement>('a[href],button,input,select,textarea,[tabindex]')].filter(
        (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0
      )
      const active = (frame.getRootNode() as ShadowRoot).activeElement
      if (active === (event.shiftKey ? stops[0] : stops[stops.length - 1])) {
        event.preventDefault()
        stops[event.shiftKey ? stops.length - 1 : 0]!.focus()
      }
    }
  }
  return (
    <>
      <Header {...props} onSearch={openSearch} searchButton={searchButton} />
      {/* Before the cache is opened nothing is known yet: only a real reason is worth a word. */}
      {!persistent && reason !== 'not opened yet' && (
        <p class="bar" data-testid="storage-notice" title={reason}>
          {strings.notSaved}
        </p>
      )}
      {/*
        Before the list or thread, which the view's stylesheet hides (`.search~*`) rather than this
        pane unmounting them: closing the search returns to the same place, scroll position and all.
      */}
      {search &&
        (search.SearchView ? (
          <search.SearchView {...props} onClose={closeSearch} />
        ) : (
          <p class="bar" role="alert">
            {strings.searchFailed}
            <button class="cta" onClick={openSearch}>
              {strings.retry}
            </button>
          </p>
        ))}
      {client.mode === 'messaging' && id === null && listed ? (
        !later && <ConversationList {...props} />
      ) : (
        <>
          {/* Holes while they wait keep the composer where it is: it is not drawn again. */}
          {!later && <MessageList {...props} />}
          {!later && <Typing {...props} />}
          <Composer {...props} />
        </>
      )}
      {viewing && <viewing.media.Viewer strings={strings} part={viewing.part} opener={viewing.opener} onClose={() => setViewing(undefined)} />}
    </>
  )
}
