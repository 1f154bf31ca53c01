import { useRef, useState } from 'preact/hooks'
import type { GifPickerModule } from '../gifs/load.js'
import type { PaneProps, UiProps } from './props.js'

/** What the composer's GIF button needs: the widget's provider and the picker's loader. */
export type GifButtonProps = UiProps & Partial<Pick<PaneProps, 'gifs' | 'loadGifs'>>

/**
 * The composer's GIF button, and the GIF panel it opens above the composer, whose code loads on
 * first use (`gifs/panel.tsx`). Shown only when the widget has a `gifs` provider and the transport
 * carries images. Escape closes the panel and gives focus back to the button; once a GIF is picked
 * (and sent), the keys go back to the message field.
 */
export function GifButton(props: GifButtonProps & { disabled?: boolean }) {
  const { client, strings, gifs, loadGifs } = props
  const [open, setOpen] = useState(false)
  // Undefined until loaded (or while loading again), null when loading failed.
  const [panel, setPanel] = useState<GifPickerModule | null>()
  const button = useRef<HTMLButtonElement>(null)
  if (!gifs || !loadGifs || !client.transport.capabilities.content?.includes('image')) return null
  const load = () => {
    // Before a Retry button goes away with the message that held it.
    button.current!.focus()
    setPanel(undefined)
    loadGifs().then(setPanel, () => setPanel(null))
  }
  const close = (picked?: boolean) => {
    setOpen(false)
    ;(picked ? button.current!.form!.querySelector('textarea')! : button.current!).focus()
  }
  return (
    <span
      class="gifw"
      onKeyDown={(event) => {
        // The panel's, not the pane's: the pane stays open.
        if (event.key === 'Escape' && open) {
          event.stopPropagation()
          close()
        }
      }}
    >
      <button
        ref={button}
        type="button"
        class="gifb"
        data-testid="gif-open"
        aria-label={strings.gif}
        aria-expanded={open}
        aria-haspopup="dialog"
        disabled={props.disabled}
        onClick={() => {
          if (open) return close()
          setOpen(true)
          if (!panel) load()
        }}
      >
        GIF
      </button>
      {open &&
        (panel ? (
          <panel.GifPanel {...props} gifs={gifs} onClose={close} />
        ) : (
          panel === null && (
            <p class="gifs" role="alert" data-testid="gif-failed">
              {strings.gifFailed}{' '}
              <button type="button" class="cta" onClick={load}>
                {strings.retry}
              </button>
            </p>
          )
        ))}
    </span>
  )
}
