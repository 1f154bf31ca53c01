import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Attachment } from '../../client/index.js'
import { prepareFiles } from '../../media/prepare.js'
import type { UploadLimits } from '../../transports/types.js'
import type { PaneProps, UiProps } from '../components/props.js'
import { useMediaStyles } from './styles.js'

/** What {@link Attach} hands the composer: files being prepared, then those ready and why others were refused. */
export type Prepared = Promise<{ attachments: Attachment[]; problems: string[] }>

/** Where {@link Attach} takes files from, and whom it hands them to. */
export interface AttachProps extends Pick<UiProps, 'strings'>, Pick<PaneProps, 'frame'> {
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
 * The composer's ways to attach files: the paperclip button and its file picker, files dropped on
 * the pane (a drop zone covers it while they are dragged over it) and an image pasted into the
 * field. Each batch is prepared on the device (see `prepareFiles`) and handed to `onFiles`.
 */
export function Attach({ strings, limits, field, frame, onFiles }: AttachProps) {
  const picker = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  useMediaStyles(picker)
  const take = (files: readonly Blob[]) => {
    if (files.length) onFiles(attach(files, limits))
  }
  useEffect(() => {
    const pane = frame.current!
    const input = field.current!
    const enter = (event: DragEvent) => {
      if (carriesFiles(event)) setDragging(true)
    }
    const paste = (event: ClipboardEvent) => {
      // Text wins: copied from a word processor, text comes with a picture of itself.
      const data = event.clipboardData
      if (!data?.files.length || data.types.includes('text/plain')) return
      event.preventDefault()
      take([...data.files])
    }
    pane.addEventListener('dragenter', enter)
    input.addEventListener('paste', paste)
    return () => {
      pane.removeEventListener('dragenter', enter)
      input.removeEventListener('paste', paste)
    }
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
          take([...event.currentTarget.files!])
          // The same file may be chosen again.
          event.currentTarget.value = ''
        }}
        data-testid="file-input"
      />
      {dragging && (
        <div
          class="drop"
          data-testid="drop-zone"
          // Without this, the browser would open the file in place of the page.
          onDragOver={(event) => event.preventDefault()}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault()
            setDragging(false)
            take([...event.dataTransfer!.files])
          }}
        >
          <p>{strings.dropFiles}</p>
        </div>
      )}
    </>
  )
}
