import { useRef, useState } from 'preact/hooks'
import type { Gif, GifProvider } from '../../gifs/types.js'
import type { VisitorContent } from '../../transports/types.js'
import type { GifPickerModule } from '../gifs/load.js'
import type { PaneProps, UiProps } from './props.js'

/** What the composer's GIF button needs: the widget's provider and the picker's loader. */
export type GifButtonProps = UiProps & Partial<Pick<PaneProps, 'gifs' | 'loadGifs'>>

/** Markdown's own characters in a title, escaped so that it shows as written. */
const escape = (text: string) => text.replace(/[\\`*_~[\]]/g, '\\$&')

/**
 * The message a picked GIF becomes: an image part (`alt` its title), and a text that says it in
 * words, linking the GIF's page at the provider (its attribution) when there is one. A backend that
 * carries no images gets the text alone.
 *
 * @example
 * gifMessage(gif) // { text: 'GIF: [Thanks](https://tenor.com/view/…)', parts: [{ type: 'image', … }] }
 */
export function gifMessage(gif: Gif): VisitorContent {
  const title = escape(gif.title)
  return {
    text: `GIF: ${gif.source ? `[${title}](${gif.source})` : title}`,
    parts: [{ type: 'image', url: gif.url, width: gif.width, height: gif.height, alt: gif.title.slice(0, 255), mediaType: 'image/gif' }]
  }
}

/**
 * The composer's GIF button and the picker it opens above the composer, loaded on first use (with
 * the provider, when the widget was given a function that makes one). Shown only when the widget
 * has a `gifs` provider and the transport carries images. Escape closes the picker and gives focus
 * back to the button; a picked GIF is sent at once and the keys go back to the message field.
 */
export function GifButton(props: GifButtonProps & { disabled?: boolean }) {
  const { client, strings, gifs, loadGifs, disabled } = props
  const [open, setOpen] = useState(false)
  // Undefined until loaded (or while loading again), null when loading failed.
  const [picker, setPicker] = useState<{ module: GifPickerModule; provider: GifProvider } | null>()
  const button = useRef<HTMLButtonElement>(null)
  if (!gifs || !loadGifs || !client.transport.capabilities.content?.includes('image')) return null
  const load = () => {
    setPicker(undefined)
    Promise.all([loadGifs(), typeof gifs === 'function' ? gifs() : gifs]).then(
      ([module, provider]) => setPicker({ module, provider }),
      () => setPicker(null)
    )
  }
  const close = () => {
    setOpen(false)
    button.current!.focus()
  }
  const pick = (gif: Gif) => {
    setOpen(false)
    button.current!.form?.querySelector('textarea')?.focus()
    client.clearHighlight()
    // As a typed message: a network failure shows it as failed, with Retry.
    client.send(gifMessage(gif)).catch(() => undefined)
  }
  return (
    <span
      class="gifw"
      onKeyDown={(event) => {
        // The picker's, not the pane's: the pane stays open.
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
        disabled={disabled}
        onClick={() => {
          if (open) return close()
          setOpen(true)
          if (!picker) load()
        }}
      >
        GIF
      </button>
      {open &&
        (picker ? (
          <picker.module.GifPicker strings={strings} provider={picker.provider} onPick={pick} onClose={close} />
        ) : (
          picker === null && (
            <p class="gifs" role="alert" data-testid="gif-failed">
              {strings.gifFailed}{' '}
              <button
                type="button"
                class="cta"
                onClick={() => {
                  // Before the Retry button goes away with the message.
                  button.current!.focus()
                  load()
                }}
              >
                {strings.retry}
              </button>
            </p>
          )
        ))}
    </span>
  )
}
