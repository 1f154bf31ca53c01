import { describe, expect, it } from 'vitest'
import { putFile } from '../../../src/client/put.js'

const slot = { putUrl: 'https://up.example/u1?token=secret', headers: { 'Content-Type': 'image/png', 'Content-Length': '4' }, getUrl: 'https://files.example/u1' }
const blob = new Blob([new Uint8Array(4)], { type: 'image/png' })

/** An `XMLHttpRequest` the test answers: `respond(status)`, `fail()`, progress with `progress(n)`. */
function fakeXhr() {
  const made: FakeXhr[] = []
  class FakeXhr {
    method = ''
    url = ''
    headers: Record<string, string> = {}
    body: unknown
    status = 0
    aborted = false
    responseHeaders: Record<string, string> = {}
    upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null }
    onload: (() => void) | null = null
    onerror: (() => void) | null = null
    ontimeout: (() => void) | null = null
    onabort: (() => void) | null = null
    constructor() {
      made.push(this)
    }
    open(method: string, url: string) {
      this.method = method
      this.url = url
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value
    }
    getResponseHeader(name: string) {
      return this.responseHeaders[name.toLowerCase()] ?? null
    }
    send(body: unknown) {
      this.body = body
    }
    abort() {
      this.aborted = true
      this.onabort?.()
    }
    respond(status: number, headers: Record<string, string> = {}) {
      this.status = status
      this.responseHeaders = headers
      this.onload?.()
    }
  }
  return { XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest, made, last: () => made.at(-1)! }
}

describe('putting a file to an upload slot', () => {
  it('puts the bytes with the slot’s headers and reports progress', async () => {
    const xhr = fakeXhr()
    const progress: number[] = []
    const put = putFile(slot, blob, { XMLHttpRequest: xhr.XMLHttpRequest, onProgress: (loaded) => progress.push(loaded) })
    const request = xhr.last()
    expect([request.method, request.url, request.body]).toEqual(['PUT', slot.putUrl, blob])
    // The browser sets Content-Length itself, and refuses it from a page.
    expect(request.headers).toEqual({ 'Content-Type': 'image/png' })
    request.upload.onprogress!({ loaded: 2 })
    request.respond(200)
    await put
    expect(progress).toEqual([2])
  })

  it('calls an expired slot (403, 410) retryable, for a fresh one', async () => {
    const xhr = fakeXhr()
    const put = putFile(slot, blob, { XMLHttpRequest: xhr.XMLHttpRequest })
    xhr.last().respond(410)
    await expect(put).rejects.toMatchObject({ code: 'http', status: 410, retryable: true, message: 'PUT https://up.example/u1 answered 410: the upload slot expired' })
  })

  it('calls 413 and 415 refusals for good, 5xx and 429 worth another try', async () => {
    for (const [status, retryable] of [
      [413, false],
      [415, false],
      [503, true],
      [429, true]
    ] as const) {
      const xhr = fakeXhr()
      const put = putFile(slot, blob, { XMLHttpRequest: xhr.XMLHttpRequest })
      xhr.last().respond(status, { 'retry-after': '2' })
      await expect(put).rejects.toMatchObject({ status, retryable })
    }
  })

  it('calls no answer a network failure, worth another try', async () => {
    const xhr = fakeXhr()
    const put = putFile(slot, blob, { XMLHttpRequest: xhr.XMLHttpRequest })
    xhr.last().onerror!()
    await expect(put).rejects.toMatchObject({ code: 'network', retryable: true })
  })

  it('aborts the request when its signal aborts', async () => {
    const xhr = fakeXhr()
    const controller = new AbortController()
    const put = putFile(slot, blob, { XMLHttpRequest: xhr.XMLHttpRequest, signal: controller.signal })
    controller.abort()
    await expect(put).rejects.toMatchObject({ code: 'closed' })
    expect(xhr.last().aborted).toBe(true)
  })

  it('puts with fetch, without progress, where there is no XMLHttpRequest', async () => {
    const calls: [string, RequestInit][] = []
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return new Response(null, { status: 200 })
    }) as typeof globalThis.fetch
    const progress: number[] = []
    await putFile(slot, blob, { XMLHttpRequest: undefined, fetch, onProgress: (loaded) => progress.push(loaded) })
    expect(calls.map(([url, init]) => [url, init.method, init.body])).toEqual([[slot.putUrl, 'PUT', blob]])
    expect(progress).toEqual([4])
  })
})
