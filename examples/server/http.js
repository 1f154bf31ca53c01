// @ts-check

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 64 * 1024

/**
 * Most bytes of a refused request's body read and dropped before the answer (see {@link discardBody});
 * past this, the answer closes the connection.
 */
export const MAX_DISCARD_BYTES = 32 * 1024 * 1024

/**
 * An error that becomes an HTTP answer: `{ "error": { "code", "message" } }` with `status`.
 *
 * @example
 * throw new HttpError(404, 'not-found', 'Conversation c_1 does not exist')
 */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Record<string, string>} [headers]
   */
  constructor(status, code, message, headers = {}) {
    super(message)
    this.status = status
    this.code = code
    this.headers = headers
  }
}

/** @param {string} message */
export const badRequest = (message) => new HttpError(400, 'bad-request', message)

/** @param {string} message */
export const notFound = (message) => new HttpError(404, 'not-found', message)

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} [body] Sent as JSON; nothing is sent when `undefined`.
 * @param {Record<string, string | number>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  if (body === undefined) {
    res.writeHead(status, headers).end()
    return
  }
  const text = JSON.stringify(body)
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      ...headers
    })
    .end(text)
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {HttpError} error
 */
export function sendError(res, error) {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers)
}

/**
 * Read a JSON object body. An empty body without a content type counts as `{}`; anything else must
 * be `application/json`. Refusing other types also keeps browsers from sending "simple" cross-site
 * form posts that skip the CORS preflight.
 *
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Record<string, unknown>>}
 */
export async function readJsonBody(req) {
  const type = req.headers['content-type']
  const isJson = type !== undefined && /^application\/json\s*(;|$)/i.test(type)
  if (type !== undefined && !isJson) {
    throw new HttpError(415, 'unsupported-media-type', `Expected content-type application/json, got ${type}`)
  }
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw tooLarge()

  const chunks = await readUpTo(req, MAX_BODY_BYTES)
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0)
  if (size === 0) return {}
  if (!isJson) throw new HttpError(415, 'unsupported-media-type', 'A request body needs content-type application/json')

  let body
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw badRequest('The body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The body must be a JSON object')
  }
  return body
}

/**
 * Collect the body, failing as soon as it passes `limit` bytes. The rest is read and dropped before the
 * 413 goes out (see {@link discardBody}), so the client gets to read it.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer[]>}
 */
function readUpTo(req, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData)
      req.resume()
      reject(tooLarge())
    }
    req.on('data', onData)
    req.once('end', () => resolve(chunks))
    req.once('error', reject)
    req.once('close', () => reject(new HttpError(400, 'bad-request', 'The request was aborted')))
  })
}

/**
 * Read and drop what is left of a request body before answering early (a 413, a 401 …). A connection
 * closed while the client is still writing its body is reset: the client sees a broken pipe (EPIPE)
 * instead of the answer, which it may never read. Node's server closes it right after the answer when
 * the client asked for `Connection: close`, and keeps reading for ever otherwise; so read here, up to
 * `bound` bytes.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [bound]
 * @returns {Promise<boolean>} true once the body has ended; false when it is (or says it is) larger
 *   than `bound`, or the request broke off: then answer with `Connection: close`.
 */
export function discardBody(req, bound = MAX_DISCARD_BYTES) {
  if (req.complete) return Promise.resolve(true)
  if (Number(req.headers['content-length'] ?? 0) > bound) return Promise.resolve(false)
  return new Promise((resolve) => {
    let size = 0
    /** @param {boolean} ended */
    const done = (ended) => {
      req.off('data', onData).off('end', onEnd).off('close', onBroken).off('error', onBroken)
      resolve(ended)
    }
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length
      if (size > bound) done(false)
    }
    const onEnd = () => done(true)
    const onBroken = () => done(false)
    req.on('data', onData).once('end', onEnd).once('close', onBroken).once('error', onBroken)
    req.resume()
  })
}

function tooLarge() {
  return new HttpError(413, 'too-large', `The body is larger than ${MAX_BODY_BYTES / 1024} KiB`)
}

/**
 * The bearer token of a request, if any.
 * @param {import('node:http').IncomingMessage} req
 */
export function bearer(req) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}
