import { useLayoutEffect, useRef } from 'preact/hooks'
import { isBlank } from '../../util/text.js'
import { EmojiButton } from '../emoji/button.js'
import { useShortcodes } from '../emoji/use-shortcodes.js'
import { useThread } from '../thread.js'
import { GifButton, type GifButtonProps } from './gif-button.js'
import type { WidgetProps } from './props.js'

/**
 * The message field and send button. Enter sends, Shift+Enter starts a new line. Off, saying why,
 * while the newest message waits for a chosen answer (`blockComposer`).
 */
export function Composer(props: GifButtonProps & Pick<WidgetProps, 'emoji'>) {
  const { client, strings } = props
  const { blocked, shown } = useThread(client)
  const field = useRef<HTMLTextAreaElement>(null)
  const suggestions = useShortcodes(props, field)
  // Whether the visitor is typing in the field, read before this render turns it off (which drops
  // its focus). True at first: the pane mounts when it opens, which is when the visitor wants to type.
  const typing = useRef(true)
  if (field.current) typing.current = (field.current.getRootNode() as ShadowRoot).activeElement === field.current
  // The keys go to the field when the pane opens and when the field comes back on (after a chosen
  // answer, whose button has gone); to the answer the newest message waits for when the field turns
  // off under them. Before the frame is painted: what is typed from the first frame the pane shows
  // goes into the field.
  useLayoutEffect(() => {
    const input = field.current!
    if (!blocked) {
      // The field is always in view at the pane's foot: nothing to scroll, so no layout to force.
      if (typing.current || !(input.getRootNode() as ShadowRoot).activeElement) input.focus({ preventScroll: true })
    } else if (typing.current) {
      // The newest message, if it is drawn (the thread draws only what is near the view).
      const newest = shown[shown.length - 1]!.id
      const drawn = [...input.form!.parentElement!.querySelectorAll<HTMLElement>('.log>.msg')].find((el) => el.dataset.id === newest)
      drawn?.querySelector<HTMLElement>('button,input,select,textarea,a[href]')?.focus()
    }
  }, [blocked])
  const submit = (event?: Event) => {
    event?.preventDefault()
    const input = field.current!
    const text = input.value.trim()
    // Nothing to send, and nothing to clear: the field keeps what was typed.
    if (isBlank(text)) return
    input.value = ''
    // The conversation moves on: a search hit stays marked only until then.
    client.clearHighlight()
    // A send never rejects for network trouble (the message then shows as failed). When it does
    // reject (no conversation could be started), give the visitor their words back.
    client.send(text).catch(() => {
      if (!input.value) input.value = text
    })
  }
  return (
    <>
      {/* A live region present from the start, so the reason is announced as it appears. */}
      <div class="hint" role="status" id="cf-blocked">
        {blocked && <p data-testid="blocked">{strings.blocked}</p>}
      </div>
      <form class="composer" onSubmit={submit}>
        {suggestions}
        <EmojiButton {...props} field={field} disabled={blocked} />
        <GifButton {...props} disabled={blocked} />
        <textarea
          ref={field}
          rows={1}
          data-testid="composer"
          disabled={blocked}
          aria-describedby={blocked ? 'cf-blocked' : undefined}
          aria-label={strings.placeholder}
          placeholder={strings.placeholder}
          onKeyDown={(event) => {
            // While an IME composes (Japanese, Chinese …) Enter confirms the candidate, not the
            // message. Safari reports that last Enter with isComposing false but keyCode 229.
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) submit(event)
          }}
        />
        <button class="send" type="submit" data-testid="send" aria-label={strings.send} disabled={blocked}>
          <svg width="18" height="18" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
            <path d="M3 20l18-8L3 4v6l12 2-12 2z" />
          </svg>
        </button>
      </form>
    </>
  )
}
