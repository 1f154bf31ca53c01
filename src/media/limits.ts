import { acceptsType } from '../content/upload-types.js'
import { createError } from '../errors/index.js'
import type { UploadLimits } from '../transports/types.js'
import { sizeText } from '../util/size.js'

/** What {@link checkFile} reads of a file: a `File`, or a prepared attachment's facts. */
export interface FileFacts {
  /** The name the refusal gives it, as the person reads it (cleaned by the caller, see `cleanName`). */
  name: string
  size: number
  /** MIME type. */
  type: string
}

/**
 * Refuse a file outside the backend's `limits`: throws an `'invalid-argument'` error naming the file
 * and the limit. Without limits (none known before the first session) it refuses nothing: the
 * backend judges alone. The one check of both `client.send` (before a file shows) and
 * `prepareFiles` (before it is offered): small and on its own, so that the core and the media chunk
 * each carry it without carrying each other.
 *
 * @example
 * checkFile({ name: 'scan.tiff', size: 4e7, type: 'image/tiff' }, { maxBytes: 25 * 2 ** 20, types: ['image/*'] })
 * // throws: "scan.tiff" is larger than 25 MB
 */
export function checkFile({ name, size, type }: FileFacts, limits: UploadLimits | undefined): void {
  if (!limits) return
  if (size > limits.maxBytes) throw createError('invalid-argument', `"${name}" is larger than ${sizeText(limits.maxBytes)}`)
  if (!acceptsType(limits.types, type)) throw createError('invalid-argument', `"${name}" is of a type this chat does not accept (${type})`)
}
