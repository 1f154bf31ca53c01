import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { loadPane, type PaneModule } from '../pane/load.js'
import { loadSearchView } from '../search/load.js'
import { useStore } from '../use-store.js'
import { Launcher } from './launcher.js'
import type { PaneProps, WidgetProps } from './props.js'

/**
 * The longest the pane's code waits for an idle browser after boot before it loads anyway; where
 * there is no `requestIdleCallback` (Safari), how long it waits.
 */
const IDLE = 2000

/**
 * The whole widget: the launcher, and the pane while it is open. The pane's code loads apart from
 * the widget's (`pane/load.ts`): when the browser is first idle after boot, or at once when the
 * visitor reaches for the launcher. Opened before it has arrived, the pane's frame shows at once,
 * saying it is loading, and the pane fills it on arrival; if the code cannot be loaded (offline, a
 * blocked script), the frame says so and offers Retry.
 */
export function App(props: WidgetProps) {
  const { client, strings, timers } = props
  const { open } = useStore(client.$pane)
  const launcher = useRef<HTMLButtonElement>(null)
  const frame = useRef<HTMLDivElement>(null)
  const keys: PaneProps['keys'] = useRef(undefined)
  // The pane's code: undefined until it is here, null when loading it failed while the pane was open.
  const [pane, setPane] = useState<PaneModule | null>()
  // A preload that fails says nothing: opening the pane tries again.
  const preload = () => loadPane().then(setPane, () => undefined)
  const load = () => {
    setPane(undefined)
    loadPane().then(setPane, () => setPane(null))
  }
  const close = () => {
    client.close()
    // Closing from inside the pane would drop focus on the page's <body>: hand it to the launcher.
    launcher.current?.focus()
  }
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
  return (
    <>
      <Launcher {...props} button={launcher} onReach={preload} />
      {open && (
        <div
          ref={frame}
          // Focusable while the pane's code is missing, so focus stays in the pane when Retry goes away.
          tabIndex={pane ? undefined : -1}
          class="pane"
          role="dialog"
          aria-label={strings.title}
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
            <pane.Pane {...props} onClose={close} frame={frame} keys={keys} loadSearch={loadSearchView} />
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
