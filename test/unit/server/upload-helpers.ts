import http from 'node:http'
import type { UploadSlot } from '../../../src/transports/types.js'
import type { TestServer, TestVisitor } from './helpers.js'

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
)

/** `magic` followed by `size` filler bytes: as much of a file as the server looks at. */
export const starting = (magic: string | number[], size = 300) =>
  Buffer.concat([typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic), Buffer.alloc(size, 0x20)])

/** Files of each type the server can tell, as their first bytes show them. */
export const SAMPLES: Record<string, Buffer> = {
  'image/png': PNG,
  'image/jpeg': starting([0xff, 0xd8, 0xff, 0xe0]),
  'image/gif': starting('GIF89a'),
  'image/webp': starting('RIFF\x10\x00\x00\x00WEBPVP8 '),
  'application/pdf': starting('%PDF-1.7\n'),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': starting('PK\x03\x04'),
  // A ZIP's first local header (30 bytes: the name's length at 26), naming its first entry "mimetype".
  'application/vnd.oasis.opendocument.text': starting(`PK\x03\x04${'\x00'.repeat(22)}\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.text`),
  'application/msword': starting([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  'application/zip': starting('PK\x03\x04'),
  'audio/mpeg': starting('ID3\x04\x00'),
  'audio/ogg': starting('OggS\x00'),
  'audio/wav': starting('RIFF\x24\x00\x00\x00WAVEfmt '),
  'video/mp4': starting('\x00\x00\x00\x18ftypmp42'),
  'video/webm': starting([0x1a, 0x45, 0xdf, 0xa3]),
  'text/plain': Buffer.from('Order A-1042 arrived damaged. Ça arrive ✓\n', 'utf8')
}

export interface SlotRequest {
  clientId?: string
  name?: string
  size?: number
  type?: string
}

let clientIds = 0

/** `POST …/uploads` as the visitor (or as the agent with `agent`), for `bytes` unless the request says otherwise. */
export function requestSlot(server: TestServer, v: TestVisitor, request: SlotRequest = {}, bytes: Buffer = PNG, agentKey?: string) {
  const path = agentKey === undefined ? `/v1/conversations/${v.conversation.id}/uploads` : `/v1/agent/conversations/${v.conversation.id}/uploads`
  return server.call<UploadSlot & { error: { code: string; message: string } }>('POST', path, {
    token: agentKey ?? v.token,
    body: { clientId: `file-${++clientIds}`, name: 'photo.png', size: bytes.length, type: 'image/png', ...request }
  })
}

/** PUT `bytes` to the slot with its headers (and `headers` on top); the answer's status and JSON error code. */
export async function putBytes(slot: UploadSlot, bytes: Buffer | Uint8Array, headers: Record<string, string> = {}) {
  const response = await fetch(slot.putUrl, { method: 'PUT', headers: { ...slot.headers, ...headers }, body: new Uint8Array(bytes) })
  const text = await response.text()
  return { status: response.status, headers: response.headers, code: text === '' ? undefined : (JSON.parse(text).error?.code as string | undefined) }
}

/** A slot granted for `bytes` of `type`, with its bytes put. */
export async function storedFile(server: TestServer, v: TestVisitor, bytes: Buffer, request: SlotRequest = {}) {
  const granted = await requestSlot(server, v, request, bytes)
  if (granted.status !== 201) throw new Error(`the slot request answered ${granted.status}: ${JSON.stringify(granted.body)}`)
  const put = await putBytes(granted.body, bytes)
  if (put.status !== 201) throw new Error(`the PUT answered ${put.status} ${put.code}`)
  return granted.body
}

/**
 * PUT with Node's http client, writing `chunks` one by one without a Content-Length (chunked), as
 * a sender that does not say how much comes. Resolves with the status, or the socket error.
 */
export function putChunked(putUrl: string, type: string, chunks: Buffer[]) {
  return new Promise<{ status?: number; error?: string }>((resolve) => {
    const request = http.request(putUrl, { method: 'PUT', agent: false, headers: { 'content-type': type } }, (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode }))
    })
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    for (const chunk of chunks) request.write(chunk)
    request.end()
  })
}

/** The same URL at another base (the server's port changes on a restart). */
export const rebase = (url: string, base: string) => {
  const { pathname, search } = new URL(url)
  return `${base}${pathname}${search}`
}
