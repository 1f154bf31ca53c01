import { useLayoutEffect, useRef } from 'preact/hooks'
import { cleanName } from '../../media/names.js'
import { safeUrl } from '../../render/url.js'
import type { ImagePart } from '../../transports/types.js'
import { Name } from '../components/parts/name.js'
import type { UiProps } from '../components/props.js'
import { useMediaStyles } from './styles.js'

/** What {@link Viewer} shows, and what to give focus back to when it closes. */
export interface ViewerProps extends Pick<UiProps, 'strings'> {
  part: ImagePart
  opener: HTMLElement | null
  onClose(): void
}

/**
 * An image shown large, in a modal dialog of the widget's shadow root: its name, a link that
 * downloads it and a close button. The rest of the page is inert while it shows (`showModal`) and
 * Tab goes round its controls; Escape, the close button or a click beside the image close it, and
 * focus goes back to the image that opened it.
 */
export function Viewer({ strings, part, opener, onClose }: ViewerProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  useMediaStyles(dialog)
  useLayoutEffect(() => {
    const element = dialog.current!
    element.showModal()
    element.querySelector<HTMLElement>('.x')!.focus()
    return () => {
      element.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  const src = safeUrl(part.url, 'image')!
  const name = cleanName(part.name || part.alt || strings.image)
  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      // Only the viewer closes, not the pane around it.
      event.preventDefault()
      event.stopPropagation()
      onClose()
    } else if (event.key === 'Tab') {
      const controls = [...dialog.current!.querySelectorAll<HTMLElement>('a,button')]
      const [first, last] = [controls[0]!, controls[controls.length - 1]!]
      const active = (dialog.current!.getRootNode() as ShadowRoot).activeElement
      if (event.shiftKey ? active === first : active === last) {
        event.preventDefault()
        ;(event.shiftKey ? last : first).focus()
      }
    }
  }
  return (
    <dialog
      ref={dialog}
      class="viewer"
      aria-label={name}
      data-testid="viewer"
      onKeyDown={keys}
      // Escape as the browser reports it to a modal dialog.
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose()
      }}
    >
      <div class="vbar">
        <Name name={name} max={60} />
        <a href={src} download={name} target="_blank" rel="noopener noreferrer">
          {strings.download}
        </a>
        <button type="button" class="x" aria-label={strings.close} onClick={onClose} data-testid="viewer-close">
          <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </div>
      <img src={src} alt={part.alt || name} width={part.width} height={part.height} />
    </dialog>
  )
}
