import { acceptsType } from '../content/upload-types.js'
import { createError, type ConfabError } from '../errors/index.js'
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
 * The reason a file falls outside the backend's `limits`, as an `'invalid-argument'` error naming
 * the file and the limit; `undefined` when the file is within them. The one check of both
 * `client.send` (before a file shows) and `prepareFiles` (before it is offered): small and on its
 * own, so that the core and the media chunk each carry it without carrying each other.
 *
 * @example
 * checkFile({ name: 'scan.tiff', size: 4e7, type: 'image/tiff' }, { maxBytes: 25 * 2 ** 20, types: ['image/*'] })?.message
 * // '"scan.tiff" is larger than 25 MB'
 */
export function checkFile({ name, size, type }: FileFacts, limits: UploadLimits): ConfabError | undefined {
  if (size > limits.maxBytes) return createError('invalid-argument', `"${name}" is larger than ${sizeText(limits.maxBytes)}`)
  if (!acceptsType(limits.types, type)) return createError('invalid-argument', `"${name}" is of a type this chat does not accept (${type})`)
  return undefined
}
