import type { Attachment } from '../client/index.js'
import { createError } from '../errors/index.js'
import type { UploadLimits } from '../transports/types.js'
import { gifSize } from './gif.js'
import { checkFile } from './limits.js'
import { cleanName } from './names.js'

/** Options of {@link prepareFiles}; the browser's APIs are options so that a test can pass its own. */
export interface PrepareOptions {
  /** The backend's limits (`client.$session.get()?.uploadLimits`): a file outside them is refused. */
  limits?: UploadLimits
  /**
   * Send photos as they are: measured, not scaled or re-encoded, so their metadata (the place a
   * photo was taken, the camera) goes too. Default `false`.
   */
  keepOriginals?: boolean
  /** The longest side, in pixels, a photo is scaled down to. Default 2048. */
  maxSide?: number
  /** Default: the browser's. Without one, photos pass unchanged and unmeasured. */
  createImageBitmap?: (image: Blob, options?: ImageBitmapOptions) => Promise<ImageBitmap>
  /** Where photos are drawn and encoded. Default: the browser's, else a `<canvas>` of `document`. */
  OffscreenCanvas?: typeof OffscreenCanvas
  document?: Document
}

/** JPEG quality of re-encoded photos: smaller than the camera's, no visible loss at chat sizes. */
const QUALITY = 0.85

/** What each photo format becomes when re-encoded: HEIC, which most browsers cannot show, as JPEG. */
const ENCODED: Record<string, string> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/webp': 'image/webp',
  'image/heic': 'image/jpeg',
  'image/heif': 'image/jpeg'
}

/** Image types by extension, for files the browser gives no type (HEIC photos on Windows, often). */
const BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif' }

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }

/** A file's MIME type: as the browser gives it, else by its extension, else unknown bytes (as `client.send` reads it). */
const typeOf = (file: Blob, name: string) =>
  file.type.toLowerCase() || BY_EXTENSION[/\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? ''] || 'application/octet-stream'

const unreadable = (name: string, cause?: unknown) =>
  createError('invalid-argument', `"${name}" could not be read as an image; it may be damaged.`, { cause, data: { name, limit: 'image' } })

/** Draw `bitmap` at `width` × `height` and encode it as `type`. */
async function encode(bitmap: ImageBitmap, width: number, height: number, type: string, options: PrepareOptions): Promise<Blob> {
  const Offscreen = options.OffscreenCanvas
  const canvas = Offscreen ? new Offscreen(width, height) : Object.assign(options.document!.createElement('canvas'), { width, height })
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D
  context.imageSmoothingQuality = 'high'
  context.drawImage(bitmap, 0, 0, width, height)
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality: QUALITY })
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob gave nothing'))), type, QUALITY))
}

/** One file, prepared (see {@link prepareFiles}). */
async function prepare(file: Blob, options: PrepareOptions): Promise<Attachment> {
  const given = cleanName((file as File).name ?? '')
  const type = typeOf(file, given)
  let prepared: Attachment = { file, name: given }
  const target = ENCODED[type]
  const decode = options.createImageBitmap
  if (type === 'image/gif') {
    const size = gifSize(new Uint8Array(await file.slice(0, 10).arrayBuffer()))
    if (!size) throw unreadable(given)
    prepared = { ...prepared, ...size }
  } else if (target && decode) {
    let bitmap: ImageBitmap
    try {
      // The size and turn the camera recorded (EXIF orientation) applied, as the browser shows it.
      bitmap = await decode(file, { imageOrientation: 'from-image' })
    } catch (error) {
      // HEIC only where the browser decodes it (Safari): elsewhere it goes as it is, a file.
      if (type === 'image/heic' || type === 'image/heif') return checked(prepared, type, options)
      throw unreadable(given, error)
    }
    try {
      const { width, height } = bitmap
      const scale = Math.min(1, (options.maxSide ?? 2048) / Math.max(width, height))
      prepared = { ...prepared, width: Math.round(width * scale) || 1, height: Math.round(height * scale) || 1 }
      if (!options.keepOriginals) {
        // Drawn anew, the photo keeps its pixels and nothing else: no EXIF (GPS position, camera,
        // time), no XMP, no embedded thumbnail.
        const encoded = await encode(bitmap, prepared.width!, prepared.height!, target, options)
        const extension = EXTENSIONS[encoded.type]
        const name = encoded.type === type || !extension ? given : `${given.replace(/\.\w+$/, '')}.${extension}`
        return checked({ ...prepared, file: encoded, name }, encoded.type, options)
      }
    } finally {
      bitmap.close()
    }
  }
  return checked(prepared, type, options)
}

/** `prepared`, unless it falls outside the limits. */
function checked(prepared: Attachment, type: string, { limits }: PrepareOptions): Attachment {
  checkFile(prepared.name!, prepared.file.size, type, limits)
  return prepared
}

/**
 * Get files ready to send, on the device. Photos (JPEG, PNG, WebP, and HEIC where the browser
 * decodes it) are turned upright, scaled so that their longest side is at most `maxSide` and encoded
 * anew (HEIC as JPEG): what leaves the device has no metadata, such as the place a photo was taken.
 * GIFs (which may be animated) and other files pass unchanged; GIFs are measured from their header.
 * Names lose the characters that could disguise them (see `cleanName`).
 *
 * Rejects with an `'invalid-argument'` error naming the file: an image that cannot be decoded, or a
 * file outside `limits` (after preparation: a photo too large may fit once scaled).
 *
 * @example
 * const files = await prepareFiles(input.files, { limits: client.$session.get()?.uploadLimits })
 * await client.send({ text: 'The damage', files })
 */
export function prepareFiles(files: Iterable<Blob> | ArrayLike<Blob>, options: PrepareOptions = {}): Promise<Attachment[]> {
  const { createImageBitmap: decode, OffscreenCanvas: Offscreen, document: doc } = globalThis as Partial<typeof globalThis>
  const withDefaults: PrepareOptions = {
    createImageBitmap: decode?.bind(globalThis),
    OffscreenCanvas: Offscreen,
    document: doc,
    ...options
  }
  return Promise.all(Array.from(files, (file) => prepare(file, withDefaults)))
}
