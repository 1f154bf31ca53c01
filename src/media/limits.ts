import { acceptsType } from '../content/upload-types.js'
import { createError } from '../errors/index.js'
import type { UploadLimits } from '../transports/types.js'
import { sizeText } from '../util/size.js'

/**
 * Refuse a file outside the backend's `limits`: throws an `'invalid-argument'` error naming the file
 * (by `name`, as the person reads it: the caller cleans it) and the limit. Without limits (none known
 * before the first session) it refuses nothing: the backend judges alone. The one check of both
 * `client.send` (before a file shows) and `prepareFiles` (before it is offered): small and on its own,
 * so that the core and the media chunk each carry it without carrying each other (its arguments are
 * plain values: an object to destructure costs the core bytes it counts).
 *
 * @example
 * checkFile('scan.tiff', 4e7, 'image/tiff', { maxBytes: 25 * 2 ** 20, types: ['image/*'] })
 * // throws: "scan.tiff" is larger than 25 MB
 */
export function checkFile(name: string, size: number, type: string, limits: UploadLimits | undefined): void {
  if (!limits) return
  if (size > limits.maxBytes) throw createError('invalid-argument', `"${name}" is larger than ${sizeText(limits.maxBytes)}`)
  if (!acceptsType(limits.types, type)) throw createError('invalid-argument', `"${name}" is of a type this chat does not accept (${type})`)
}
