import { describe, expect, it } from 'vitest'
import { isConfabError } from '../../../src/errors/index.js'
import type { ImagePart, MessageContent } from '../../../src/transports/types.js'
import { bodyOf, contentXml } from '../../../src/transports/xmpp/content.js'
import { stanzaError } from '../../../src/transports/xmpp/errors.js'
import { readMessage } from '../../../src/transports/xmpp/messages.js'
import { readItems, readSlot, readUploadService, refusal, slotRequest } from '../../../src/transports/xmpp/uploads.js'
import { el, NS, parseFrame } from '../../../src/transports/xmpp/xml.js'
import { nodeGlobals } from '../../support/xmpp/node.js'

// HTTP File Upload (XEP-0363) on the wire: finding the service, asking for a slot, reading it, and
// how a message with files looks to Confab and to any other XMPP client.

const parser = new nodeGlobals.DOMParser()
const parse = (text: string) => parseFrame(parser, text)!
const room = { id: 'confab-1', jid: 'confab-1@conference.example', visitorId: 'guest-1', isVisitor: (nick: string) => nick === 'guest-1' }
const service = { jid: 'upload.example', limits: { maxBytes: 1000, types: [] } }
const file = { clientId: 'f1', name: 'bill.pdf', size: 400, type: 'application/pdf' }

/** A disco#info answer as Prosody's mod_http_file_share gives it. */
const uploadInfo = (form: string) =>
  parse(
    "<iq xmlns='jabber:client' type='result' from='upload.example'><query xmlns='http://jabber.org/protocol/disco#info'>" +
      "<identity category='store' type='file' name='HTTP File Upload'/><feature var='urn:xmpp:http:upload:0'/>" +
      `${form}</query></iq>`
  )

/** An `<iq type="error">` with `condition` and, inside `<error>`, `extra`. */
const iqError = (type: string, condition: string, extra = '') =>
  stanzaError(
    parse(`<iq xmlns='jabber:client' type='error'><error type='${type}'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>${extra}</error></iq>`),
    'The request'
  )

/** `content` as a groupchat stanza of the visitor, read back as the room delivers it. */
const roundTrip = (content: MessageContent) => {
  const stanza = parse(el('message', { xmlns: NS.client, from: `${room.jid}/guest-1`, type: 'groupchat' }, ...contentXml(content)).xml)
  return { stanza, message: readMessage(stanza, room, 'S1', 5)! }
}
const bodyIn = (stanza: Element) => stanza.getElementsByTagName('body')[0]?.textContent
const oobUrls = (stanza: Element) => [...stanza.getElementsByTagNameNS(NS.oob, 'url')].map((url) => url.textContent)

describe('XMPP HTTP File Upload on the wire', () => {
  it('finds an upload service and the largest file it takes in its disco#info answer', () => {
    const answer = uploadInfo(
      "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>" +
        "<field var='max-file-size' type='text-single'><value>10485760</value></field></x>"
    )
    expect(readUploadService('upload.example', answer)).toEqual({ jid: 'upload.example', limits: { maxBytes: 10485760, types: [] } })
  })

  it('reads no limit from a service that names none, and no service from an answer without the feature', () => {
    expect(readUploadService('upload.example', uploadInfo(''))?.limits.maxBytes).toBe(Number.MAX_SAFE_INTEGER)
    const muc = parse("<iq xmlns='jabber:client' type='result'><query xmlns='http://jabber.org/protocol/disco#info'><feature var='http://jabber.org/protocol/muc'/></query></iq>")
    expect(readUploadService('conference.example', muc)).toBeUndefined()
  })

  it('lists the services among the items of a host, leaving out items that name a node', () => {
    const items = parse(
      "<iq xmlns='jabber:client' type='result'><query xmlns='http://jabber.org/protocol/disco#items'>" +
        "<item jid='conference.example'/><item jid='upload.example' name='HTTP File Upload'/><item jid='example' node='announcements'/></query></iq>"
    )
    expect(readItems(items)).toEqual(['conference.example', 'upload.example'])
  })

  it('asks for a slot with the file’s name, size and type, a name never being a path', () => {
    expect(slotRequest({ name: 'bill <2026>.pdf', size: 400, type: 'application/pdf' }).xml).toBe(
      '<request xmlns="urn:xmpp:http:upload:0" filename="bill &lt;2026&gt;.pdf" size="400" content-type="application/pdf"/>'
    )
    expect(slotRequest({ name: '../etc/passwd', size: 1, type: '' }).xml).toBe('<request xmlns="urn:xmpp:http:upload:0" filename=".._etc_passwd" size="1"/>')
  })

  it('reads a slot: the PUT with the file’s type and only the headers XEP-0363 allows, the GET URL, and a lifetime', () => {
    const answer = parse(
      "<iq xmlns='jabber:client' type='result'><slot xmlns='urn:xmpp:http:upload:0'>" +
        "<put url='https://up.example/put/abc/bill.pdf'><header name='Authorization'>Bearer t0k\nen</header>" +
        "<header name='cookie'>s=1</header><header name='Expires'>Tue, 08 Dec 2026 07:00:00 GMT</header><header name='X-Forwarded-For'>1.2.3.4</header></put>" +
        "<get url='https://up.example/get/abc/bill.pdf'/></slot></iq>"
    )
    expect(readSlot(answer, 'application/pdf', 1000)).toEqual({
      putUrl: 'https://up.example/put/abc/bill.pdf',
      headers: { 'Content-Type': 'application/pdf', Authorization: 'Bearer t0ken', Cookie: 's=1', Expires: 'Tue, 08 Dec 2026 07:00:00 GMT' },
      getUrl: 'https://up.example/get/abc/bill.pdf',
      expiresAt: 1000 + 4 * 60_000
    })
  })

  it('refuses a slot without HTTP URLs as a malformed answer', () => {
    const answer = parse("<iq xmlns='jabber:client' type='result'><slot xmlns='urn:xmpp:http:upload:0'><put url='javascript:alert(1)'/><get url='https://up.example/x'/></slot></iq>")
    expect(() => readSlot(answer, '', 0)).toThrow(expect.objectContaining({ code: 'malformed-event', retryable: false }))
  })

  it('answers a file too large with status 413 and a refused type with 415, both final', () => {
    const tooLarge = refusal(
      iqError('modify', 'not-acceptable', "<file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>1000</max-file-size></file-too-large>"),
      { ...file, size: 400 },
      service
    )
    expect(tooLarge).toMatchObject({ code: 'http', status: 413, retryable: false })
    // A server that only says not-acceptable, for a file over the limit it announced.
    expect(refusal(iqError('modify', 'not-acceptable'), { ...file, size: 1001 }, service)).toMatchObject({ status: 413, retryable: false })
    expect(refusal(iqError('modify', 'not-acceptable'), file, service)).toMatchObject({ code: 'http', status: 415, retryable: false })
  })

  it('leaves other refusals as the server said them: forbidden is final, a quota is worth a later try', () => {
    const forbidden = refusal(iqError('auth', 'forbidden'), file, service)
    expect(isConfabError(forbidden) && [forbidden.code, forbidden.retryable]).toEqual(['unauthorized', false])
    const quota = refusal(iqError('wait', 'resource-constraint'), file, service)
    expect(isConfabError(quota) && [quota.code, quota.retryable]).toEqual(['rate-limited', true])
  })
})

describe('XMPP messages with uploaded files', () => {
  const photo: ImagePart = { type: 'image', url: 'https://up.example/get/abc/photo.png', alt: 'The box', width: 640, height: 480, mediaType: 'image/png', name: 'photo.png', size: 12345 }

  it('sends a message of only an image with its URL as the body and an OOB link, its size, name and dimensions in the Confab element', () => {
    const { stanza, message } = roundTrip({ text: 'photo.png', parts: [photo] })
    expect(bodyIn(stanza)).toBe(photo.url)
    expect(oobUrls(stanza)).toEqual([photo.url])
    expect(stanza.getElementsByTagNameNS(NS.oob, 'desc')[0]?.textContent).toBe('The box')
    expect(JSON.parse(stanza.getElementsByTagNameNS(NS.confab, 'content')[0]!.textContent!)).toEqual({ text: 'photo.png', parts: [photo] })
    expect(message).toMatchObject({ text: 'photo.png', parts: [photo] })
  })

  it('adds the URLs of files its text does not hold to the body, one a line, and reads the text back without them', () => {
    const bill = { type: 'file' as const, url: 'https://up.example/get/def/bill.pdf', name: 'bill.pdf', size: 400, mediaType: 'application/pdf' }
    const { stanza, message } = roundTrip({ text: 'Here are both', parts: [photo, bill] })
    expect(bodyIn(stanza)).toBe(`Here are both\n${photo.url}\n${bill.url}`)
    expect(oobUrls(stanza)).toEqual([photo.url, bill.url])
    expect(message).toMatchObject({ text: 'Here are both', parts: [photo, bill] })
    expect(bodyOf(`See ${bill.url}`, [bill])).toBe(`See ${bill.url}`)
  })

  it('reads a plain client’s upload, its URL as the body, as an image or a file part without that URL as text', () => {
    const shared = (url: string) => parse(`<message xmlns='jabber:client' from='${room.jid}/Ann' type='groupchat'><body>${url}</body><x xmlns='jabber:x:oob'><url>${url}</url></x></message>`)
    expect(readMessage(shared('https://up.example/a/IMG_0042.JPG'), room, 'S1', 5)).toMatchObject({
      text: 'IMG_0042.JPG',
      parts: [{ type: 'image', url: 'https://up.example/a/IMG_0042.JPG', name: 'IMG_0042.JPG' }]
    })
    const { text, parts } = readMessage(shared('https://up.example/b/tax%20form.pdf'), room, 'S2', 5)!
    expect({ text, parts }).toStrictEqual({ text: 'tax form.pdf', parts: [{ type: 'file', url: 'https://up.example/b/tax%20form.pdf', name: 'tax form.pdf' }] })
  })

  it('keeps a caption a plain client wrote above its upload’s URL as the text', () => {
    const stanza = parse(
      `<message xmlns='jabber:client' from='${room.jid}/Ann' type='groupchat'><body>Your parcel\nhttps://up.example/c/parcel.webp</body>` +
        "<x xmlns='jabber:x:oob'><url>https://up.example/c/parcel.webp</url></x></message>"
    )
    expect(readMessage(stanza, room, 'S1', 5)).toMatchObject({ text: 'Your parcel', parts: [{ type: 'image', url: 'https://up.example/c/parcel.webp' }] })
  })
})
