import { useRef, useState } from 'preact/hooks'
import { cleanName } from '../../../media/names.js'
import { safeUrl } from '../../../render/url.js'
import type { ImagePart } from '../../../transports/types.js'
import type { UiProps } from '../props.js'

/**
 * The event an image's button sends up to the pane, which shows the image large (`detail`: the
 * part) and gives focus back to the button (the event's target) when the viewer closes.
 */
export const VIEW = 'confab-view'

/** Whether an image may move: a GIF, by its type or its name. */
const animated = (part: ImagePart, src: string) => part.mediaType === 'image/gif' || /\.gif$/i.test(part.name ?? new URL(src).pathname)

/**
 * An image, lazily loaded and decoded off the main thread, its place reserved before it loads (from
 * its width and height, else a placeholder box); a button that shows it large. Where the visitor
 * asked for less motion, a GIF shows its first frame, still, with a Play button.
 */
export function Image({ strings, part }: Pick<UiProps, 'strings'> & { part: ImagePart }) {
  const src = safeUrl(part.url, 'image')
  const canvas = useRef<HTMLCanvasElement>(null)
  // Read once: a GIF the visitor started keeps moving.
  const [still] = useState(() => !!src && animated(part, src) && !!globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches)
  const [playing, setPlaying] = useState(false)
  if (!src) return null
  const sized = part.width && part.height
  const alt = part.alt || (part.name && cleanName(part.name)) || strings.image
  /** The frame the image shows now (the first, once it has loaded), drawn on the canvas. */
  const freeze = (image: HTMLImageElement) => {
    const board = canvas.current!
    const context = board.getContext('2d')
    // Without a canvas to draw on, the GIF stays hidden behind its Play button rather than move.
    if (!context) return
    board.width = image.naturalWidth
    board.height = image.naturalHeight
    context.drawImage(image, 0, 0)
  }
  return (
    <div class={`img${sized ? '' : ' unsized'}${still && !playing ? ' still' : ''}`}>
      <button
        type="button"
        aria-haspopup="dialog"
        data-testid="image"
        onClick={(event) => event.currentTarget.dispatchEvent(new CustomEvent(VIEW, { bubbles: true, detail: part }))}
      >
        <img
          src={src}
          alt={alt}
          loading="lazy"
          decoding="async"
          width={part.width}
          height={part.height}
          style={sized ? { aspectRatio: `${part.width} / ${part.height}` } : undefined}
          onLoad={still ? (event) => freeze(event.currentTarget) : undefined}
        />
        {still && <canvas ref={canvas} hidden={playing} aria-hidden="true" />}
      </button>
      {still && (
        <button
          type="button"
          class="gif"
          data-testid="play"
          onClick={() => {
            // Paused where it is now: the canvas shows that frame.
            if (playing) freeze(canvas.current!.previousElementSibling as HTMLImageElement)
            setPlaying(!playing)
          }}
        >
          {playing ? strings.pause : strings.play}
        </button>
      )}
    </div>
  )
}
