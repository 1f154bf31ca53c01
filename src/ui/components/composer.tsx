import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Attachment } from '../../client/index.js'
import { isBlank } from '../../util/text.js'
import { useDraft } from '../draft.js'
import { EmojiButton } from '../emoji/button.js'
import { useShortcodes } from '../emoji/use-shortcodes.js'
import type { Prepared } from '../media/attach.js'
import { useThread } from '../thread.js'
import { useFrameStore } from '../use-frame-store.js'
import { GifButton, type GifButtonProps } from './gif-button.js'
import type { PaneProps, WidgetProps } from './props.js'
import { isShown, useShown } from './shown.js'
import { useMedia } from './use-media.js'

/**
 * The message field and send button. Enter sends, Shift+Enter starts a new line. Off, saying why,
 * while the newest message waits for a chosen answer (`blockComposer`). The agent sees the visitor
 * typing while the field holds a draft and has the keys (see `client.typing()`).
 *
 * Where the transport takes uploads and the session says what it accepts (`uploadLimits`), files go
 * with the message: chosen with the paperclip button, dropped on the pane or pasted (an image alone
 * on the clipboard, such as a screenshot). They show above the field, each with a button that
 * removes it, once prepared on the device (photos scaled and stripped of their metadata, see
 * `prepareFiles`); the text becomes their caption. What preparing or sending refused shows above the
 * field, and the draft stays. The ways to attach come with the media module (`media/attach.tsx`),
 * loaded as the composer shows; their place is kept meanwhile.
 */
export function Composer(props: GifButtonProps & Pick<WidgetProps, 'emoji'> & Pick<PaneProps, 'frame' | 'loadMedia'>) {
  const { client, strings, frame, loadMedia } = props
  const { blocked, shown } = useThread(client)
  const field = useRef<HTMLTextAreaElement>(null)
  const suggestions = useShortcodes(props, field)
  const limits = useFrameStore(client.$session, (session) => session?.uploadLimits)
  const uploads = client.transport.capabilities.uploads && !!limits && !blocked
  const media = useMedia(loadMedia, uploads, frame)
  const [files, setFiles] = useState<readonly Attachment[]>([])
  const [problem, setProblem] = useState<string>()
  // Files being prepared: the message waits for them (Enter does nothing meanwhile; the draft stays).
  const [preparing, setPreparing] = useState(0)
  // Whether the visitor is typing in the field, read before this render turns it off (which drops
  // its focus). True at first: the pane mounts when it opens, which is when the visitor wants to type.
  const typing = useRef(true)
  if (field.current) typing.current = (field.current.getRootNode() as ShadowRoot).activeElement === field.current
  // The keys go to the field when the pane opens (drawn then, or drawn ahead and shown) and when the
  // field comes back on (after a chosen answer, whose button has gone); to the answer the newest
  // message waits for when the field turns off under them. Before the frame is painted: what is
  // typed from the first frame the pane shows goes into the field. (In a pane drawn ahead, still
  // closed and inert, nothing takes focus, and nothing asks it to: `focus()` brings style up to date.)
  const takeKeys = () => {
    const input = field.current!
    if (!isShown(input)) return
    if (!blocked) {
      // The field is always in view at the pane's foot: nothing to scroll, so no layout to force.
      if (typing.current || !(input.getRootNode() as ShadowRoot).activeElement) input.focus({ preventScroll: true })
    } else if (typing.current) {
      // The newest message, if it is drawn (the thread draws only what is near the view).
      const newest = shown[shown.length - 1]!.id
      const drawn = [...input.form!.parentElement!.querySelectorAll<HTMLElement>('.log>.msg')].find((el) => el.dataset.id === newest)
      drawn?.querySelector<HTMLElement>('button,input,select,textarea,a[href]')?.focus()
    }
  }
  useLayoutEffect(takeKeys, [blocked])
  useShown(frame, () => {
    typing.current = true
    takeKeys()
  })
  useDraft(client, field)
  // The pane closed or the thread list came back: the visitor no longer types here.
  useEffect(() => () => client.stopTyping(), [])
  const take = (prepared: Prepared) => {
    setProblem(undefined)
    setPreparing((count) => count + 1)
    prepared
      .then(({ attachments, problems }) => {
        setFiles((now) => [...now, ...attachments])
        setProblem(problems.join('\n') || undefined)
      })
      .finally(() => setPreparing((count) => count - 1))
  }
  const submit = (event?: Event) => {
    event?.preventDefault()
    const input = field.current!
    const text = input.value.trim()
    const sending = files
    // Nothing to send, and nothing to clear: the field keeps what was typed.
    if ((isBlank(text) && !sending.length) || preparing) return
    input.value = ''
    setFiles([])
    setProblem(undefined)
    // The conversation moves on: a search hit stays marked only until then.
    client.clearHighlight()
    // A send never rejects for network trouble (the message then shows as failed). When it does
    // reject (no conversation could be started, a file refused), give the visitor their draft back.
    client.send(sending.length ? { text, files: sending } : text).catch((error: Error) => {
      if (!input.value) input.value = text
      setFiles((now) => (now.length ? now : sending))
      setProblem(error.message)
    })
  }
  return (
    <>
      {/* A live region present from the start, so the reason is announced as it appears. */}
      <div class="hint" role="status" id="cf-blocked">
        {blocked ? <p data-testid="blocked">{strings.blocked}</p> : preparing > 0 && <p data-testid="preparing">{strings.preparing}</p>}
      </div>
      {problem && (
        <p class="error problem" role="alert" data-testid="composer-error">
          {problem}
        </p>
      )}
      {media && files.length > 0 && (
        <media.Previews
          strings={strings}
          locale={props.locale}
          files={files}
          onRemove={(file) => {
            setFiles((now) => now.filter((other) => other !== file))
            // Its button goes: the keys go back to the field.
            field.current!.focus()
          }}
        />
      )}
      <form class="composer" onSubmit={submit}>
        {suggestions}
        {uploads &&
          (media ? (
            <media.Attach strings={strings} limits={limits!} field={field} onFiles={take} />
          ) : (
            <span class="attach" aria-hidden="true" />
          ))}
        <EmojiButton {...props} field={field} disabled={blocked} />
        <GifButton {...props} disabled={blocked} />
        <textarea
          ref={field}
          rows={1}
          // What the visitor types reads in its own direction (Arabic in an English pane), as it will in the thread.
          dir="auto"
          data-testid="composer"
          disabled={blocked}
          aria-describedby={blocked ? 'cf-blocked' : undefined}
          aria-label={strings.placeholder}
          placeholder={strings.placeholder}
          // The agent sees "typing…" while there is a draft (the client spaces out what it tells).
          onInput={(event) => (isBlank(event.currentTarget.value) ? client.stopTyping() : client.typing())}
          onBlur={() => client.stopTyping()}
          onKeyDown={(event) => {
            // While an IME composes (Japanese, Chinese …) Enter confirms the candidate, not the
            // message. Safari reports that last Enter with isComposing false but keyCode 229.
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) submit(event)
          }}
        />
        <button class="send" type="submit" data-testid="send" aria-label={strings.send} disabled={blocked || preparing > 0}>
          <svg class="flip" width="18" height="18" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
            <path d="M3 20l18-8L3 4v6l12 2-12 2z" />
          </svg>
        </button>
      </form>
      {uploads && media && <media.DropZone strings={strings} limits={limits!} frame={frame} onFiles={take} />}
    </>
  )
}
