import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'

/** What the host knows of one file: its slot, the bytes of the put under way, the puts that completed. */
export interface HostedFile {
  id: string
  clientId: string
  conversationId: string
  name: string
  size: number
  /** Bytes of the put under way (or of the last one). */
  received: number
  /** Puts that began. */
  attempts: number
  /** Puts that brought every byte. */
  puts: number
  /** Slot requests answered. */
  slots: number
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, PUT',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600'
}

/**
 * An upload host on 127.0.0.1, as a bucket with presigned URLs is: `POST /slots` answers the slot of a
 * file (the same for the same client id, `stored` once its bytes are in), `PUT /put/<id>` takes its
 * bytes at `bytesPerSecond` (a slow network, so a test can act in the middle of one), cross-origin.
 * Keeps counts, not bytes.
 *
 * @example
 * const host = await startUploadHost({ bytesPerSecond: 4 * 2 ** 20 })
 * const slot = await (await fetch(`${host.url}/slots`, { method: 'POST', body: JSON.stringify(request) })).json()
 */
export async function startUploadHost({ bytesPerSecond }: { bytesPerSecond: number }) {
  const files = new Map<string, HostedFile>()
  /** Puts under way, to cut. */
  const putting = new Set<import('node:http').IncomingMessage>()
  let url = ''
  const server = createServer((request, response) => {
    const answer = (status: number, body?: unknown) =>
      response.writeHead(status, { ...CORS, 'content-type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body))
    if (request.method === 'OPTIONS') return answer(204)
    if (request.method === 'POST' && request.url === '/slots') {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk))
      request.on('end', () => {
        const { conversationId, clientId, name, size, type } = JSON.parse(body)
        const file = files.get(clientId) ?? { id: randomUUID(), clientId, conversationId, name, size, received: 0, attempts: 0, puts: 0, slots: 0 }
        files.set(clientId, file)
        file.slots++
        const getUrl = `${url}/files/${file.id}/${encodeURIComponent(name)}`
        answer(200, file.puts > 0 ? { putUrl: `${url}/put/${file.id}`, getUrl, stored: true } : { putUrl: `${url}/put/${file.id}`, headers: { 'Content-Type': type }, getUrl })
      })
      return
    }
    const put = /^\/put\/([\w-]+)$/.exec(request.url ?? '')
    const file = put && [...files.values()].find((f) => f.id === put[1])
    if (request.method === 'PUT' && file) {
      file.attempts++
      putting.add(request)
      request.on('close', () => putting.delete(request))
      // Counted per request: the bytes of a put cut off may still be read after the next one began.
      let received = 0
      const started = Date.now()
      request.on('data', (chunk: Buffer) => {
        file.received = received += chunk.length
        // Read no faster than the network the test pretends: the browser's sending waits on it.
        const ahead = (received / bytesPerSecond) * 1000 - (Date.now() - started)
        if (ahead > 0) {
          request.pause()
          setTimeout(() => request.resume(), ahead)
        }
      })
      request.on('end', () => {
        if (received === file.size) file.puts++
        answer(received === file.size ? 200 : 400)
      })
      return
    }
    answer(404)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return {
    url,
    /** Cut the connections of the puts under way, as a network that went away does. */
    cutPuts: () => putting.forEach((request) => request.socket.destroy()),
    /** Every file asked a slot for. */
    files: () => [...files.values()].map((file) => ({ ...file })),
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((closed) => server.close(() => closed()))
    }
  }
}
