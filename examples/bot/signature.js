// @ts-check
import crypto from 'node:crypto'

/**
 * Whether `header` (the `X-Confab-Signature-256` of a bot hook delivery) is the signature of `body`,
 * the raw bytes received (before any JSON parsing), with `secret`. Compared in constant time, so the
 * time taken says nothing about how much of a forged signature was right.
 *
 * @param {string} secret
 * @param {Buffer | string} body
 * @param {string | string[] | undefined} header
 * @returns {boolean}
 * @example
 * if (!verifySignature(secret, rawBody, req.headers['x-confab-signature-256'])) return refuse(401)
 */
export function verifySignature(secret, body, header) {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(body).digest('hex'))
  const given = Buffer.from(header.slice('sha256='.length))
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}
