import { createError, type ConfabError } from '../errors/index.js'
import type { PutUploadOptions, UploadSlot } from '../transports/types.js'

/** The globals a put uses, injectable. */
export interface PutGlobals {
  /** Default: the global `XMLHttpRequest` (absent in Node, where `fetch` does the put without progress). */
  XMLHttpRequest?: typeof XMLHttpRequest
  fetch?: typeof fetch
}

/** Headers a page may not set (the browser sets them itself, and refuses them noisily). */
const FORBIDDEN = new Set(['content-length', 'host', 'connection'])

/**
 * The error of a put the server answered with `status`. An expired slot (403, 410) is retryable:
 * the uploader asks for a fresh one. 413 and 415 are refusals for good; 408, 429 and 5xx may pass.
 */
export function putError(status: number, label: string, retryAfter?: string | null): ConfabError {
  const expired = status === 403 || status === 410
  const seconds = Number(retryAfter ?? NaN)
  return createError(status === 429 ? 'rate-limited' : 'http', `${label} answered ${status}${expired ? ': the upload slot expired' : ''}`, {
    status,
    retryable: expired || status === 408 || status === 429 || status >= 500,
    ...(status === 429 && Number.isFinite(seconds) ? { retryAfter: seconds * 1000 } : {})
  })
}

/**
 * Put a file's bytes to an upload slot over HTTP: `XMLHttpRequest`, the one browser API that reports
 * upload progress over HTTP/1.1 (a `fetch` with a request stream needs HTTP/2), with the slot's
 * headers. Where there is no `XMLHttpRequest` (Node), `fetch` puts it without progress. Rejects with
 * a `ConfabError`: `'network'` when no answer came, `'http'` with the status otherwise (see
 * {@link putError}), `'closed'` when `signal` aborted it.
 *
 * @example
 * await putFile(slot, blob, { signal, onProgress: (loaded) => console.log(loaded, 'bytes sent') })
 */
export function putFile(slot: UploadSlot, blob: Blob, options: PutUploadOptions & PutGlobals = {}): Promise<void> {
  const { signal, onProgress } = options
  const Xhr = options.XMLHttpRequest ?? globalThis.XMLHttpRequest
  const label = `PUT ${slot.putUrl.split('?')[0]}`
  const headers = Object.entries(slot.headers ?? {}).filter(([name]) => !FORBIDDEN.has(name.toLowerCase()))
  const aborted = () => createError('closed', `${label} was aborted`)
  const lost = (cause?: unknown) => createError('network', `${label} got no answer`, { cause })
  if (signal?.aborted) return Promise.reject(aborted())
  if (!Xhr) {
    const put = options.fetch ?? globalThis.fetch
    return put(slot.putUrl, { method: 'PUT', body: blob, headers, signal }).then(
      (response) => {
        if (!response.ok) throw putError(response.status, label, response.headers.get('retry-after'))
        onProgress?.(blob.size)
      },
      (error: unknown) => {
        throw signal?.aborted ? aborted() : lost(error)
      }
    )
  }
  return new Promise<void>((resolve, reject) => {
    const xhr = new Xhr()
    const stop = () => xhr.abort()
    signal?.addEventListener('abort', stop, { once: true })
    const end = (error?: ConfabError) => {
      signal?.removeEventListener('abort', stop)
      if (error) reject(error)
      else resolve()
    }
    xhr.open('PUT', slot.putUrl)
    for (const [name, value] of headers) xhr.setRequestHeader(name, value)
    if (onProgress) xhr.upload.onprogress = (event) => onProgress(event.loaded)
    // Reading a header the host did not expose (CORS) logs an error: only a 429 has one worth reading.
    xhr.onload = () => end(xhr.status >= 200 && xhr.status < 300 ? undefined : putError(xhr.status, label, xhr.status === 429 ? xhr.getResponseHeader('retry-after') : null))
    // A CORS refusal looks the same as no answer: both are worth another try.
    xhr.onerror = () => end(lost())
    xhr.ontimeout = () => end(createError('timeout', `${label} timed out`))
    xhr.onabort = () => end(aborted())
    xhr.send(blob)
  })
}
