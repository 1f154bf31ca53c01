import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createServer } from '../../../examples/server/app.js'
import { DEFAULT_UPLOAD_TYPES } from '../../../examples/server/uploads.js'
import { AGENT_KEY, sleep, startServer, visitor, type TestServer, type TestVisitor } from './helpers.js'
import { PNG, SAMPLES, putBytes, putChunked, rebase, requestSlot, starting, storedFile } from './upload-helpers.js'

const MB = 1024 * 1024

/** The files in the server's upload folder. */
const filesOn = (server: TestServer) => readdirSync(join(server.dataDir, 'uploads'))

/** Aim upload faults at one visitor. */
const aim = (server: TestServer, v: TestVisitor, faults: Record<string, unknown>) =>
  server.call('POST', `/v1/_faults/visitors/${v.visitorId}`, { token: AGENT_KEY, body: faults })

/** Send a message with `parts` as the visitor. */
const sendParts = (server: TestServer, v: TestVisitor, parts: unknown[], clientId = `parts-${Math.random()}`) =>
  server.call('POST', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token, body: { clientId, text: 'Here it is', parts } })

describe('upload slots', () => {
  it('announces the upload limits with every session', async () => {
    const server = await startServer({ uploads: { maxBytes: 5 * MB, types: ['image/*', 'application/pdf'] } })
    const created = await server.call('POST', '/v1/sessions', { body: {} })
    const resumed = await server.call('POST', '/v1/sessions', { body: { resumeKey: created.body.resumeKey } })
    expect(created.body.uploadLimits).toEqual({ maxBytes: 5 * MB, types: ['image/*', 'application/pdf'] })
    expect(resumed.body.uploadLimits).toEqual(created.body.uploadLimits)
  })

  it('announces 25 MB of pictures, PDFs, text, office documents, sound, video and ZIP archives by default', async () => {
    const server = await startServer()
    const { body } = await server.call('POST', '/v1/sessions', { body: {} })
    expect(body.uploadLimits).toEqual({ maxBytes: 25 * MB, types: [...DEFAULT_UPLOAD_TYPES] })
    expect(body.uploadLimits.types).toEqual(expect.arrayContaining(['image/jpeg', 'application/pdf', 'text/plain', 'audio/*', 'video/mp4', 'application/zip']))
  })

  it('grants a slot with an absolute one-time putUrl, its Content-Type, a getUrl and an expiry', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const before = Date.now()
    const { status, body } = await requestSlot(server, v, { name: 'Reçu 12.png' })
    expect(status).toBe(201)
    expect(body).toEqual({
      putUrl: expect.stringMatching(new RegExp(`^${server.url}/v1/uploads/u_[\\w-]+\\?token=[\\w-]{32}$`)),
      headers: { 'Content-Type': 'image/png' },
      getUrl: expect.stringMatching(new RegExp(`^${server.url}/v1/files/u_[\\w-]+/Re%C3%A7u%2012\\.png$`)),
      expiresAt: expect.any(Number)
    })
    expect(body.expiresAt).toBeGreaterThanOrEqual(before + 15 * 60_000)
    expect(body.expiresAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000)
  })

  it('answers the same slot to a repeated request with the same clientId', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const first = await requestSlot(server, v, { clientId: 'same' })
    const again = await requestSlot(server, v, { clientId: 'same' })
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
  })

  it('refuses a clientId asked again for another file with 400 upload-conflict', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await requestSlot(server, v, { clientId: 'same' })
    const other = await requestSlot(server, v, { clientId: 'same', size: PNG.length + 1 })
    expect(other.status).toBe(400)
    expect(other.body.error.code).toBe('upload-conflict')
  })

  it('refuses a file larger than maxBytes with 413 naming the limit', async () => {
    const server = await startServer({ uploads: { maxBytes: 1000 } })
    const v = await visitor(server)
    const { status, body } = await requestSlot(server, v, { size: 1001 })
    expect(status).toBe(413)
    expect(body.error).toEqual({ code: 'too-large', message: expect.stringContaining('at most 1000 bytes') })
  })

  it('refuses a type the limits do not accept with 415 naming the accepted types', async () => {
    const server = await startServer({ uploads: { types: ['image/*', 'application/pdf'] } })
    const v = await visitor(server)
    const { status, body } = await requestSlot(server, v, { name: 'setup.exe', type: 'application/x-msdownload' })
    expect(status).toBe(415)
    expect(body.error).toEqual({ code: 'unsupported-media-type', message: expect.stringContaining('image/*, application/pdf') })
  })

  it('accepts a type by its family (image/*) and any type when types is empty', async () => {
    const family = await startServer({ uploads: { types: ['image/*'] } })
    expect((await requestSlot(family, await visitor(family), { type: 'image/avif' })).status).toBe(201)
    const any = await startServer({ uploads: { types: [] } })
    expect((await requestSlot(any, await visitor(any), { type: 'application/x-anything' })).status).toBe(201)
  })

  it('refuses a slot request without a file name, a whole size or a MIME type with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (const bad of [{ name: '' }, { name: 'a\nb.png' }, { size: 0 }, { size: 1.5 }, { size: '12' }, { type: 'png' }]) {
      const { status, body } = await requestSlot(server, v, bad as object)
      expect([status, body.error.code], JSON.stringify(bad)).toEqual([400, 'bad-request'])
    }
  })

  it("answers 404 for a slot in another visitor's conversation, and 401 without a token", async () => {
    const server = await startServer()
    const owner = await visitor(server)
    const stranger = await visitor(server)
    expect((await requestSlot(server, { ...owner, token: stranger.token })).status).toBe(404)
    const anonymous = await server.call('POST', `/v1/conversations/${owner.conversation.id}/uploads`, { body: { clientId: 'x', name: 'a.png', size: 1, type: 'image/png' } })
    expect(anonymous.status).toBe(401)
  })

  it('refuses a new slot in a closed conversation with 403', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.call('POST', `/v1/conversations/${v.conversation.id}/close`, { token: v.token })
    expect((await requestSlot(server, v)).status).toBe(403)
  })

  it('gives a slot asked again after it expired a fresh token and expiry, with the same getUrl', async () => {
    const server = await startServer({ uploads: { slotLifetimeMs: 50 } })
    const v = await visitor(server)
    const first = (await requestSlot(server, v, { clientId: 'late' })).body
    await sleep(60)
    const again = await requestSlot(server, v, { clientId: 'late' })
    expect(again.status).toBe(200)
    expect(again.body.getUrl).toBe(first.getUrl)
    expect(again.body.putUrl).not.toBe(first.putUrl)
    expect(again.body.expiresAt).toBeGreaterThan(first.expiresAt!)
  })

  it('answers stored: true to a slot asked again once its bytes are in', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = await storedFile(server, v, PNG, { clientId: 'done' })
    const again = await requestSlot(server, v, { clientId: 'done' })
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ ...slot, stored: true })
  })

  it('gives absolute URLs at publicUrl when the server is told where visitors reach it', async () => {
    const server = await startServer({ publicUrl: 'https://chat.example.com/confab/' })
    const v = await visitor(server)
    const { body } = await requestSlot(server, v)
    expect(body.putUrl).toMatch(/^https:\/\/chat\.example\.com\/confab\/v1\/uploads\/u_/)
    expect(body.getUrl).toMatch(/^https:\/\/chat\.example\.com\/confab\/v1\/files\/u_/)
  })

  it('refuses upload options that are not limits', () => {
    const dataDir = join(process.cwd(), 'never-created')
    expect(() => createServer({ dataDir, uploads: { maxBytes: 0 } })).toThrow(/maxBytes/)
    expect(() => createServer({ dataDir, uploads: { types: ['png'] } })).toThrow(/not a MIME type/)
    expect(() => createServer({ dataDir, uploads: { slotLifetimeMs: -1 } })).toThrow(/slotLifetimeMs/)
    expect(() => createServer({ dataDir, publicUrl: 'ftp://example.com' })).toThrow(/publicUrl/)
  })
})

describe('putting the bytes', () => {
  it('stores the bytes put to the slot (201) and serves the same bytes at getUrl', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    expect((await putBytes(slot, PNG)).status).toBe(201)
    const served = await fetch(slot.getUrl)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG)
  })

  it('stores the file as <dataDir>/uploads/<id>, beside the journal', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = await storedFile(server, v, PNG)
    const id = new URL(slot.getUrl).pathname.split('/')[3]!
    expect(readFileSync(join(server.dataDir, 'uploads', id))).toEqual(PNG)
  })

  it('refuses a PUT with a wrong token with 403 and stores nothing', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    const forged = { ...slot, putUrl: slot.putUrl.replace(/token=.*/, 'token=guessed') }
    expect(await putBytes(forged, PNG)).toMatchObject({ status: 403, code: 'forbidden' })
    expect(filesOn(server)).toEqual([])
  })

  it('refuses a PUT to an expired slot with 410, and the slot asked again takes the bytes', async () => {
    const server = await startServer({ uploads: { slotLifetimeMs: 50 } })
    const v = await visitor(server)
    const first = (await requestSlot(server, v, { clientId: 'slow' })).body
    await sleep(60)
    expect(await putBytes(first, PNG)).toMatchObject({ status: 410, code: 'upload-expired' })
    const renewed = (await requestSlot(server, v, { clientId: 'slow' })).body
    expect((await putBytes(renewed, PNG)).status).toBe(201)
  })

  it('answers a second PUT after the file is stored with 200, without storing it twice', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = await storedFile(server, v, PNG)
    const journal = () => readFileSync(join(server.dataDir, 'journal.jsonl'), 'utf8').split('\n').length
    const lines = journal()
    expect((await putBytes(slot, PNG)).status).toBe(200)
    expect(journal()).toBe(lines)
    expect(filesOn(server)).toHaveLength(1)
  })

  it('refuses fewer bytes than the slot was asked for with 400 size-mismatch, storing nothing', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    expect(await putBytes(slot, PNG.subarray(0, 20))).toMatchObject({ status: 400, code: 'size-mismatch' })
    expect(filesOn(server)).toEqual([])
  })

  it('refuses more bytes than the slot was asked for with 413, storing nothing', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    expect(await putBytes(slot, Buffer.concat([PNG, Buffer.alloc(10)]))).toMatchObject({ status: 413, code: 'too-large' })
    expect(filesOn(server)).toEqual([])
  })

  it('stops reading a body sent without a length once it passes the slot size, and answers 413', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const size = 64 * 1024
    const bytes = starting('%PDF-1.7\n', size - 9)
    const slot = (await requestSlot(server, v, { name: 'big.pdf', type: 'application/pdf', size })).body
    const chunks = [bytes, ...Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20))]
    expect((await putChunked(slot.putUrl, 'application/pdf', chunks)).status).toBe(413)
    expect(filesOn(server)).toEqual([])
  })

  it('stores a body sent without a length when it has exactly the bytes declared', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const bytes = SAMPLES['text/plain']!
    const slot = (await requestSlot(server, v, { name: 'note.txt', type: 'text/plain' }, bytes)).body
    const half = Math.floor(bytes.length / 2)
    expect((await putChunked(slot.putUrl, 'text/plain', [bytes.subarray(0, half), bytes.subarray(half)])).status).toBe(201)
  })

  it.each(Object.keys(SAMPLES))('stores a %s file whose bytes start as one does', async (type) => {
    const server = await startServer()
    const v = await visitor(server)
    const bytes = SAMPLES[type]!
    const slot = (await requestSlot(server, v, { name: 'sample', type }, bytes)).body
    expect((await putBytes(slot, bytes)).status).toBe(201)
  })

  it.each([
    ['a Windows program renamed to .pdf', 'invoice.pdf', 'application/pdf', starting('MZ\x90\x00')],
    ['a Linux program renamed to .png', 'cat.png', 'image/png', starting([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])],
    ['a script renamed to .txt', 'notes.txt', 'text/plain', Buffer.from('#!/bin/sh\nrm -rf ~\n')],
    ['a script declared as a type the server cannot tell', 'clip.mov', 'video/x-custom', Buffer.from('#!/usr/bin/env python3\n')],
    ['a PNG declared as a PDF', 'invoice.pdf', 'application/pdf', PNG],
    ['a ZIP declared as an OpenDocument text', 'letter.odt', 'application/vnd.oasis.opendocument.text', SAMPLES['application/zip']!]
  ])('refuses %s with 415, storing nothing', async (_, name, type, bytes) => {
    const server = await startServer({ uploads: { types: [] } })
    const v = await visitor(server)
    const slot = (await requestSlot(server, v, { name, type }, bytes)).body
    expect(await putBytes(slot, bytes)).toMatchObject({ status: 415, code: 'unsupported-media-type' })
    expect(filesOn(server)).toEqual([])
  })

  it.each([
    ['that is not UTF-8', Buffer.from([0x48, 0x69, 0xc3, 0x28, 0x0a])],
    ['that holds a NUL byte', Buffer.from('Hi\x00there\n', 'latin1')],
    ['that ends in the middle of a character', Buffer.from([0x48, 0x69, 0xe2, 0x9c])]
  ])('refuses text/plain %s with 415', async (_, bytes) => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v, { name: 'note.txt', type: 'text/plain' }, bytes)).body
    expect(await putBytes(slot, bytes)).toMatchObject({ status: 415, code: 'unsupported-media-type' })
  })

  it('takes a text file that merely starts with the letters MZ', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const bytes = Buffer.from('MZ: the part of the address you forgot\n')
    const slot = (await requestSlot(server, v, { name: 'note.txt', type: 'text/plain' }, bytes)).body
    expect((await putBytes(slot, bytes)).status).toBe(201)
  })

  it("refuses a PUT whose Content-Type differs from the slot's with 415", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    expect(await putBytes(slot, PNG, { 'Content-Type': 'text/html' })).toMatchObject({ status: 415, code: 'unsupported-media-type' })
  })

  it('keeps slots and stored files across a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const stored = await storedFile(server, v, PNG, { clientId: 'before' })
    const pending = (await requestSlot(server, v, { clientId: 'pending' })).body
    await server.restart()

    const served = await fetch(rebase(stored.getUrl, server.url))
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG)
    expect((await putBytes({ ...pending, putUrl: rebase(pending.putUrl, server.url) }, PNG)).status).toBe(201)
    const again = await requestSlot(server, v, { clientId: 'before' })
    expect([again.status, again.body.stored]).toEqual([200, true])
  })

  it('keeps uploads across a compaction of the journal', async () => {
    const server = await startServer({ compactEvery: 3 })
    const v = await visitor(server)
    const stored = await storedFile(server, v, PNG, { clientId: 'kept' })
    await v.send('one more record')
    await server.restart()
    expect((await fetch(rebase(stored.getUrl, server.url))).status).toBe(200)
    expect((await requestSlot(server, v, { clientId: 'kept' })).body.stored).toBe(true)
  })

  it('drops the bytes of a PUT cut off midway, and the slot still takes them afterwards', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    await aim(server, v, { failNextPuts: 1, putFault: 'reset' })
    await expect(putBytes(slot, PNG)).rejects.toThrow()
    await sleep(20)
    expect(filesOn(server)).toEqual([])
    expect((await putBytes(slot, PNG)).status).toBe(201)
  })
})

describe('serving files', () => {
  it('serves a picture inline, with nosniff, a private cache and a sandboxing CSP', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = await storedFile(server, v, PNG, { name: 'screen shot.png' })
    const { headers } = await fetch(slot.getUrl)
    expect(Object.fromEntries(headers)).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `inline; filename="screen shot.png"; filename*=UTF-8''screen%20shot.png`,
      'x-content-type-options': 'nosniff',
      'cache-control': expect.stringMatching(/^private, max-age=\d+/),
      'content-security-policy': "default-src 'none'; sandbox",
      'content-length': String(PNG.length)
    })
  })

  it('serves anything that is not a picture as an attachment, its UTF-8 name in filename*', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const bytes = SAMPLES['application/pdf']!
    const slot = await storedFile(server, v, bytes, { name: 'Facture n°12 "été".pdf', type: 'application/pdf' })
    const { headers } = await fetch(slot.getUrl)
    expect(headers.get('content-type')).toBe('application/pdf')
    expect(headers.get('content-disposition')).toBe(
      `attachment; filename="Facture n_12 __t__.pdf"; filename*=UTF-8''Facture%20n%C2%B012%20%22%C3%A9t%C3%A9%22.pdf`
    )
  })

  it('serves an SVG as an attachment of type application/octet-stream, never as an image', async () => {
    const server = await startServer({ uploads: { types: ['image/*'] } })
    const v = await visitor(server)
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>')
    const slot = await storedFile(server, v, svg, { name: 'logo.svg', type: 'image/svg+xml' })
    const { headers } = await fetch(slot.getUrl)
    expect(headers.get('content-type')).toBe('application/octet-stream')
    expect(headers.get('content-disposition')).toMatch(/^attachment; /)
    expect(headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves an HTML file as an attachment of type application/octet-stream', async () => {
    const server = await startServer({ uploads: { types: [] } })
    const v = await visitor(server)
    const html = Buffer.from('<!doctype html><script>alert(1)</script>')
    const slot = await storedFile(server, v, html, { name: 'page.html', type: 'text/html' })
    const { headers } = await fetch(slot.getUrl)
    expect([headers.get('content-type'), headers.get('content-disposition')?.split(';')[0]]).toEqual(['application/octet-stream', 'attachment'])
  })

  it('serves text as UTF-8 plain text', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = await storedFile(server, v, SAMPLES['text/plain']!, { name: 'note.txt', type: 'text/plain' })
    expect((await fetch(slot.getUrl)).headers.get('content-type')).toBe('text/plain; charset=utf-8')
  })

  it('serves one byte range with 206, for audio and video that seek, and 416 past the end', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const bytes = SAMPLES['video/mp4']!
    const slot = await storedFile(server, v, bytes, { name: 'clip.mp4', type: 'video/mp4' })
    const part = await fetch(slot.getUrl, { headers: { range: 'bytes=4-11' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 4-11/${bytes.length}`)
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe('ftypmp42')
    const tail = await fetch(slot.getUrl, { headers: { range: 'bytes=-3' } })
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(-3))
    const past = await fetch(slot.getUrl, { headers: { range: `bytes=${bytes.length}-` } })
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${bytes.length}`])
  })

  it('answers a HEAD with the headers and no body, and a known ETag with 304', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = await storedFile(server, v, PNG)
    const head = await fetch(slot.getUrl, { method: 'HEAD' })
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, String(PNG.length), ''])
    const again = await fetch(slot.getUrl, { headers: { 'if-none-match': head.headers.get('etag')! } })
    expect(again.status).toBe(304)
  })

  it('answers 404 for a file whose bytes were not put yet, and for an unknown id', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    expect((await fetch(slot.getUrl)).status).toBe(404)
    expect((await fetch(`${server.url}/v1/files/u_unknownunknown/x.png`)).status).toBe(404)
  })
})

describe('uploads from other sites (CORS)', () => {
  it('allows a PUT with Content-Type from any site in the preflight', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    const preflight = await fetch(slot.putUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' }
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT')
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type')
  })

  it('lets any site read the answer of the PUT and the file', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    const put = await putBytes(slot, PNG, { origin: 'https://shop.example' })
    expect(put.headers.get('access-control-allow-origin')).toBe('*')
    const file = await fetch(slot.getUrl, { headers: { origin: 'https://shop.example' } })
    expect(file.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('messages with uploaded files', () => {
  it('stores a visitor message whose image and file parts point at files stored in its conversation', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const image = await storedFile(server, v, PNG, { name: 'photo.png' })
    const pdf = SAMPLES['application/pdf']!
    const file = await storedFile(server, v, pdf, { name: 'invoice.pdf', type: 'application/pdf' })
    const parts = [
      { type: 'image', url: image.getUrl, alt: 'The damaged box', width: 1, height: 1, mediaType: 'image/png', name: 'photo.png', size: PNG.length },
      { type: 'file', url: file.getUrl, name: 'invoice.pdf', size: pdf.length, mediaType: 'application/pdf' }
    ]
    const sent = await sendParts(server, v, parts)
    expect(sent.status).toBe(201)
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0].parts).toEqual(parts)
  })

  it('refuses a part pointing at an upload whose bytes were not put, with 400 upload-not-stored', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    const { status, body } = await sendParts(server, v, [{ type: 'image', url: slot.getUrl }])
    expect([status, body.error.code]).toEqual([400, 'upload-not-stored'])
    expect(body.error.message).toContain('parts[0].url')
  })

  it('refuses a part pointing at a file of another conversation, or at an id the server never gave', async () => {
    const server = await startServer()
    const owner = await visitor(server)
    const other = await visitor(server)
    const theirs = await storedFile(server, owner, PNG)
    expect((await sendParts(server, other, [{ type: 'image', url: theirs.getUrl }])).status).toBe(400)
    expect((await sendParts(server, other, [{ type: 'file', name: 'x.pdf', url: `${server.url}/v1/files/u_madeupmadeup/x.pdf` }])).status).toBe(400)
  })

  it('refuses an image part whose file is not a picture, and a size or type that is not the file’s', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const pdf = await storedFile(server, v, SAMPLES['application/pdf']!, { name: 'a.pdf', type: 'application/pdf' })
    const png = await storedFile(server, v, PNG)
    expect((await sendParts(server, v, [{ type: 'image', url: pdf.getUrl }])).status).toBe(400)
    expect((await sendParts(server, v, [{ type: 'image', url: png.getUrl, size: PNG.length + 1 }])).status).toBe(400)
    expect((await sendParts(server, v, [{ type: 'file', name: 'a.pdf', url: png.getUrl, mediaType: 'application/pdf' }])).status).toBe(400)
  })

  it('leaves image and file parts that point at other servers alone', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status } = await sendParts(server, v, [{ type: 'image', url: 'https://cdn.example.com/v1/files/u_whateverwhatever/a.png' }])
    expect(status).toBe(201)
  })
})

describe('agent uploads', () => {
  it('lets an agent upload a file with the agent key and send it in a message', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const bytes = SAMPLES['application/pdf']!
    const granted = await requestSlot(server, v, { name: 'guide.pdf', type: 'application/pdf' }, bytes, AGENT_KEY)
    expect(granted.status).toBe(201)
    expect((await putBytes(granted.body, bytes)).status).toBe(201)
    const part = { type: 'file', url: granted.body.getUrl, name: 'guide.pdf', size: bytes.length, mediaType: 'application/pdf' }
    const sent = await server.call('POST', `/v1/agent/conversations/${v.conversation.id}/messages`, {
      token: AGENT_KEY,
      body: { clientId: 'agent-file', text: 'The guide', parts: [part] }
    })
    expect(sent.status).toBe(201)
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0].parts).toEqual([part])
  })

  it("keeps an agent's clientIds apart from the visitor's", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const theirs = await requestSlot(server, v, { clientId: 'same' })
    const ours = await requestSlot(server, v, { clientId: 'same' }, PNG, AGENT_KEY)
    expect(ours.status).toBe(201)
    expect(ours.body.getUrl).not.toBe(theirs.body.getUrl)
  })

  it('refuses an agent slot without the agent key with 401, and a visitor token is not one', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await requestSlot(server, v, {}, PNG, v.token)).status).toBe(401)
  })
})

describe('upload faults', () => {
  it('refuses the next PUTs with 503 when told to, then takes the bytes', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    await aim(server, v, { failNextPuts: 2, putFault: 'unavailable' })
    expect(await putBytes(slot, PNG)).toMatchObject({ status: 503, code: 'unavailable' })
    expect((await putBytes(slot, PNG)).status).toBe(503)
    expect((await putBytes(slot, PNG)).status).toBe(201)
  })

  it("cuts the next PUT's connection once its first bytes came, when told to", async () => {
    const server = await startServer()
    const v = await visitor(server)
    const slot = (await requestSlot(server, v)).body
    const { body } = await aim(server, v, { failNextPuts: 1 })
    expect(body).toMatchObject({ failNextPuts: 1, putFault: 'reset' })
    await expect(putBytes(slot, PNG)).rejects.toThrow(TypeError)
  })

  it("expires the visitor's slots at once when told to, and only those not stored", async () => {
    const server = await startServer()
    const v = await visitor(server)
    await storedFile(server, v, PNG)
    const pending = (await requestSlot(server, v)).body
    const { body } = await aim(server, v, { expireUploads: true })
    expect(body.expiredUploads).toBe(1)
    expect(await putBytes(pending, PNG)).toMatchObject({ status: 410, code: 'upload-expired' })
  })

  it('refuses a putFault it does not know with 400', async () => {
    const server = await startServer()
    const v = await visitor(server)
    expect((await aim(server, v, { putFault: 'slow' })).status).toBe(400)
  })
})
