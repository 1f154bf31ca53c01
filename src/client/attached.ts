import type { Cache } from '../cache/types.js'

/** The bytes of one attached file, by its id (`OutgoingFile.id`). */
export type FileBytes = { id: string; blob: Blob }

/**
 * The bytes of files attached in this tab (or handed to it by another), held in memory until the
 * backend has them or their message goes. What `send()` and the hand-over between tabs need at once,
 * before any upload: the upload step itself loads only with the first message that has files (see
 * `uploads.ts`).
 *
 * @example
 * const attached = createAttached(() => cache)
 * attached.hold([{ id: file.id, blob }])
 * await attached.blob(file.id) // held here, or read from the cache
 */
export function createAttached(cache: () => Cache) {
  const held = new Map<string, Blob>()
  /** The cache each held file's bytes were written to: a message kept again does not write megabytes again. */
  const keptIn = new Map<string, Cache>()

  return {
    /** Hold the bytes of files attached in this tab, or handed to it by another. */
    hold(files: readonly FileBytes[] | undefined): void {
      for (const { id, blob } of files ?? []) held.set(id, blob)
    },

    /** The bytes this tab holds of the files `ids`. */
    held: (ids: readonly string[]): FileBytes[] => ids.flatMap((id) => (held.has(id) ? [{ id, blob: held.get(id)! }] : [])),

    /** The bytes this tab holds of the files `ids` that `cache` was not given yet; it is given them now. */
    unkept(ids: readonly string[], into: Cache): FileBytes[] {
      const files = ids.flatMap((id) => (held.has(id) && keptIn.get(id) !== into ? [{ id, blob: held.get(id)! }] : []))
      for (const { id } of files) keptIn.set(id, into)
      return files
    },

    /** The bytes of a file still on the device: held here, or in the cache. */
    async blob(id: string): Promise<Blob | undefined> {
      return held.get(id) ?? (await cache().file(id))
    },

    /** Let go of the bytes of the files `ids` (stored by the backend, or taken off their message). */
    drop(ids: readonly string[]): void {
      for (const id of ids) held.delete(id)
    },

    /** Let go of the bytes of files no longer waiting on any message (`waiting` lists those that are). */
    sweep(waiting: ReadonlySet<string>): void {
      for (const id of held.keys()) if (!waiting.has(id)) held.delete(id)
      for (const id of keptIn.keys()) if (!held.has(id)) keptIn.delete(id)
    },

    /** The person's data is gone: so are the bytes held for them. */
    clear(): void {
      held.clear()
      keptIn.clear()
    }
  }
}
