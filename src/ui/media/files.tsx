import { useEffect, useRef, useState } from 'preact/hooks'
import type { Attachment } from '../../client/index.js'
import { cleanName, typeLabel } from '../../media/names.js'
import type { ChatMessage, OutgoingFile } from '../../store/index.js'
import { Name } from '../components/parts/name.js'
import type { UiProps } from '../components/props.js'
import { bytes } from '../format.js'
import { fill } from '../strings.js'
import { useMediaStyles } from './styles.js'

/**
 * A small picture of a file: an image's own pixels (from `blob`, which may take a moment to read),
 * else its type. The object URL made for it is let go when it leaves the screen.
 */
function Thumb({ blob, name }: { blob: () => Blob | Promise<Blob | undefined> | undefined; name: string }) {
  const [url, setUrl] = useState<string>()
  const [type, setType] = useState<string>()
  useEffect(() => {
    let made: string | undefined
    let shown = true
    void Promise.resolve(blob()).then((file) => {
      if (!shown) return
      setType(file?.type ?? '')
      if (file?.type.startsWith('image/')) setUrl((made = URL.createObjectURL(file)))
    })
    return () => {
      shown = false
      if (made) URL.revokeObjectURL(made)
    }
  }, [])
  // The name says what it is, beside it: the picture is decoration.
  return url ? <img class="thumb" src={url} alt="" /> : <span class="thumb" aria-hidden="true">{type === undefined ? '' : typeLabel(name, type)}</span>
}

/**
 * The files that go with the visitor's next message, in the composer: each with a small picture,
 * its name and size, and a button that removes it.
 */
export function Previews({ strings, locale, files, onRemove }: Pick<UiProps, 'strings' | 'locale'> & { files: readonly Attachment[]; onRemove(file: Attachment): void }) {
  const list = useRef<HTMLUListElement>(null)
  useMediaStyles(list)
  return (
    <ul class="previews" ref={list} aria-label={strings.attachments} data-testid="previews">
      {files.map((file) => {
        const name = cleanName(file.name ?? '')
        return (
          <li key={keyOf(file)} data-testid="preview">
            <Thumb blob={() => file.file} name={name} />
            <Name name={name} />
            <span class="meta">{bytes(file.file.size, locale)}</span>
            <button type="button" aria-label={fill(strings.remove, name)} onClick={() => onRemove(file)} data-testid="remove">
              ×
            </button>
          </li>
        )
      })}
    </ul>
  )
}

/** A key for each attachment, which has no id of its own, for as long as it lives. */
const keys = new WeakMap<Attachment, number>()
let counted = 0
const keyOf = (file: Attachment) => keys.get(file) ?? keys.set(file, ++counted).get(file)!

/**
 * The visitor's files while their message is not sent: each with a small picture (its bytes as the
 * device keeps them), its name and size, and until it is uploaded its progress and a button that
 * cancels it.
 */
export function Outgoing({ client, strings, locale, message }: Pick<UiProps, 'client' | 'strings' | 'locale'> & { message: ChatMessage }) {
  const list = useRef<HTMLUListElement>(null)
  useMediaStyles(list)
  const { clientId, status } = message
  const uploading = (file: OutgoingFile) => !file.url && status !== 'failed'
  return (
    <ul class="outgoing" ref={list} data-testid="outgoing">
      {message.files!.map((file) => {
        const name = cleanName(file.name)
        return (
          <li key={file.id} data-testid="outgoing-file">
            <Thumb blob={() => client.fileBlob(file.id)} name={name} />
            <Name name={name} />
            <span class="meta">{bytes(file.size, locale)}</span>
            {uploading(file) && (
              <>
                <progress max={file.size || 1} value={file.loaded ?? 0} aria-label={fill(strings.uploading, name)} />
                <button type="button" aria-label={fill(strings.cancelFile, name)} onClick={() => client.cancelFile(clientId!, file.id)} data-testid="cancel-file">
                  {strings.cancel}
                </button>
              </>
            )}
          </li>
        )
      })}
    </ul>
  )
}
