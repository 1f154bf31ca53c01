import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Attachment } from '../../client/index.js'
import { prepareFiles } from '../../media/prepare.js'
import type { UploadLimits } from '../../transports/types.js'
import type { PaneProps, UiProps } from '../components/props.js'
import { useMediaStyles } from './styles.js'

/** What {@link Attach} hands the composer: files being prepared, then those ready and why others were refused. */
export type Prepared = Promise<{ attachments: Attachment[]; problems: string[] }>

/** Where {@link Attach} and {@link DropZone} take files from, and whom they hand them to. */
export interface AttachProps extends Pick<UiProps, 'strings'> {
  limits: UploadLimits
  /** The message field: an image pasted into it is taken. */
  field: RefObject<HTMLTextAreaElement | null>
  onFiles(prepared: Prepared): void
}

/**
 * Prepare what the visitor chose, dropped or pasted (see `prepareFiles`), each file on its own: the
 * files that are ready, and why each of the others was refused.
 */
async function attach(files: readonly Blob[], limits: UploadLimits): Prepared {
  const results = await Promise.allSettled(files.map((file) => prepareFiles([file], { limits })))
  return {
    attachments: results.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])),
    problems: results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []))
  }
}

/** Whether a drag carries files (rather than text or a link). */
const carriesFiles = (event: DragEvent) => !!event.dataTransfer?.types.includes('Files')

/**
 * The composer's paperclip button and its file picker, and an image pasted into the message field
 * (alone on the clipboard, as a screenshot is: copied from a word processor, text comes with a
 * picture of itself, and the text wins). Each batch is prepared on the device (see `prepareFiles`)
 * and handed to `onFiles`.
 */
export function Attach({ strings, limits, field, onFiles }: AttachProps) {
  const picker = useRef<HTMLInputElement>(null)
  useMediaStyles(picker)
  useEffect(() => {
    const input = field.current!
    const paste = (event: ClipboardEvent) => {
      const data = event.clipboardData
      if (!data?.files.length || data.types.includes('text/plain')) return
      event.preventDefault()
      onFiles(attach([...data.files], limits))
    }
    input.addEventListener('paste', paste)
    return () => input.removeEventListener('paste', paste)
  }, [limits])
  return (
    <>
      <button type="button" class="attach" aria-label={strings.attach} onClick={() => picker.current!.click()} data-testid="attach">
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
          <path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" />
        </svg>
      </button>
      <input
        type="file"
        ref={picker}
        multiple
        hidden
        accept={limits.types.join(',') || undefined}
        onChange={(event) => {
          onFiles(attach([...event.currentTarget.files!], limits))
          // The same file may be chosen again.
          event.currentTarget.value = ''
        }}
        data-testid="file-input"
      />
    </>
  )
}

/**
 * Files dropped on the pane: while files are dragged over it, a drop zone covers it (rendered
 * outside the composer, which is positioned, so that it covers the whole pane), and what is dropped
 * is prepared and handed to `onFiles` as {@link Attach} does.
 */
export function DropZone({ strings, limits, frame, onFiles }: Omit<AttachProps, 'field'> & Pick<PaneProps, 'frame'>) {
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    const pane = frame.current!
    const enter = (event: DragEvent) => {
      if (carriesFiles(event)) setDragging(true)
    }
    pane.addEventListener('dragenter', enter)
    return () => pane.removeEventListener('dragenter', enter)
  }, [])
  return (
    dragging && (
      <div
        class="drop"
        data-testid="drop-zone"
        // Without this, the browser would open the file in place of the page.
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault()
          setDragging(false)
          if (event.dataTransfer!.files.length) onFiles(attach([...event.dataTransfer!.files], limits))
        }}
      >
        <p>{strings.dropFiles}</p>
      </div>
    )
  )
}
