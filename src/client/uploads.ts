import type { Cache, OutgoingFile } from '../cache/types.js'
import { createError, toConfabError, type ConfabError } from '../errors/index.js'
import type { ChatMessage } from '../store/index.js'
import type { PutUploadOptions, Transport, UploadSlot } from '../transports/types.js'
import type { Emitter } from '../util/emitter.js'
import type { ClientEvents } from './api.js'

/** What the uploads need from the outbox around them. */
export interface UploadsDeps {
  transport: Transport
  emitter: Emitter<ClientEvents>
  now: () => number
  /** The current person's cache (where the bytes of attached files wait). */
  cache: () => Cache
  /** Put a file's bytes to a slot: the transport's `putUpload`, or `XMLHttpRequest`. */
  put: (slot: UploadSlot, file: Blob, options: PutUploadOptions) => Promise<void>
  /** The message as it stands now (files taken off meanwhile are gone), `undefined` once it went. */
  current: (clientId: string) => ChatMessage | undefined
  /** Show a change of a message being sent, in this tab and the others. */
  show: (message: ChatMessage) => void
  /** Keep the message on the device as it now is, and let go of the bytes of `stored` files. */
  save: (message: ChatMessage, stored: string[]) => Promise<void>
}

/** Least time between two progress updates of one file, in ms. */
const PROGRESS_MS = 100
/** Fresh slots asked for in a row after expired ones, before the failure counts as an attempt. */
const FRESH_SLOTS = 3

/**
 * The upload step of the outbox: before a message with files goes, each file without a `url` is
 * given a slot (`requestUpload`, idempotent per file id), its bytes are put there unless the backend
 * says it holds them already, and its `url` is kept on the device before its bytes are let go. So a
 * reload, a crash or another leading tab resumes with the files still missing, same ids, and nothing
 * is stored twice. Also holds the bytes of files attached in this tab (or handed to it) until the
 * backend has them.
 *
 * @example
 * const uploads = createUploads({ transport, emitter, now, cache, put, current, show, save })
 * const ready = await uploads.upload(message.clientId, signal) // every file has its url
 */
export function createUploads(deps: UploadsDeps) {
  /** Bytes of files attached in this tab or handed to it, until the backend has them or they go. */
  const held = new Map<string, Blob>()
  /** Uploads under way in this tab, by file id: aborted when the file is taken off its message. */
  const running = new Map<string, AbortController>()
  /** When each file's progress was last shown. */
  const shownAt = new Map<string, number>()
  /** The cache each held file's bytes were written to: a message kept again does not write megabytes again. */
  const keptIn = new Map<string, Cache>()

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
    deps.emitter.emit('upload', { message: next, file: next.files!.find((f) => f.id === file.id)! })
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
        slot = await deps.transport.requestUpload!(message.conversationId, request, { signal: controller.signal })
        if (slot.stored) break
        const blob = held.get(file.id) ?? (await deps.cache().file(file.id))
        if (!blob) throw lost(file)
        try {
          await deps.put(slot, blob, { signal: controller.signal, onProgress: (loaded) => progress(message.clientId!, file, loaded) })
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
      held.delete(file.id)
      await deps.save(done, [file.id])
      deps.emitter.emit('upload', { message: done, file: done.files!.find((f) => f.id === file.id)! })
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

    /** Hold the bytes of files attached in this tab, or handed to it by another. */
    hold(files: readonly { id: string; blob: Blob }[] | undefined): void {
      for (const { id, blob } of files ?? []) held.set(id, blob)
    },

    /** The bytes this tab holds of the files `ids`. */
    held: (ids: readonly string[]) => ids.flatMap((id) => (held.has(id) ? [{ id, blob: held.get(id)! }] : [])),

    /** The bytes this tab holds of the files `ids` that `cache` was not given yet; it is given them now. */
    unkept(ids: readonly string[], cache: Cache): { id: string; blob: Blob }[] {
      const files = ids.flatMap((id) => (held.has(id) && keptIn.get(id) !== cache ? [{ id, blob: held.get(id)! }] : []))
      for (const { id } of files) keptIn.set(id, cache)
      return files
    },

    /** The bytes of a file still on the device: held here, or in the cache. */
    async blob(id: string): Promise<Blob | undefined> {
      return held.get(id) ?? (await deps.cache().file(id))
    },

    /** A file was taken off its message: its upload here stops, its bytes go. */
    cancel(id: string): void {
      running.get(id)?.abort()
      held.delete(id)
    },

    /** Let go of the bytes of files no longer waiting on any message (`waiting` lists those that are). */
    sweep(waiting: ReadonlySet<string>): void {
      for (const id of held.keys()) if (!waiting.has(id)) held.delete(id)
      for (const id of keptIn.keys()) if (!held.has(id)) keptIn.delete(id)
    },

    /** The person's data is gone: so are the bytes held for them. */
    forget(): void {
      for (const controller of running.values()) controller.abort()
      held.clear()
      keptIn.clear()
    }
  }
}

/** The outbox's upload step (see {@link createUploads}). */
export type Uploads = ReturnType<typeof createUploads>

/** Whether a failure refused a file for good (too large, a type the backend does not take). */
export const refusedFile = (error: ConfabError | undefined) => error?.status === 413 || error?.status === 415
