import { useEffect, useState } from 'preact/hooks'
import type { Gif, GifProvider, GifProviderSource } from '../../gifs/types.js'
import type { VisitorContent } from '../../transports/types.js'
import type { UiProps } from '../components/props.js'
import { gifStrings } from './strings.js'
import { GifPicker } from './picker.js'

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

/** What the composer's GIF button hands its panel. */
export interface GifPanelProps extends UiProps {
  gifs: GifProviderSource
  /** Close the panel; `picked`: a GIF was sent, and the keys go back to the message field. */
  onClose(picked?: boolean): void
}

/**
 * What the composer's GIF button opens (`components/gif-button.tsx`): the picker over the widget's
 * provider, made first when the widget was given a function that makes one; a picked GIF is sent as
 * the visitor's message ({@link gifMessage}).
 */
export function GifPanel(props: GifPanelProps) {
  const { client, gifs, onClose } = props
  // Undefined while it is made, null when making it failed.
  const [provider, setProvider] = useState<GifProvider | null | undefined>(typeof gifs === 'function' ? undefined : gifs)
  const make = () => {
    setProvider(undefined)
    ;(gifs as () => Promise<GifProvider>)().then(setProvider, () => setProvider(null))
  }
  useEffect(() => {
    if (provider === undefined) make()
  }, [])
  if (!provider) {
    return provider === null ? (
      <p class="gifs" role="alert" data-testid="gif-failed">
        {props.strings.gifsError ?? gifStrings.gifsError}{' '}
        <button type="button" class="cta" onClick={make}>
          {props.strings.retry}
        </button>
      </p>
    ) : null
  }
  return (
    <GifPicker
      strings={props.strings}
      locale={props.locale}
      provider={provider}
      onClose={() => onClose()}
      onPick={(gif) => {
        onClose(true)
        client.clearHighlight()
        // As a typed message: a network failure shows it as failed, with Retry.
        client.send(gifMessage(gif)).catch(() => undefined)
      }}
    />
  )
}
