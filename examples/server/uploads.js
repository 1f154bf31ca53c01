// @ts-check
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { LIMITS } from '../../src/content/check.js'
import { acceptsType, isTypePattern, normalType } from '../../src/content/upload-types.js'
import { HttpError, badRequest, discardBody, notFound } from './http.js'
import { syncDir } from './journal.js'
import { TypeMismatch, createSniffer } from './sniff.js'
import { stringField } from './validate.js'

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').Thread} Thread */
/** @typedef {import('./store.js').Upload} Upload */
/** @typedef {import('./store.js').MessageContent} MessageContent */
/** @typedef {import('./router.js').Request} Request */
/** @typedef {import('./router.js').Reply} Reply */
/** @typedef {import('./router.js').Route} Route */

/**
 * What the server takes as uploads (`createServer({ uploads })`).
 * @typedef {object} UploadOptions
 * @property {number} [maxBytes] The largest file, in bytes. Default 25 MB.
 * @property {string[]} [types] MIME types accepted, exact (`application/pdf`) or a family
 *   (`image/*`); `[]` accepts any type. Default {@link DEFAULT_UPLOAD_TYPES}.
 * @property {number} [slotLifetimeMs] How long a slot's `putUrl` works. Default 15 minutes.
 */

const OOXML = 'application/vnd.openxmlformats-officedocument.'
const OPENDOCUMENT = 'application/vnd.oasis.opendocument.'

/** Pictures, PDFs, text, office documents, sound, video and ZIP archives. */
export const DEFAULT_UPLOAD_TYPES = Object.freeze([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  `${OOXML}wordprocessingml.document`,
  `${OOXML}spreadsheetml.sheet`,
  `${OOXML}presentationml.presentation`,
  `${OPENDOCUMENT}text`,
  `${OPENDOCUMENT}spreadsheet`,
  `${OPENDOCUMENT}presentation`,
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'audio/*',
  'video/mp4',
  'video/webm',
  'application/zip'
])

/** Pictures a browser shows and cannot run: the only files served inline. */
const RASTER = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

/**
 * Types served as themselves (as an attachment, unless {@link RASTER}). Any other type, SVG and HTML
 * included, goes out as `application/octet-stream`: a browser that opens it anyway has nothing to run.
 */
const SERVED_AS_DECLARED =
  /^(image\/(jpeg|png|gif|webp)|text\/plain|application\/(pdf|zip|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[\w.+-]+|vnd\.oasis\.opendocument\.[\w.+-]+)|audio\/[\w.+-]+|video\/[\w.+-]+)$/

/** A MIME type as a slot request declares it (after {@link normalType}). */
const MEDIA_TYPE = /^[a-z0-9][\w.+-]{0,62}\/[a-z0-9][\w.+-]{0,62}$/

/** Upload ids this server mints. */
const UPLOAD_ID = /^u_[A-Za-z0-9_-]{10,64}$/

/** Control characters, which have no place in a file name. */
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * The upload settings, checked, with their defaults.
 * @param {UploadOptions} [options]
 * @returns {{ maxBytes: number, types: string[], slotLifetimeMs: number }}
 */
export function uploadSettings(options = {}) {
  const { maxBytes = 25 * 1024 * 1024, types = DEFAULT_UPLOAD_TYPES, slotLifetimeMs = 15 * 60_000 } = options
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('uploads.maxBytes must be a whole number of bytes, at least 1')
  if (!Number.isSafeInteger(slotLifetimeMs) || slotLifetimeMs < 1) throw new TypeError('uploads.slotLifetimeMs must be a whole number of ms, at least 1')
  if (!Array.isArray(types)) throw new TypeError('uploads.types must be an array of MIME types')
  const bad = types.find((type) => !isTypePattern(type))
  if (bad !== undefined) throw new TypeError(`uploads.types: ${JSON.stringify(bad)} is not a MIME type (image/png) or a family (image/*)`)
  return { maxBytes, types: types.map((type) => type.toLowerCase()), slotLifetimeMs }
}

/**
 * The file uploads of the HTTP protocol: a slot per file (`POST …/uploads`, idempotent per
 * `clientId`), the `PUT` of its bytes to the slot's one-time URL (checked against the declared size
 * and type, streamed to `<dataDir>/uploads/<id>`), the file served at its `getUrl` (never as
 * something a browser would run), and the check that a message's parts name only files that were
 * stored in their conversation.
 *
 * @param {{ store: Store, dataDir: string, options?: UploadOptions, publicUrl?: string, now?: () => number }} context
 *   `publicUrl`: the URL visitors reach this server at, for the absolute `putUrl` and `getUrl`;
 *   default `http://` and each request's `Host`.
 *
 * @example
 * const uploads = createUploads({ store, dataDir })
 * const router = createRouter([...uploads.routes, …])
 * uploads.limits // { maxBytes: 26214400, types: ['image/jpeg', …] }
 */
export function createUploads({ store, dataDir, options, publicUrl, now = Date.now }) {
  const { maxBytes, types, slotLifetimeMs } = uploadSettings(options)
  const base = publicUrl === undefined ? undefined : new URL(publicUrl)
  if (base && !/^https?:$/.test(base.protocol)) throw new TypeError('publicUrl must be an http: or https: URL')
  const root = base?.href.replace(/\/+$/, '')
  const dir = path.join(dataDir, 'uploads')
  fs.mkdirSync(dir, { recursive: true })
  // Bytes of PUTs a stop cut off: never stored, never needed.
  for (const name of fs.readdirSync(dir)) if (name.endsWith('.part')) fs.rmSync(path.join(dir, name), { force: true })

  /**
   * The URL this server is reached at, as the request names it.
   * @param {Request} request
   */
  const origin = (request) => root ?? `http://${request.req.headers.host ?? `127.0.0.1:${request.req.socket.localPort}`}`

  /**
   * The slot of an upload, as the client gets it (`UploadSlot` of src/transports/types.ts).
   * @param {Request} request
   * @param {Readonly<Upload>} upload
   */
  function slot(request, upload) {
    const at = origin(request)
    return {
      putUrl: `${at}/v1/uploads/${upload.id}?token=${upload.token}`,
      headers: { 'Content-Type': upload.type },
      getUrl: `${at}/v1/files/${upload.id}/${encodeURIComponent(upload.name)}`,
      expiresAt: upload.expiresAt,
      ...(upload.storedAt === undefined ? {} : { stored: true })
    }
  }

  /**
   * `POST /v1/conversations/:id/uploads` (and the agents' twin): a slot for one file, once per
   * `clientId`. 201 for a new slot; 200 for a repeat, with a fresh token if the first one expired,
   * or `stored: true` once the bytes are in.
   *
   * @param {Request} request
   * @param {Readonly<Thread>} thread
   * @param {Upload['by']} by
   * @returns {Promise<Reply>}
   */
  async function requestSlot(request, thread, by) {
    const body = await request.body()
    const clientId = stringField(body, 'clientId', 100)
    const name = stringField(body, 'name', LIMITS.name)
    if (CONTROL.test(name) || name.trim() === '') throw badRequest('"name" must be a file name: not blank, without control characters')
    const size = body.size
    if (!Number.isSafeInteger(size) || /** @type {number} */ (size) < 1) throw badRequest('"size" must be a whole number of bytes, at least 1')
    const type = normalType(stringField(body, 'type', 127))
    if (!MEDIA_TYPE.test(type)) throw badRequest(`"type" must be a MIME type (image/png), got ${JSON.stringify(body.type)}`)

    const conversationId = thread.conversation.id
    const known = store.uploadByClientId({ conversationId, by, clientId })
    if (known) {
      if (known.name !== name || known.size !== size || known.type !== type) {
        // 400, not 409: clients read a 409 to a send as "already stored", and this is a client's bug.
        throw new HttpError(400, 'upload-conflict', `"clientId" ${clientId} was asked for another file (${known.name}, ${known.size} bytes, ${known.type})`)
      }
      const renewed = known.storedAt === undefined && now() >= known.expiresAt ? store.renewUpload(known.id, now() + slotLifetimeMs) : known
      return { status: 200, body: slot(request, renewed) }
    }
    if (/** @type {number} */ (size) > maxBytes) {
      throw new HttpError(413, 'too-large', `The file is ${size} bytes; this server takes files of at most ${maxBytes} bytes (${megabytes(maxBytes)})`)
    }
    if (!acceptsType(types, type)) {
      throw new HttpError(415, 'unsupported-media-type', `Files of type ${type} are not accepted here; accepted: ${types.join(', ')}`)
    }
    if (thread.conversation.status === 'closed') throw new HttpError(403, 'conversation-closed', `Conversation ${conversationId} is closed`)
    const upload = store.createUpload({ conversationId, by, clientId, name, size: /** @type {number} */ (size), type, expiresAt: now() + slotLifetimeMs })
    return { status: 201, body: slot(request, upload) }
  }

  /**
   * The upload a path's `:id` names, or 404.
   * @param {Request} request
   */
  function named(request) {
    const id = request.params.id ?? ''
    const upload = UPLOAD_ID.test(id) ? store.upload(id) : undefined
    if (!upload) throw notFound(`Upload ${id.slice(0, 80)} does not exist`)
    return upload
  }

  /**
   * `PUT /v1/uploads/:id?token=…`: the bytes of a slot.
   * @param {Request} request
   * @returns {Promise<Reply>}
   */
  async function put(request) {
    const { req } = request
    const upload = named(request)
    if (!sameSecret(request.query.get('token') ?? '', upload.token)) {
      throw new HttpError(403, 'forbidden', 'The upload token is wrong: PUT to the putUrl of the slot, as it was given')
    }
    if (upload.storedAt !== undefined) {
      // Put again after a lost answer: the bytes are in, nothing to store twice.
      return { status: 200, headers: (await discardBody(req, maxBytes)) ? {} : { connection: 'close' } }
    }
    if (now() >= upload.expiresAt) {
      throw new HttpError(410, 'upload-expired', `The slot expired at ${new Date(upload.expiresAt).toISOString()}: ask for it again (POST …/uploads with the same clientId)`)
    }
    const declared = req.headers['content-type']
    if (declared !== undefined && normalType(declared) !== upload.type) {
      throw new HttpError(415, 'unsupported-media-type', `The PUT's Content-Type ${normalType(declared)} differs from the slot's ${upload.type}`)
    }
    const length = req.headers['content-length']
    if (length !== undefined) {
      const bytes = Number(length)
      if (bytes > upload.size) throw tooMany(upload)
      if (bytes < upload.size) throw tooFew(upload, bytes)
    }

    const temporary = path.join(dir, `${upload.id}.${crypto.randomBytes(6).toString('base64url')}.part`)
    const file = await fs.promises.open(temporary, 'wx')
    let received
    try {
      const sniff = createSniffer(upload.type)
      received = await receive(req, file, upload.size, (chunk) => sniff.push(chunk), () => tooMany(upload))
      if (received < upload.size) throw tooFew(upload, received)
      sniff.end()
      await file.sync()
    } catch (error) {
      await file.close().catch(() => {})
      await fs.promises.rm(temporary, { force: true })
      if (error instanceof TypeMismatch) throw new HttpError(415, 'unsupported-media-type', `Refused: ${error.message}`)
      throw error
    }
    await file.close()
    // From here to the record, nothing awaits: two PUTs of one slot cannot both store it.
    if (store.upload(upload.id)?.storedAt !== undefined) {
      fs.rmSync(temporary, { force: true })
      return { status: 200 }
    }
    fs.renameSync(temporary, path.join(dir, upload.id))
    syncDir(dir)
    store.uploadStored(upload.id)
    return { status: 201 }
  }

  /**
   * `GET /v1/files/:id/:name` (and `HEAD`): a stored file, with its type, never as something a
   * browser would run on this origin. One byte range is served when asked for (audio and video seek).
   * @param {Request} request
   */
  async function serve(request) {
    const { req, res } = request
    const upload = named(request)
    if (upload.storedAt === undefined) throw notFound(`Upload ${upload.id} holds no file yet`)
    const file = path.join(dir, upload.id)
    const stat = await fs.promises.stat(file).catch(() => undefined)
    if (!stat) throw notFound(`The file of upload ${upload.id} is missing from the server's disk`)
    const raster = RASTER.has(upload.type)
    const type = upload.type === 'text/plain' ? 'text/plain; charset=utf-8' : SERVED_AS_DECLARED.test(upload.type) ? upload.type : 'application/octet-stream'
    const etag = `"${upload.id}"`
    /** @type {Record<string, string | number>} */
    const headers = {
      'content-type': type,
      'content-disposition': `${raster ? 'inline' : 'attachment'}; ${filenameParameters(upload.name)}`,
      // The same bytes for ever, behind an unguessable URL: a browser keeps them; shared caches do not.
      'cache-control': 'private, max-age=31536000, immutable',
      'content-security-policy': "default-src 'none'; sandbox",
      // Sites that isolate themselves (COEP) still show the widget's pictures.
      'cross-origin-resource-policy': 'cross-origin',
      'accept-ranges': 'bytes',
      etag,
      'last-modified': new Date(upload.storedAt).toUTCString()
    }
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, headers).end()
    const range = req.headers['if-range'] === undefined || req.headers['if-range'] === etag ? byteRange(req.headers.range, stat.size) : undefined
    if (range === 'unsatisfiable') {
      throw new HttpError(416, 'range-not-satisfiable', `The file has ${stat.size} bytes`, { 'content-range': `bytes */${stat.size}` })
    }
    const [start, end] = range ?? [0, stat.size - 1]
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'content-length': end - start + 1,
      ...(range ? { 'content-range': `bytes ${start}-${end}/${stat.size}` } : {})
    })
    if (req.method === 'HEAD' || stat.size === 0) return void res.end()
    const stream = fs.createReadStream(file, { start, end })
    stream.on('error', () => res.destroy())
    stream.pipe(res)
  }

  /**
   * The upload a part's URL names on this server (`…/v1/files/<id>/…` at {@link origin}), or
   * undefined for a URL elsewhere.
   * @param {Request} request
   * @param {string} url
   */
  function ownFile(request, url) {
    let parsed
    try {
      parsed = new URL(url)
    } catch {
      return undefined
    }
    const here = new URL(origin(request))
    const hosts = new Set([here.host, request.req.headers.host ?? here.host])
    const prefix = `${here.pathname.replace(/\/+$/, '')}/v1/files/`
    if (!hosts.has(parsed.host) || !parsed.pathname.startsWith(prefix)) return undefined
    return parsed.pathname.slice(prefix.length).split('/')[0] ?? ''
  }

  /**
   * Refuse (400) an image or file part that points at this server's files but not at a file stored
   * in this conversation: a message must never show a file that is not there, or someone else's.
   * Its `size` and `mediaType`, when given, must be the file's; an image part must be a picture.
   *
   * @param {Request} request
   * @param {Readonly<Thread>} thread
   * @param {MessageContent} content Checked by `checkContent` already.
   */
  function checkParts(request, thread, content) {
    ;(content.parts ?? []).forEach((part, i) => {
      if (part.type !== 'image' && part.type !== 'file') return
      const id = ownFile(request, part.url)
      if (id === undefined) return
      const at = `parts[${i}]`
      const upload = UPLOAD_ID.test(id) ? store.upload(id) : undefined
      if (!upload || upload.conversationId !== thread.conversation.id) {
        throw new HttpError(400, 'upload-not-stored', `"${at}.url" is not a file of this conversation`)
      }
      if (upload.storedAt === undefined) {
        throw new HttpError(400, 'upload-not-stored', `"${at}.url" names upload ${id}, whose bytes were not put yet`)
      }
      if (part.type === 'image' && !RASTER.has(upload.type)) throw badRequest(`"${at}" is an image, but the file is ${upload.type}`)
      if (part.size !== undefined && part.size !== upload.size) throw badRequest(`"${at}.size" is ${part.size}, but the file has ${upload.size} bytes`)
      if (part.mediaType !== undefined && normalType(part.mediaType) !== upload.type) {
        throw badRequest(`"${at}.mediaType" is ${part.mediaType}, but the file is ${upload.type}`)
      }
    })
  }

  /** @type {Route['handle']} */
  const serveRoute = (request) => serve(request)
  return {
    /** What `POST /v1/sessions` announces. */
    limits: { maxBytes, types: [...types] },
    requestSlot,
    checkParts,
    /** @type {Route[]} */
    routes: [
      { method: 'PUT', path: '/v1/uploads/:id', api: 'visitor', handle: put },
      { method: 'GET', path: '/v1/files/:id/:name', api: 'visitor', handle: serveRoute },
      { method: 'HEAD', path: '/v1/files/:id/:name', api: 'visitor', handle: serveRoute }
    ]
  }
}

/** @typedef {ReturnType<typeof createUploads>} Uploads */

/**
 * Read a request's body into `file`, at most `limit` bytes: each chunk goes to `inspect` first (which
 * may throw to stop), and reading stops with `overflow()` past the limit. What is left unread is the
 * caller's to drop (app.js reads it before answering). Resolves with the bytes written.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:fs/promises').FileHandle} file
 * @param {number} limit
 * @param {(chunk: Buffer) => void} inspect
 * @param {() => Error} overflow
 * @returns {Promise<number>}
 */
function receive(req, file, limit, inspect, overflow) {
  return new Promise((resolve, reject) => {
    let received = 0
    /** @type {Promise<unknown>} */
    let writing = Promise.resolve()
    let over = false
    /** @param {unknown} [error] */
    const done = (error) => {
      if (over) return
      over = true
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose)
      // Settle once the last write did, so the caller may close the file.
      void writing.then(() => (error ? reject(error) : resolve(received)))
    }
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      if (received + chunk.length > limit) return done(overflow())
      try {
        inspect(chunk)
      } catch (error) {
        return done(error)
      }
      received += chunk.length
      // One write at a time, the request paused meanwhile: a slow disk slows the sender, not memory.
      req.pause()
      writing = writing.then(() => file.write(chunk)).then(
        () => void (over || req.resume()),
        (error) => done(error)
      )
    }
    const onEnd = () => done()
    const onClose = () => done(new HttpError(400, 'bad-request', 'The upload was cut off before its end'))
    req.on('data', onData).once('end', onEnd).once('close', onClose).once('error', onClose)
  })
}

/** @param {Readonly<Upload>} upload */
const tooMany = (upload) => new HttpError(413, 'too-large', `The slot is for ${upload.size} bytes; more were sent`)

/** @param {Readonly<Upload>} upload @param {number} bytes */
const tooFew = (upload, bytes) =>
  new HttpError(400, 'size-mismatch', `The slot is for ${upload.size} bytes; ${bytes} were sent`)

/** @param {number} bytes */
const megabytes = (bytes) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`

/**
 * Compare two secrets in constant time.
 * @param {string} given @param {string} expected
 */
function sameSecret(given, expected) {
  const digest = (/** @type {string} */ text) => crypto.createHash('sha256').update(text).digest()
  return crypto.timingSafeEqual(digest(given), digest(expected))
}

/**
 * The file name parameters of `Content-Disposition` (RFC 6266): an ASCII stand-in for old clients,
 * then the exact name in UTF-8 (RFC 8187).
 * @param {string} name
 * @example
 * filenameParameters('Résumé "v2".pdf') // `filename="R_sum_ _v2_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22v2%22.pdf`
 */
export function filenameParameters(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `filename="${ascii}"; filename*=UTF-8''${exact}`
}

/**
 * The one byte range a `Range` header asks for (`bytes=a-b`, `bytes=a-`, `bytes=-n`), as inclusive
 * offsets; undefined for none, several or a malformed one (the whole file is served);
 * `'unsatisfiable'` when it starts past the end.
 * @param {string | undefined} header
 * @param {number} size
 * @returns {[number, number] | 'unsatisfiable' | undefined}
 */
export function byteRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '')
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  const [first, last] = [match[1] ?? '', match[2] ?? '']
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0) return 'unsatisfiable'
    return [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  if (start >= size) return 'unsatisfiable'
  if (end < start) return undefined
  return [start, end]
}
