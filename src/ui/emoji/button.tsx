import type { RefObject } from 'preact'
import { useRef, useState } from 'preact/hooks'
import type { UiProps, WidgetProps } from '../components/props.js'
import type { EmojiKit } from './source.js'

/** Props of the composer's emoji button: the widget's emoji source and the field it types into. */
export interface EmojiButtonProps extends UiProps, Pick<WidgetProps, 'emoji'> {
  field: RefObject<HTMLTextAreaElement | null>
  disabled?: boolean
}

/**
 * The composer's emoji button and, while open, the picker above the composer (`EmojiPicker`: it
 * puts a chosen emoji in at the field's caret). The picker's code and data load when the button is
 * first pressed: nothing shows until they have; if they cannot be loaded, a line says so with Retry.
 */
export function EmojiButton(props: EmojiButtonProps) {
  const { strings } = props
  const [open, setOpen] = useState(false)
  // The picker's code and data: undefined until they are here, null when loading them failed.
  const [kit, setKit] = useState<EmojiKit | null>()
  const button = useRef<HTMLButtonElement>(null)
  const load = () => {
    setKit(undefined)
    props.emoji().then(setKit, () => setKit(null))
  }
  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) button.current!.focus()
  }
  return (
    <>
      <button
        ref={button}
        type="button"
        class="emo-open"
        data-testid="emoji-open"
        aria-label={strings.emoji}
        aria-haspopup="dialog"
        aria-expanded={open}
        disabled={props.disabled}
        onClick={() => {
          if (open) return close(false)
          setOpen(true)
          if (!kit) load()
        }}
      >
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" aria-hidden="true">
          <circle cx="12" cy="12" r="9" />
          <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
        </svg>
      </button>
      {open &&
        (kit ? (
          <kit.module.EmojiPicker client={props.client} strings={strings} index={kit.index} field={props.field} anchor={button.current} onClose={close} />
        ) : (
          kit === null && (
            <p class="bar emo-failed" role="alert">
              {strings.emojiFailed}
              <button type="button" class="cta" onClick={load}>
                {strings.retry}
              </button>
            </p>
          )
        ))}
    </>
  )
}
