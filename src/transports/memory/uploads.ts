import { LIMITS } from '../../content/check.js'
import { createError } from '../../errors/index.js'
import { randomId } from '../../util/ids.js'
import { acceptsType } from '../../content/upload-types.js'
import { sizeText } from '../../util/size.js'
import type { PutUploadOptions, UploadLimits, UploadRequest, UploadSlot } from '../types.js'

/** A file the memory backend was asked a slot for, and its bytes once put. */
export interface MemoryUpload {
  /** The backend's id of the file. */
  id: string
  /** The client's id of the file (its `UploadRequest.clientId`). */
  clientId: string
  conversationId: string
  name: string
  size: number
  type: string
  /** Where the file is read from (the slot's `getUrl`). */
  url: string
  /** Its bytes, once a put succeeded. */
  blob?: Blob
  /** How many puts of its bytes completed (more than one: the same bytes went twice). */
  puts: number
  /** How many slots were handed out for it (a fresh one after each expiry). */
  slots: number
}

/** Options of the memory backend's uploads (see `MemoryBackendOptions`). */
export interface MemoryUploadOptions {
  now: () => number
  /** What the backend accepts. */
  limits: UploadLimits
  /** How long a slot's `putUrl` works, in ms. */
  slotTtl: number
  /** The `getUrl` of a stored file. */
  fileUrl: (file: { id: string; name: string; type: string }) => string
}

/** Upload defaults: the limits the reference server announces, a slot that works for 15 minutes. */
export const UPLOAD_DEFAULTS = {
  limits: { maxBytes: 25 * 1024 * 1024, types: ['image/*', 'application/pdf', 'text/plain'] } as UploadLimits,
  slotTtl: 15 * 60_000,
  // `.invalid` never resolves: a test or demo that shows the image routes it (Playwright `page.route`)
  // to the bytes of `backend.upload(url)`. Not a `blob:` or `data:` URL: image and file parts, and
  // the widget's URL gate, take `http:` and `https:` only.
  fileUrl: ({ id, name }: { id: string; name: string }) => `https://files.memory.invalid/${id}/${encodeURIComponent(name)}`
}

type Failure = { count: number; error: Error; stored: boolean }
const none = (): Failure => ({ count: 0, error: new Error(), stored: false })

/**
 * The memory backend's uploads, with the reference server's rules: a slot per file and client id
 * (asking again answers the same file, `stored` once its bytes are in, a fresh slot once it expired),
 * 413 and 415 for a file outside the limits, 410 for a put to an expired slot. Faults for tests.
 */
export function createMemoryUploads(options: MemoryUploadOptions) {
  const { now } = options
  /** By visitor and client id. */
  const files = new Map<string, MemoryUpload & { token: string; expiresAt: number; visitorId: string }>()
  let slotFailures = none()
  let putFailures = none()
  /** Ms a put takes per quarter of its bytes. */
  let putStepMs = 0

  const take = (failures: Failure) => {
    if (failures.count === 0) return undefined
    failures.count--
    if (!failures.stored) throw failures.error
    return failures
  }

  const refuse = (message: string, status = 400) => createError(status === 400 ? 'invalid-argument' : 'http', message, { status, retryable: false })

  function check(request: UploadRequest, limits: UploadLimits): void {
    const { clientId, name, size, type } = request ?? {}
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > LIMITS.id) throw refuse(`"clientId" must be a string of 1 to ${LIMITS.id} characters`)
    if (typeof name !== 'string' || name.trim() === '' || name.length > LIMITS.name) throw refuse(`"name" must be a string of 1 to ${LIMITS.name} characters`)
    if (!Number.isSafeInteger(size) || size < 0) throw refuse('"size" must be a whole number of bytes')
    if (typeof type !== 'string' || !/^[\w.+-]{1,63}\/[\w.+-]{1,63}$/.test(type)) throw refuse('"type" must be a MIME type')
    if (size > limits.maxBytes) throw refuse(`"${name}" is larger than ${sizeText(limits.maxBytes)}`, 413)
    if (!acceptsType(limits.types, type)) throw refuse(`"${name}" is of a type this chat does not accept (${type})`, 415)
  }

  const slotOf = (file: MemoryUpload & { token: string; expiresAt: number }): UploadSlot =>
    file.blob
      ? { putUrl: `memory://uploads/${file.id}`, getUrl: file.url, stored: true }
      : { putUrl: `memory://uploads/${file.id}?token=${file.token}`, headers: { 'Content-Type': file.type }, getUrl: file.url, expiresAt: file.expiresAt }

  return {
    /** A slot for one file of a visitor's message in `conversationId` (idempotent per client id). */
    request(visitorId: string, conversationId: string, request: UploadRequest, limits = options.limits): UploadSlot {
      const failure = take(slotFailures)
      check(request, limits)
      const key = `${visitorId}\u0000${request.clientId}`
      let file = files.get(key)
      if (!file) {
        const id = `u_${randomId().slice(0, 8)}`
        const { clientId, name, size, type } = request
        file = { id, clientId, conversationId, name, size, type, url: options.fileUrl({ id, name, type }), puts: 0, slots: 0, token: '', expiresAt: 0, visitorId }
        files.set(key, file)
      }
      if (!file.blob && file.expiresAt <= now()) {
        file.token = randomId()
        file.expiresAt = now() + options.slotTtl
        file.slots++
      }
      // A lost answer: the slot exists, the client asks again.
      if (failure) throw failure.error
      return slotOf(file)
    },

    /** Put a file's bytes to a slot's `putUrl`: a quarter at a time, reporting progress, abortable. */
    async put(putUrl: string, blob: Blob, { signal, onProgress }: PutUploadOptions = {}): Promise<void> {
      const aborted = () => createError('closed', `PUT ${putUrl} was aborted`)
      const failure = take(putFailures)
      const match = /^memory:\/\/uploads\/([\w-]+)\?token=([\w-]+)$/.exec(putUrl)
      const file = match && [...files.values()].find((f) => f.id === match[1])
      if (!file || file.token !== match![2] || (!file.blob && file.expiresAt <= now())) {
        throw createError('http', `PUT ${putUrl} answered 410: the upload slot expired`, { status: 410, retryable: true })
      }
      if (blob.size !== file.size) throw createError('http', `PUT ${putUrl} answered 400: ${blob.size} bytes, ${file.size} announced`, { status: 400, retryable: false })
      for (let step = 1; step <= 4; step++) {
        if (signal?.aborted) throw aborted()
        if (putStepMs > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, putStepMs)
            signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
          })
        } else {
          await Promise.resolve()
        }
        if (signal?.aborted) throw aborted()
        onProgress?.(Math.round((file.size * step) / 4))
      }
      // The bytes of the put that completes first are kept; a stored file takes no other.
      file.blob ??= blob
      file.puts++
      if (failure) throw failure.error
    },

    /** Every file asked a slot for, oldest first. */
    list: (): MemoryUpload[] => [...files.values()].map(({ token: _t, expiresAt: _e, visitorId: _v, ...file }) => ({ ...file })),

    /**
     * Make the next `count` slot requests fail with `error` (a retryable network error by default);
     * with `{ stored: true }` the slot is made and only its answer is lost.
     */
    failNextSlots(count: number, error: Error = createError('network', 'Simulated network failure'), { stored = false } = {}) {
      slotFailures = { count, error, stored }
    },
    /**
     * Make the next `count` puts fail with `error` (a retryable network error by default); with
     * `{ stored: true }` the bytes are stored and only the answer is lost.
     */
    failNextPuts(count: number, error: Error = createError('network', 'Simulated network failure'), { stored = false } = {}) {
      putFailures = { count, error, stored }
    },
    /** Every slot handed out so far stops working: puts to it answer 410, asking again gives a fresh one. */
    expireSlots() {
      for (const file of files.values()) file.expiresAt = 0
    },
    /** Make each put take `ms` per quarter of its bytes (0: as fast as it can). */
    slowPuts(ms: number) {
      putStepMs = ms
    }
  }
}

/** The memory backend's uploads (see {@link createMemoryUploads}). */
export type MemoryUploads = ReturnType<typeof createMemoryUploads>
