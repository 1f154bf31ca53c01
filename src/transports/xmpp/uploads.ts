import { createError } from '../../errors/index.js'
import type { UploadRequest, UploadSlot } from '../types.js'
import { keyOf, type PendingSlot, type UploadService, type XmppContext } from './context.js'
import { roomFor } from './directory.js'
import { conditionOf } from './errors.js'
import { request } from './requests.js'
import { abortable } from './waiters.js'
import { child, children, childText, el, NS, type Xml } from './xml.js'

/*
 * Files, the way XMPP clients share them: HTTP File Upload (XEP-0363). Service discovery (XEP-0030)
 * finds the server's upload service when connecting, with the largest file it takes (its
 * `max-file-size`, XEP-0128). For each file the service grants a slot: a URL to PUT the bytes to,
 * the headers that PUT must carry, and the URL the file is read from afterwards. The client puts
 * the bytes itself, then sends the message whose image and file parts point at those URLs (how such
 * a message looks to other XMPP clients: content.ts).
 *
 * XEP-0363 has no idempotency key, and a slot takes one PUT. So slots are kept by client id for the
 * session: asking again (the answer was lost, the caller stopped waiting, the PUT failed) answers
 * the same slot until it expires, then a fresh one; once the service serves the file (a `HEAD` of
 * its GET URL answers 200), the answer is that slot with `stored: true`, nothing left to put.
 * Nothing survives a reload: the client asks again and puts the same bytes a second time, to a
 * second slot. Only the message is sent once.
 */

/** XEP-0363 names no lifetime: Prosody's slots take their PUT within 5 minutes (ejabberd's within 5 hours). */
const SLOT_LIFE = 4 * 60_000
/** The only headers XEP-0363 lets a service ask the PUT to carry. */
const PUT_HEADERS = ['Authorization', 'Cookie', 'Expires']
/** A service that names no `max-file-size` takes files of any size. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER
/** Items of the server asked about, at most: a server lists its components, a handful. */
const MAX_ITEMS = 20

const isHttp = (url: string) => /^https?:\/\/[^/]/i.test(url)

/** The value of the field `name` of a data form (XEP-0004). */
const fieldValue = (form: Element | undefined, name: string) =>
  childText(
    children(form, 'field', NS.data).find((field) => field.getAttribute('var') === name),
    'value',
    NS.data
  )

/**
 * The upload service a disco#info answer from `jid` describes, or `undefined` when `jid` is no
 * upload service.
 *
 * @example
 * readUploadService('upload.example.com', answer) // { jid: 'upload.example.com', limits: { maxBytes: 10485760, types: [] } }
 */
export function readUploadService(jid: string, answer: Element): UploadService | undefined {
  const query = child(answer, 'query', NS.disco)
  if (!children(query, 'feature', NS.disco).some((feature) => feature.getAttribute('var') === NS.upload)) return undefined
  const form = children(query, 'x', NS.data).find((x) => fieldValue(x, 'FORM_TYPE') === NS.upload)
  const max = Number(fieldValue(form, 'max-file-size'))
  return { jid, limits: { maxBytes: Number.isSafeInteger(max) && max > 0 ? max : NO_LIMIT, types: [] } }
}

/** The JIDs a disco#items answer lists (items that name a node are not services). */
export const readItems = (answer: Element): string[] =>
  children(child(answer, 'query', NS.discoItems), 'item', NS.discoItems).flatMap((item) => {
    const jid = item.getAttribute('jid')
    return jid && !item.hasAttribute('node') ? [jid] : []
  })

/**
 * Find the server's upload service: the main host itself, or one of the items it lists (Prosody's
 * `http_file_share` component, ejabberd's `upload.` host). `undefined` when there is none, or
 * when the server does not answer service discovery.
 */
export async function findUploadService(ctx: XmppContext, label: string): Promise<UploadService | undefined> {
  const { domain } = ctx.options
  const ask = (jid: string, xmlns: string) => request(ctx, label, (conn) => conn.iq('get', jid, el('query', { xmlns }), `${label}: asking ${jid}`))
  const items = await ask(domain, NS.discoItems).then(readItems, () => [])
  const candidates = [...new Set([domain, ...items])].slice(0, MAX_ITEMS + 1)
  const found = await Promise.all(candidates.map((jid) => ask(jid, NS.disco).then((answer) => readUploadService(jid, answer), () => undefined)))
  return found.find((service) => service !== undefined)
}

/** The slot request (XEP-0363 §4) for one file. A name cannot be a path: its slashes become `_`. */
export const slotRequest = ({ name, size, type }: Pick<UploadRequest, 'name' | 'size' | 'type'>): Xml =>
  el('request', { xmlns: NS.upload, filename: name.replace(/[/\\]/g, '_').trim() || 'file', size, 'content-type': type || undefined })

/**
 * The slot a service granted, from its answer: the PUT carries the file's type and the headers
 * XEP-0363 allows (others are dropped, newlines taken out). Throws `malformed-event` when the
 * answer holds no HTTP URLs.
 *
 * @example
 * readSlot(answer, 'image/png', Date.now())
 * // { putUrl: 'https://up.example/…', headers: { 'Content-Type': 'image/png', Authorization: 'Bearer …' }, getUrl: 'https://up.example/…', expiresAt: … }
 */
export function readSlot(answer: Element, type: string, now: number): UploadSlot {
  const slot = child(answer, 'slot', NS.upload)
  const put = child(slot, 'put', NS.upload)
  const putUrl = put?.getAttribute('url') ?? ''
  const getUrl = child(slot, 'get', NS.upload)?.getAttribute('url') ?? ''
  if (!isHttp(putUrl) || !isHttp(getUrl)) {
    throw createError('malformed-event', 'The upload service granted a slot without HTTP URLs', {
      retryable: false,
      data: answer.outerHTML?.slice(0, 1000)
    })
  }
  const headers: Record<string, string> = type ? { 'Content-Type': type } : {}
  for (const header of children(put, 'header', NS.upload)) {
    const name = PUT_HEADERS.find((allowed) => allowed.toLowerCase() === header.getAttribute('name')?.trim().toLowerCase())
    if (name) headers[name] = (header.textContent ?? '').replace(/[\r\n]/g, '')
  }
  return { putUrl, headers, getUrl, expiresAt: now + SLOT_LIFE }
}

/**
 * What a refused slot request becomes: too large (XEP-0363's `<file-too-large/>`, or `not-acceptable`
 * for a file over the announced limit) is status 413, another `not-acceptable` (Prosody's refused
 * type) 415, both final. Other errors stay as the server said them (`forbidden`: not allowed to
 * upload; `resource-constraint`: a quota, retryable).
 */
export function refusal(error: unknown, { name, size, type }: UploadRequest, service: UploadService): unknown {
  const condition = conditionOf(error)
  const specific = (error as { data?: { specific?: string } } | null)?.data?.specific
  if (specific === 'file-too-large' || (condition === 'not-acceptable' && size > service.limits.maxBytes)) {
    return createError('http', `${service.jid} refused "${name}": ${size} bytes, over its limit`, { status: 413, retryable: false, cause: error })
  }
  if (condition === 'not-acceptable') {
    return createError('http', `${service.jid} refused "${name}": type ${type || 'unknown'}`, { status: 415, retryable: false, cause: error })
  }
  return error
}

/** Ask the service for a slot for `file`, kept under `key` until it fails or the session ends. */
function grant(ctx: XmppContext, key: string, service: UploadService, file: UploadRequest): PendingSlot {
  const answer = request(ctx, 'requestUpload()', (conn) => conn.iq('get', service.jid, slotRequest(file), `Asking ${service.jid} for an upload slot`)).then(
    (reply) => readSlot(reply, file.type, ctx.now()),
    (error: unknown) => {
      throw refusal(error, file, service)
    }
  )
  const pending: PendingSlot = { answer }
  ctx.slots.set(key, pending)
  answer.catch(() => {
    if (ctx.slots.get(key) === pending) ctx.slots.delete(key)
  })
  return pending
}

/** The slot for one file of a message in conversation `id` (see above for asking again). */
export async function requestUpload(ctx: XmppContext, id: string, file: UploadRequest, { signal }: { signal?: AbortSignal } = {}): Promise<UploadSlot> {
  const label = 'requestUpload()'
  const { clientId, name, size, type } = file ?? ({} as Partial<UploadRequest>)
  if (typeof clientId !== 'string' || clientId === '' || typeof name !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(size) || size! < 0) {
    throw createError('invalid-argument', `${label} needs a clientId, the file’s name, its size in bytes and its type`)
  }
  await roomFor(ctx, id, label)
  if (signal?.aborted) throw createError('closed', `${label} was aborted`, { cause: signal.reason })
  const service = ctx.upload
  if (!service) throw createError('unsupported', `${label}: the XMPP server offers no HTTP File Upload (XEP-0363) service`, { retryable: false })
  const key = keyOf(id, clientId)
  const known = ctx.slots.get(key)
  if (known) {
    const slot = await abortable(known.answer, signal, label)
    if (known.stored || (await served(ctx, slot.getUrl))) {
      known.stored = true
      return { ...slot, stored: true }
    }
    if ((slot.expiresAt ?? Infinity) > ctx.now()) return slot
  }
  return abortable(grant(ctx, key, service, file).answer, signal, label)
}

/** Whether the service serves the file at `url` already: its bytes were put. */
async function served(ctx: XmppContext, url: string): Promise<boolean> {
  try {
    // Called on the global object: a browser's fetch refuses any other `this`.
    const answer = await (ctx.options.fetch ?? fetch).call(globalThis, url, { method: 'HEAD' })
    return answer.ok
  } catch {
    // Unreachable, or no CORS on the GET URL: taken as not there, so the slot is answered again.
    return false
  }
}
