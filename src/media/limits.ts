import { acceptsType } from '../content/upload-types.js'
import { createError, type ConfabError } from '../errors/index.js'
import type { UploadLimits } from '../transports/types.js'
import { sizeText } from '../util/size.js'
import { cleanName } from './names.js'

/** What {@link checkFile} reads of a file: a `File`, or a prepared attachment's facts. */
export interface FileFacts {
  name: string
  size: number
  /** MIME type. */
  type: string
}

/**
 * The reason a file falls outside the backend's `limits`, as an `'invalid-argument'` error naming
 * the file and the limit in the words `client.send` uses for the same refusal; `undefined` when the
 * file is within them.
 *
 * @example
 * checkFile({ name: 'scan.tiff', size: 4e7, type: 'image/tiff' }, { maxBytes: 25 * 2 ** 20, types: ['image/*'] })?.message
 * // '"scan.tiff" is larger than 25 MB'
 */
export function checkFile(file: FileFacts, limits: UploadLimits): ConfabError | undefined {
  const name = cleanName(file.name)
  if (file.size > limits.maxBytes) return createError('invalid-argument', `"${name}" is larger than ${sizeText(limits.maxBytes)}`)
  if (!acceptsType(limits.types, file.type)) return createError('invalid-argument', `"${name}" is of a type this chat does not accept (${file.type})`)
  return undefined
}
