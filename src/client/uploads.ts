import type { OutgoingFile } from '../cache/types.js'
import { LIMITS } from '../content/check.js'
import { createError, toConfabError } from '../errors/index.js'
import type { ChatMessage } from '../store/index.js'
import type { FilePart, ImagePart, OutgoingMessage, PutUploadOptions, Transport, UploadSlot } from '../transports/types.js'
import { putFile } from './put.js'

/** What the uploads need from the outbox around them. */
export interface UploadsDeps {
  transport: Transport
  now: () => number
  /** A file moved on (progress) or was stored (its `url` is set): the client's `upload` event. */
  uploaded: (event: { message: ChatMessage; file: OutgoingFile }) => void
  /** The bytes of a file still on the device (held by this tab, or in the cache), `undefined` once gone. */
  blob: (id: string) => Promise<Blob | undefined>
  /**
   * Puts the bytes where the transport has no `putUpload` of its own. Default: the global
   * `XMLHttpRequest` (with upload progress); where there is none (Node), `fetch`.
   */
  XMLHttpRequest?: typeof XMLHttpRequest
  /** The message as it stands now (files taken off meanwhile are gone), `undefined` once it went. */
  current: (clientId: string) => ChatMessage | undefined
  /** Show a change of a message being sent, in this tab and the others. */
  show: (message: ChatMessage) => void
  /** Keep the message on the device as it now is, and let go of the bytes of `stored` files (held and kept). */
  save: (message: ChatMessage, stored: string[]) => Promise<void>
}

/** The parts a message's uploaded files become: an image part each for images, a file part for the rest. */
export function fileParts(files: readonly OutgoingFile[]): (ImagePart | FilePart)[] {
  return files.map(({ kind, url, name, size, type, width, height }) => {
    if (kind === 'file') return { type: 'file', url: url!, name, size, mediaType: type }
    const image: ImagePart = { type: 'image', url: url!, name, size, mediaType: type }
    if (width && height) Object.assign(image, { width, height })
    return image
  })
}

/**
 * The text of a message of files only (its text is always there on the wire): their names, as
 * plain text in markdown.
 *
 * @example
 * filesText([{ name: 'photo_1.jpg' }, { name: 'report.pdf' }]) // 'photo\\_1.jpg, report.pdf'
 */
export const filesText = (files: readonly Pick<OutgoingFile, 'name'>[]): string =>
  files
    .map((file) => file.name.replace(/[\\`*_~[\]<>#|]/g, '\\$&'))
    .join(', ')
    .slice(0, LIMITS.text)

/**
 * What goes to the backend of a message whose files are uploaded: `message` with a part for each
 * file after its others, and their names as its text when it has none.
 */
export const withFiles = (message: OutgoingMessage, files: readonly OutgoingFile[]): OutgoingMessage => ({
  ...message,
  text: message.text || filesText(files),
  parts: [...(message.parts ?? []), ...fileParts(files)] as OutgoingMessage['parts']
})

/** Least time between two progress updates of one file, in ms. */
const PROGRESS_MS = 100
/** Fresh slots asked for in a row after expired ones, before the failure counts as an attempt. */
const FRESH_SLOTS = 3

/**
 * The upload step of the outbox: before a message with files goes, each file without a `url` is
 * given a slot (`requestUpload`, idempotent per file id), its bytes are put there unless the backend
 * says it holds them already, and its `url` is kept on the device before its bytes are let go. So a
 * reload, a crash or another leading tab resumes with the files still missing, same ids, and nothing
 * is stored twice. Loaded with the first message that has files to upload (see `uploads/load.ts`):
 * the bytes attached meanwhile wait in the outbox (`attached.ts`).
 *
 * @example
 * const uploads = createUploads({ transport, now, uploaded, blob, current, show, save })
 * const ready = await uploads.upload(message.clientId, signal) // every file has its url
 */
export function createUploads(deps: UploadsDeps) {
  /** Uploads under way in this tab, by file id: aborted when the file is taken off its message. */
  const running = new Map<string, AbortController>()
  /** When each file's progress was last shown. */
  const shownAt = new Map<string, number>()
  const { transport } = deps
  const put = (slot: UploadSlot, blob: Blob, options: PutUploadOptions) =>
    transport.putUpload ? transport.putUpload(slot, blob, options) : putFile(slot, blob, { ...options, XMLHttpRequest: deps.XMLHttpRequest })

  const lost = (file: OutgoingFile) =>
    createError('not-found', `"${file.name}" is no longer on this device: attach it again`, { retryable: false })

  /** The message with one file changed, or `undefined` when the message or the file went meanwhile. */
  function change(clientId: string, id: string, patch: (file: OutgoingFile) => OutgoingFile): ChatMessage | undefined {
    const message = deps.current(clientId)
    const file = message?.files?.find((f) => f.id === id)
    if (!message || !file || file.url) return undefined
    return { ...message, files: message.files!.map((f) => (f === file ? patch(f) : f)) }
  }

  function progress(clientId: string, file: OutgoingFile, loaded: number): void {
    const at = deps.now()
    // A store update (and a message to every tab) per progress event would flood both.
    if (at - (shownAt.get(file.id) ?? -Infinity) < PROGRESS_MS && loaded < file.size) return
    shownAt.set(file.id, at)
    const next = change(clientId, file.id, (f) => ({ ...f, loaded }))
    if (!next) return
    deps.show(next)
    deps.uploaded({ message: next, file: next.files!.find((f) => f.id === file.id)! })
  }

  /** Upload one file of a message: resolves once the backend holds it and the message says where. */
  async function one(message: ChatMessage, file: OutgoingFile, signal: AbortSignal): Promise<void> {
    const controller = new AbortController()
    const abort = () => controller.abort()
    signal.addEventListener('abort', abort, { once: true })
    running.set(file.id, controller)
    const request = { clientId: file.id, name: file.name, size: file.size, type: file.type }
    try {
      let slot: UploadSlot
      for (let fresh = 0; ; fresh++) {
        // Asked first every time: after a lost answer or a reload the backend may hold the bytes already.
        slot = await transport.requestUpload!(message.conversationId, request, { signal: controller.signal })
        if (slot.stored) break
        const blob = await deps.blob(file.id)
        if (!blob) throw lost(file)
        try {
          await put(slot, blob, { signal: controller.signal, onProgress: (loaded) => progress(message.clientId!, file, loaded) })
          break
        } catch (caught) {
          const error = toConfabError(caught, `Could not upload "${file.name}"`)
          // An expired slot is not an attempt: a fresh one is asked for at once.
          if ((error.status === 403 || error.status === 410) && fresh < FRESH_SLOTS && !controller.signal.aborted) continue
          throw error
        }
      }
      const done = change(message.clientId!, file.id, ({ loaded: _loaded, ...f }) => ({ ...f, url: slot.getUrl }))
      if (!done) return
      // Where it is now goes to the device before its bytes go: a reload from here on does not upload it again.
      deps.show(done)
      await deps.save(done, [file.id])
      deps.uploaded({ message: done, file: done.files!.find((f) => f.id === file.id)! })
    } catch (caught) {
      // Taken off its message meanwhile: the message goes on without it.
      if (controller.signal.aborted && !signal.aborted) return
      // The next try starts from nothing: the progress shown would be a stale promise.
      const shown = deps.current(message.clientId!)?.files?.find((f) => f.id === file.id)
      if (!signal.aborted && shown?.loaded !== undefined) deps.show(change(message.clientId!, file.id, ({ loaded: _loaded, ...f }) => f)!)
      throw toConfabError(caught, `Could not upload "${file.name}"`)
    } finally {
      signal.removeEventListener('abort', abort)
      running.delete(file.id)
      shownAt.delete(file.id)
    }
  }

  return {
    /**
     * Upload every file of the message `clientId` that has no `url`, oldest first. Resolves with the
     * message once all have one, or `undefined` when the message went meanwhile (its last file was
     * taken off); rejects with a `ConfabError` as a send does (`retryable`, `status` 413 or 415 for a
     * refused file). `signal` aborts it all.
     */
    async upload(clientId: string, signal: AbortSignal): Promise<ChatMessage | undefined> {
      for (;;) {
        if (signal.aborted) throw createError('closed', 'The upload was stopped')
        const message = deps.current(clientId)
        const file = message?.files?.find((f) => !f.url)
        if (!file) return message
        await one(message!, file, signal)
      }
    },

    /** A file was taken off its message: its upload here stops. */
    cancel(id: string): void {
      running.get(id)?.abort()
    },

    /** The person's data is gone: the uploads for them stop. */
    forget(): void {
      for (const controller of running.values()) controller.abort()
    },

    withFiles
  }
}

/** The outbox's upload step (see {@link createUploads}). */
export type Uploads = ReturnType<typeof createUploads>
