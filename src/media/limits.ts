import { createError, type ConfabError } from '../errors/index.js'
import type { UploadLimits } from '../transports/types.js'
import { cleanName } from './names.js'

/** What {@link checkFile} reads of a file: a `File`, or a prepared attachment's facts. */
export interface FileFacts {
  name: string
  size: number
  /** MIME type; empty when the browser could not tell. */
  type: string
}

/** A size in bytes for an error message, in the units people use for files: `25 MB`, `900 kB`. */
const inUnits = (size: number) => {
  const [value, unit] = size >= 1e6 ? [size / 1e6, 'MB'] : size >= 1e3 ? [size / 1e3, 'kB'] : [size, 'bytes']
  return `${Number(value.toFixed(1))} ${unit}`
}

/**
 * Whether a MIME type is among `types`: exactly (`application/pdf`) or by family (`image/*`),
 * ignoring case and parameters. An empty list accepts any type.
 *
 * @example
 * accepts(['image/*', 'application/pdf'], 'image/webp') // true
 */
export function accepts(types: readonly string[], type: string): boolean {
  if (!types.length) return true
  const wanted = type.split(';')[0]!.trim().toLowerCase()
  return types.some((entry) => {
    const allowed = entry.trim().toLowerCase()
    return allowed.endsWith('/*') ? wanted.startsWith(allowed.slice(0, -1)) : allowed === wanted
  })
}

/**
 * The reason a file falls outside the backend's `limits`, as an `'invalid-argument'` error whose
 * message names the file and the limit (and whose `data` says which: `{ name, limit: 'type' }` or
 * `{ name, limit: 'size', maxBytes }`); `undefined` when it is within them.
 *
 * @example
 * checkFile({ name: 'scan.tiff', size: 40e6, type: 'image/tiff' }, { maxBytes: 25e6, types: ['image/jpeg'] })?.message
 * // '"scan.tiff" (image/tiff) is not a type accepted here: image/jpeg.'
 */
export function checkFile(file: FileFacts, limits: UploadLimits): ConfabError | undefined {
  const name = cleanName(file.name)
  if (!accepts(limits.types, file.type)) {
    const type = file.type || 'unknown type'
    return createError('invalid-argument', `"${name}" (${type}) is not a type accepted here: ${limits.types.join(', ')}.`, {
      data: { name, limit: 'type', types: limits.types }
    })
  }
  if (file.size > limits.maxBytes) {
    return createError('invalid-argument', `"${name}" is ${inUnits(file.size)}, over the limit of ${inUnits(limits.maxBytes)}.`, {
      data: { name, limit: 'size', maxBytes: limits.maxBytes }
    })
  }
  return undefined
}
