// Runs inside the page the media benchmark opens (bundled by media.bench.js): the headless client
// on the reference server over HTTP, with its IndexedDB cache, as a site runs it. A file goes
// through the client's whole path (`send({ files })`: kept on the device, a slot, the put with
// XMLHttpRequest, the message); the baselines put the same number of bytes with one plain `fetch`,
// or one plain XMLHttpRequest (what the client puts with, for its progress), to a slot from the same
// server.
import { createClient, type Client } from '../../src/client/index.js'
import { createHttpTransport } from '../../src/transports/http/index.js'
import type { Transport, UploadSlot } from '../../src/transports/types.js'

declare global {
  interface Window {
    startUploads(url: string): Promise<void>
    sendFile(bytes: number): Promise<{ stored: number; sent: number; putStart: number; putEnd: number }>
    plainPut(bytes: number, how: 'fetch' | 'xhr'): Promise<number>
  }
}

let client: Client
let transport: Transport
let conversationId: string
let files = 0
/** When the client's put of the file being sent began and ended. */
let puts: { start?: number; end?: number } = {}

/** The client's XMLHttpRequest (its `XMLHttpRequest` option), noting when its put begins and ends. */
class NotedXhr extends XMLHttpRequest {
  override send(body?: Document | XMLHttpRequestBodyInit | null) {
    puts.start ??= performance.now()
    this.addEventListener('loadend', () => (puts.end ??= performance.now()))
    super.send(body)
  }
}

/** A PDF of `bytes` bytes (the server checks that a file's first bytes match its type), made anew for each sample. */
function pdf(bytes: number): File {
  const body = new Uint8Array(bytes).fill(42)
  body.set(new TextEncoder().encode('%PDF-1.7\n'))
  return new File([body], `report-${++files}.pdf`, { type: 'application/pdf' })
}

window.startUploads = async (url) => {
  transport = createHttpTransport({ url })
  client = createClient({ transport, site: 'media-bench', XMLHttpRequest: NotedXhr })
  await client.connect()
  conversationId = (await client.startConversation()).id
  // The upload step's code is in before the first sample, as after a first file.
  await client.preloadUploads()
}

/**
 * Send a file of `bytes` bytes with the client: ms until the server has stored it, until its message
 * is sent, and until its put began and ended.
 */
window.sendFile = async (bytes) => {
  const file = pdf(bytes)
  let stored = 0
  puts = {}
  const started = performance.now()
  const off = client.on('upload', (event) => {
    if (event.file.url && !stored) stored = performance.now() - started
  })
  try {
    const message = await client.send({ text: '', files: [file] })
    if (message.status !== 'sent' || !stored || !puts.end) throw new Error(`the file was not sent: ${message.status} ${message.error ?? ''}`)
    return { stored, sent: performance.now() - started, putStart: puts.start! - started, putEnd: puts.end - started }
  } finally {
    off()
  }
}

/** One PUT of `file` to `slot` with `fetch` or XMLHttpRequest: its status. */
function put(how: 'fetch' | 'xhr', slot: UploadSlot, file: File): Promise<number> {
  if (how === 'fetch') return fetch(slot.putUrl, { method: 'PUT', body: file, headers: slot.headers }).then((answer) => answer.status)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', slot.putUrl)
    for (const [name, value] of Object.entries(slot.headers ?? {})) xhr.setRequestHeader(name, value)
    xhr.onload = () => resolve(xhr.status)
    xhr.onerror = () => reject(new Error('the plain PUT got no answer'))
    xhr.send(file)
  })
}

/** Put `bytes` bytes with one plain `fetch` or XMLHttpRequest (`how`) to a slot the server granted beforehand: ms of the put. */
window.plainPut = async (bytes, how) => {
  const file = pdf(bytes)
  const slot = await transport.requestUpload!(conversationId, { clientId: crypto.randomUUID(), name: file.name, size: file.size, type: file.type })
  const started = performance.now()
  const status = await put(how, slot, file)
  if (status < 200 || status > 299) throw new Error(`the plain PUT answered ${status}`)
  return performance.now() - started
}
