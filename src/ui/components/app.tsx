import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Launcher } from '../launcher.js'
import type { LocaleSwitch } from '../locale.js'
import { loadGifPicker } from '../gifs/load.js'
import { loadMedia } from '../media/load.js'
import { loadPane, type PaneModule } from '../pane/load.js'
import { loadSearchView } from '../search/load.js'
import { counted } from '../strings.js'
import { useStore } from '../use-store.js'
import type { PaneProps, WidgetProps } from './props.js'

/**
 * The longest the pane's code waits for an idle browser after boot before it loads anyway; where
 * there is no `requestIdleCallback` (Safari), how long it waits.
 */
const IDLE = 2000

/** The events that tell the visitor is about to use the launcher: time to load what opening it shows. */
const REACH = ['pointerenter', 'pointerdown', 'focus']

/**
 * The whole widget: the launcher (drawn without preact, see `launcher.ts`), kept up to date here,
 * and the pane while it is open. The pane's code loads apart from the widget's (`pane/load.ts`),
 * with the text of the widget's language beside it: when the browser is first idle after boot, or
 * at once when the visitor reaches for the launcher. Opened before it has arrived, the pane's frame
 * shows at once, saying it is loading, and the pane fills it on arrival; if the code cannot be
 * loaded (offline, a blocked script), the frame says so and offers Retry. Text that cannot be
 * loaded leaves the pane in English. The frame's `lang` and `dir` follow the language shown.
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
  const close = () => {
    client.close()
    // Closing from inside the pane would drop focus on the page's <body>: hand it to the launcher.
    launcher.button.focus()
  }
  // During the first render, not after a paint: a visitor's click or focus may come right after.
  // The launcher follows the stores without rendering the pane again.
  useLayoutEffect(() => {
    const { button } = launcher
    const toggle = () => client.toggle()
    const show = () => {
      const { open, launcher: shown } = client.$pane.get()
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
  useEffect(() => {
    const { requestIdleCallback: idle, cancelIdleCallback: cancel } = globalThis
    if (!idle) {
      const timer = timers.setTimeout(preload, IDLE)
      return () => timers.clearTimeout(timer)
    }
    const handle = idle(preload, { timeout: IDLE })
    return () => cancel(handle)
  }, [])
  // Before the frame is painted, so a failure from an earlier try does not flash up.
  useLayoutEffect(() => {
    if (open && !pane) load()
  }, [open])
  if (!open) return null
  return (
    <div
      ref={frame}
      // Focusable while the pane's code is missing, so focus stays in the pane when Retry goes away.
      tabIndex={pane ? undefined : -1}
      class="pane"
      role="dialog"
      aria-label={strings.title}
      lang={text.locale}
      dir={text.dir}
      data-testid={pane ? 'pane' : 'pane-frame'}
      onKeyDown={(event) => {
        if (keys.current) keys.current(event)
        else if (event.key === 'Escape') {
          event.stopPropagation()
          close()
        }
      }}
    >
      {pane ? (
        <pane.Pane {...props} strings={strings} locale={text.locale} onClose={close} frame={frame} keys={keys} loadSearch={loadSearchView} loadGifs={loadGifPicker} loadMedia={loadMedia} />
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
  )
}
