import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Launcher } from '../launcher.js'
import type { LocaleSwitch } from '../locale.js'
import { loadGifPicker } from '../gifs/load.js'
import { loadMedia } from '../media/load.js'
import { loadPane, type PaneModule } from '../pane/load.js'
import { loadSearchView } from '../search/load.js'
import { whenIdle } from '../idle.js'
import { counted } from '../strings.js'
import { useStore } from '../use-store.js'
import type { PaneProps, WidgetProps } from './props.js'
import { SHOWN } from './shown.js'

/** The events that tell the visitor is about to use the launcher: time to load what opening it shows. */
const REACH = ['pointerenter', 'pointerdown', 'focus']

/**
 * The whole widget: the launcher (drawn without preact, see `launcher.ts`), kept up to date here,
 * and the pane while it is open. The pane's code loads apart from the widget's (`pane/load.ts`),
 * with the text of the widget's language beside it: when the browser is first idle after boot, or
 * at once when the visitor reaches for the launcher. Opened before it has arrived, the pane's frame
 * shows at once, saying it is loading, and the pane fills it on arrival; if the code cannot be
 * loaded (offline, a blocked script), the frame says so and offers Retry. Text that cannot be
 * loaded leaves the pane in English. The frame's `lang` and `dir` follow the language shown. Once
 * the pane's code is here, the announcer (`announcer.tsx`) reads new messages out beside the pane,
 * open or closed. However the pane closes, focus inside it goes back to the launcher.
 *
 * Once the pane's code is here and the browser is idle again, the pane is drawn ahead, closed: laid
 * out but invisible and inert, so that opening it only shows it (the click paints the composer with
 * the keys in it in the next frame); its thread comes at the idle moment after that (see
 * `pane.tsx`). Its parts learn that it shows from the frame's `SHOWN` event (see `shown.ts`). A pane
 * that closes goes, and is drawn ahead again at the next idle moment: it opens as a freshly opened
 * one would, its search and viewer closed.
 */
export function App({ launcher, locale, ...props }: Omit<WidgetProps, 'strings' | 'locale'> & { launcher: Launcher; locale: LocaleSwitch }) {
  const { client, timers } = props
  const text = useStore(locale.$text)
  const { strings } = text
  // Followed at once, not batched with other changes (as `useStore` does): the pane renders in the
  // task of the click that opens it, before the next frame.
  const [open, setOpen] = useState(client.$pane.get().open)
  const frame = useRef<HTMLDivElement>(null)
  const keys: PaneProps['keys'] = useRef(undefined)
  // The pane's code: undefined until it is here, null when loading it failed while the pane was open.
  const [pane, setPane] = useState<PaneModule | null>()
  // The pane's code and its text at once; the pane shows once both are here.
  const loadAll = () => Promise.all([loadPane(), locale.load().catch(() => undefined)]).then(([module]) => module)
  // A preload that fails says nothing: opening the pane tries again.
  const preload = () => loadAll().then(setPane, () => undefined)
  const load = () => {
    setPane(undefined)
    loadAll().then(setPane, () => setPane(null))
  }
  // The same function for the pane's whole life: a new one would draw the pane again on every change here.
  const [close] = useState(() => () => {
    client.close()
    launcher.button.focus()
  })
  // Drawn ahead: the pane is on the page, closed (see above). `drawn` counts the panes drawn, so that
  // one drawn after a close is a new one.
  const [ahead, setAhead] = useState(false)
  const [drawn, setDrawn] = useState(0)
  // During the first render, not after a paint: a visitor's click or focus may come right after.
  // The launcher follows the stores without rendering the pane again.
  useLayoutEffect(() => {
    const { button } = launcher
    const toggle = () => client.toggle()
    const show = () => {
      const { open, launcher: shown } = client.$pane.get()
      // Closed while focus was inside (Escape, its close button, the `close` command): the pane
      // would take it along to the page's <body>. The launcher that opened it has it back.
      if (!open && frame.current?.contains((button.getRootNode() as ShadowRoot).activeElement)) button.focus()
      setOpen(open)
      const unread = client.$unreadTotal.get()
      const { strings, locale: lang } = locale.$text.get()
      const label = unread ? `${strings.launcher} (${counted(strings.unread, unread, lang)})` : strings.launcher
      launcher.set({ open, hidden: !shown, unread, label, busy: false })
      // Its name is in the widget's language, which may not be the page's: screen readers say it so.
      button.lang = lang
    }
    button.addEventListener('click', toggle)
    for (const name of REACH) button.addEventListener(name, preload)
    const stops = [client.$pane.subscribe(show), client.$unreadTotal.subscribe(show), locale.$text.subscribe(show)]
    return () => {
      button.removeEventListener('click', toggle)
      for (const name of REACH) button.removeEventListener(name, preload)
      stops.forEach((stop) => stop())
    }
  }, [])
  useEffect(() => whenIdle(timers, preload), [])
  // Before the frame is painted, so a failure from an earlier try does not flash up.
  useLayoutEffect(() => {
    if (open && !pane) load()
    // A pane drawn ahead now shows: its parts take the keys and look at what is in view.
    if (open && ahead) frame.current!.dispatchEvent(new CustomEvent(SHOWN))
    else if (!open && ahead) {
      setAhead(false)
      setDrawn((count) => count + 1)
    }
  }, [open])
  // Draw the pane ahead once its code is here and the browser is idle (again, after a close).
  useEffect(() => {
    if (!pane || open || ahead) return
    const draw = () => client.$pane.get().open || setAhead(true)
    return whenIdle(timers, draw)
  }, [pane, open, ahead])
  // The pane's element stays the same while only `open` changes: showing it draws nothing again.
  const content = useMemo(
    () =>
      pane && (
        <pane.Pane {...props} strings={strings} locale={text.locale} onClose={close} frame={frame} keys={keys} loadSearch={loadSearchView} loadGifs={loadGifPicker} loadMedia={loadMedia} />
      ),
    [pane, strings, text.locale]
  )
  // Beside the pane, not in it: new messages are read out with the pane closed too.
  const announcer = pane && <pane.Announcer client={client} strings={strings} />
  return (
    <>
      {announcer}
      {(open || ahead) && (
        <div
          key={drawn}
          ref={frame}
          // Focusable while the pane's code is missing, so focus stays in the pane when Retry goes away.
          tabIndex={pane ? undefined : -1}
          class="pane"
          data-closed={open ? undefined : ''}
          inert={!open}
          role="dialog"
          aria-label={strings.title}
          lang={text.locale}
          dir={text.dir}
          data-testid={open ? (pane ? 'pane' : 'pane-frame') : undefined}
          onKeyDown={(event) => {
            if (keys.current) keys.current(event)
            else if (event.key === 'Escape') {
              event.stopPropagation()
              close()
            }
          }}
        >
          {pane ? (
            content
          ) : pane === null ? (
            <p class="empty" role="alert">
              {strings.paneFailed}
              <br />
              <button
                class="cta"
                onClick={() => {
                  frame.current!.focus()
                  load()
                }}
              >
                {strings.retry}
              </button>
            </p>
          ) : (
            <p class="empty" role="status">
              {strings.loading}
            </p>
          )}
        </div>
      )}
    </>
  )
}
