import { describe, expect, it } from 'vitest'
import { isConfabError } from '../../../src/errors/index.js'
import type { Message, TransportEvent, UploadRequest } from '../../../src/transports/types.js'
import { el, NS } from '../../../src/transports/xmpp/xml.js'
import { useVisitors, useXmppServer } from '../../support/xmpp/harness.js'
import { nodeGlobals } from '../../support/xmpp/node.js'

// HTTP File Upload (XEP-0363) through a real Prosody (mod_http_file_share) and a real ejabberd
// (mod_http_upload), each started on 127.0.0.1 with the configs the tests and the demo use: the
// transport finds the service, the bytes go over HTTP as the widget puts them, and the message that
// points at the file reaches an ordinary XMPP account the way XMPP clients share uploads.

/** The page the widget would run on: another origin than the upload service's. */
const PAGE = 'http://127.0.0.1:15400'
/** What the test configs announce as max-file-size (10 MiB). */
const MAX_BYTES = 10 * 1024 * 1024

const messageEvents = (events: TransportEvent[]) => events.flatMap((e) => (e.type === 'message' ? [e.message] : []))
const contentOf = ({ id: _id, conversationId: _c, author: _a, createdAt: _t, clientId: _k, ...content }: Message) => content

for (const kind of ['prosody', 'ejabberd'] as const) {
  describe(`XMPP HTTP File Upload on ${kind}`, () => {
    const env = useXmppServer(kind)
    const { transport, visitorInRoom } = useVisitors(env)

    /** Some bytes that are not text, and the request for them. */
    const aFile = (clientId: string, name = 'receipt.pdf', type = 'application/pdf') => {
      const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)
      const request: UploadRequest = { clientId, name, size: bytes.length, type }
      return { bytes, request }
    }

    it('finds the upload service by service discovery and announces its max-file-size with the session', async () => {
      const visitor = transport()
      expect(visitor.capabilities.uploads).toBe(false)
      const session = await visitor.connect({})
      expect(session.uploadLimits).toEqual({ maxBytes: MAX_BYTES, types: [] })
      expect(visitor.capabilities.uploads).toBe(true)
      expect(typeof visitor.requestUpload).toBe('function')
    })

    it('declares no uploads on a host without an upload service, and refuses requestUpload() as unsupported', async () => {
      // Service discovery on the MUC service, which lists no upload service (its rooms are private).
      const visitor = transport({ domain: env.server.mucService })
      const session = await visitor.connect({})
      expect(session.uploadLimits).toBeUndefined()
      expect(visitor.capabilities.uploads).toBe(false)
      const { id } = await visitor.createConversation({ mode: 'messaging' })
      const refused = await visitor.requestUpload!(id, aFile('none').request).catch((error: unknown) => error)
      expect(isConfabError(refused) && [refused.code, refused.retryable]).toEqual(['unsupported', false])
    })

    it('grants a slot whose PUT stores the bytes, which its GET URL serves back unchanged', async () => {
      const { visitor, id } = await visitorInRoom()
      const { bytes, request } = aFile(`put-${kind}`)
      const slot = await visitor.requestUpload!(id, request)
      expect(slot.headers?.['Content-Type']).toBe('application/pdf')
      expect(Object.keys(slot.headers ?? {}).every((name) => ['Content-Type', 'Authorization', 'Cookie', 'Expires'].includes(name))).toBe(true)
      const put = await fetch(slot.putUrl, { method: 'PUT', headers: { ...slot.headers, Origin: PAGE }, body: bytes })
      expect([put.status, put.headers.get('access-control-allow-origin')]).toEqual([201, expect.stringMatching(/^(\*|http:\/\/127\.0\.0\.1:15400)$/)])
      const got = await fetch(slot.getUrl)
      expect(got.status).toBe(200)
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes)
    })

    it('answers the CORS preflight of that PUT from a page of another origin', async () => {
      const { visitor, id } = await visitorInRoom()
      const slot = await visitor.requestUpload!(id, aFile(`cors-${kind}`, 'photo.png', 'image/png').request)
      const asked = Object.keys(slot.headers ?? {}).map((name) => name.toLowerCase())
      const preflight = await fetch(slot.putUrl, {
        method: 'OPTIONS',
        headers: { Origin: PAGE, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': asked.join(',') }
      })
      expect(preflight.ok).toBe(true)
      expect(preflight.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/127\.0\.0\.1:15400)$/)
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT')
      const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/)
      expect(asked.filter((name) => !allowed.includes(name))).toEqual([])
    })

    it('delivers a message with the uploaded file to another XMPP account as its URL for a body and an XEP-0066 link', async () => {
      const { visitor, id } = await visitorInRoom()
      const { bytes, request } = aFile(`send-${kind}`, 'photo of the box.png', 'image/png')
      const slot = await visitor.requestUpload!(id, request)
      await fetch(slot.putUrl, { method: 'PUT', headers: slot.headers, body: bytes })
      const image = { type: 'image' as const, url: slot.getUrl, name: request.name, size: request.size, mediaType: request.type, width: 40, height: 30 }
      const stored = await visitor.send(id, { clientId: `msg-${kind}`, text: request.name, parts: [image] })
      expect(contentOf(stored)).toStrictEqual({ text: request.name, parts: [image] })
      await expect.poll(() => env.agent.seen.find((m) => m.room === id)).toMatchObject({ body: slot.getUrl, text: request.name, content: { parts: [image] } })
      const stanza = new nodeGlobals.DOMParser().parseFromString(env.agent.seen.find((m) => m.room === id)!.xml, 'text/xml').documentElement
      expect([...stanza.getElementsByTagNameNS(NS.oob, 'url')].map((url) => url.textContent)).toEqual([slot.getUrl])
      // What the other account downloads is what the visitor put.
      expect(new Uint8Array(await (await fetch(slot.getUrl)).arrayBuffer())).toEqual(bytes)
    })

    it('shows the visitor a file an ordinary XMPP client shared as an image part, its URL not repeated as text', async () => {
      const { visitor, id, seen } = await visitorInRoom()
      const slot = await visitor.requestUpload!(id, aFile(`plain-${kind}`, 'parcel.jpg', 'image/jpeg').request)
      await env.agent.sendXml(id, el('body', {}, slot.getUrl), el('x', { xmlns: NS.oob }, el('url', {}, slot.getUrl)))
      await seen.until('the shared file', (events) => messageEvents(events).length > 0)
      const [shared] = messageEvents(seen.events)
      expect(contentOf(shared!)).toStrictEqual({ text: 'parcel.jpg', parts: [{ type: 'image', url: slot.getUrl, name: 'parcel.jpg' }] })
    })

    it('refuses a file larger than max-file-size with status 413, not worth retrying', async () => {
      const { visitor, id } = await visitorInRoom()
      const refused = await visitor.requestUpload!(id, { clientId: `big-${kind}`, name: 'huge.iso', size: MAX_BYTES + 1, type: 'application/octet-stream' }).catch((error: unknown) => error)
      expect(isConfabError(refused) && [refused.code, refused.status, refused.retryable]).toEqual(['http', 413, false])
    })

    it('answers a repeat for the same file with the same slot, and with that slot as stored once its bytes are in', async () => {
      const { visitor, session, id } = await visitorInRoom()
      const asked = env.proxy.record(session)
      const slotRequests = () => asked.filter((frame) => frame.includes(NS.upload)).length
      const { bytes, request } = aFile(`again-${kind}`)
      const [first, twin] = await Promise.all([visitor.requestUpload!(id, request), visitor.requestUpload!(id, request)])
      expect(twin).toEqual(first)
      expect(await visitor.requestUpload!(id, request)).toEqual(first)
      await fetch(first.putUrl, { method: 'PUT', headers: first.headers, body: bytes })
      expect(await visitor.requestUpload!(id, request)).toEqual({ ...first, stored: true })
      expect(slotRequests()).toBe(1)
    })

    it('grants a fresh slot for a file whose slot expired before its bytes were put', async () => {
      let clock = Date.now()
      const visitor = transport({ now: () => clock })
      const session = await visitor.connect({})
      const { id } = await visitor.createConversation({ mode: 'messaging' })
      const asked = env.proxy.record(session)
      const { request } = aFile(`expired-${kind}`)
      const first = await visitor.requestUpload!(id, request)
      clock = first.expiresAt! + 1
      const fresh = await visitor.requestUpload!(id, request)
      expect(fresh.putUrl).not.toBe(first.putUrl)
      expect(fresh.expiresAt).toBeGreaterThan(clock)
      expect(asked.filter((frame) => frame.includes(NS.upload))).toHaveLength(2)
    })

    it('keeps the slot a caller stopped waiting for, for the next request of the same file', async () => {
      const { visitor, session, id } = await visitorInRoom()
      const asked = env.proxy.record(session)
      const { request } = aFile(`aborted-${kind}`)
      const held = env.proxy.hold(session, (frame) => frame.includes(NS.upload))
      const stop = new AbortController()
      const gaveUp = visitor.requestUpload!(id, request, { signal: stop.signal })
      const release = await held
      stop.abort()
      await expect(gaveUp).rejects.toMatchObject({ code: 'closed' })
      // The request goes on: its answer is kept for the next caller.
      release()
      const slot = await visitor.requestUpload!(id, request)
      expect(asked.filter((frame) => frame.includes(NS.upload))).toHaveLength(1)
      const put = await fetch(slot.putUrl, { method: 'PUT', headers: slot.headers, body: aFile('x').bytes })
      expect(put.status).toBe(201)
    })
  })
}
