import type { OutgoingFile } from '../cache/types.js'
import { isBlob } from '../cache/records.js'
import { LIMITS } from '../content/check.js'
import { createError } from '../errors/index.js'
import type { PartType, Transport, UploadLimits, VisitorContent } from '../transports/types.js'
import { checkFile } from '../media/limits.js'
import { randomId } from '../util/ids.js'
import type { Attachment } from './api.js'
import { visitorContent } from './content.js'

/** Image types every browser Confab supports shows inline; other images go as files. */
const SHOWN = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif'])
const MIME = /^[\w.+-]{1,63}\/[\w.+-]{1,63}$/

/** What `attachFiles` needs to know about where the files go. */
export interface AttachContext {
  /** What the backend accepts; unknown before the first session (the backend then judges alone). */
  limits: UploadLimits | undefined
  /** The part types the transport carries. */
  partTypes: readonly PartType[]
  /** Parts the message has besides its files. */
  otherParts: number
  crypto?: Crypto
}

/** A name a person reads, at most `LIMITS.name` characters, its extension kept. */
function nameOf(given: unknown, kind: OutgoingFile['kind'], type: string): string {
  const name = typeof given === 'string' ? given.trim() : ''
  if (!name) {
    const subtype = type.split('/')[1]!.replace(/^x-|\+.*$/g, '')
    const extension = ({ plain: 'txt', jpeg: 'jpg' } as Record<string, string>)[subtype] ?? subtype
    return /^[a-z0-9]{1,5}$/.test(extension) ? `${kind}.${extension}` : kind
  }
  if (name.length <= LIMITS.name) return name
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  return name.slice(0, LIMITS.name - extension.length - 1) + '…' + extension
}

/**
 * The files of a message the visitor sends, checked before anything shows: each a `Blob` (a `File`
 * gives its name) or an {@link Attachment}, within the backend's limits, no more parts than a message
 * holds. Throws an `'invalid-argument'` error naming the file and the limit.
 *
 * @example
 * attachFiles([file], { limits: { maxBytes: 1024, types: ['image/*'] }, partTypes: ['image', 'file'], otherParts: 0 })
 * // throws: "video.mov" is larger than 1 KB
 */
export function attachFiles(given: readonly (Blob | Attachment)[], context: AttachContext): { files: OutgoingFile[]; blobs: { id: string; blob: Blob }[] } {
  if (!Array.isArray(given)) throw createError('invalid-argument', '"files" must be an array of files')
  if (given.length + context.otherParts > LIMITS.parts) {
    throw createError('invalid-argument', `A message holds at most ${LIMITS.parts} files and parts`)
  }
  const files: OutgoingFile[] = []
  const blobs: { id: string; blob: Blob }[] = []
  given.forEach((item, index) => {
    const attachment: Partial<Attachment> = isBlob(item) ? { file: item } : (item as Attachment) ?? {}
    const blob = attachment.file
    if (!isBlob(blob)) throw createError('invalid-argument', `files[${index}] is neither a Blob nor { file: Blob }`)
    const declared = (blob.type || '').split(';')[0]!.trim().toLowerCase()
    const type = MIME.test(declared) ? declared : 'application/octet-stream'
    const kind = SHOWN.has(type) && context.partTypes.includes('image') ? 'image' : 'file'
    const name = nameOf(attachment.name ?? (blob as File).name, kind, type)
    if (kind === 'file' && !context.partTypes.includes('file')) throw createError('unsupported', `"${name}" cannot be sent: this chat carries no files`)
    checkFile(name, blob.size, type, context.limits)
    const file: OutgoingFile = { id: randomId(context.crypto), kind, name, size: blob.size, type }
    if (kind === 'image') {
      for (const side of ['width', 'height'] as const) {
        const value = attachment[side]
        if (value === undefined) continue
        if (!Number.isInteger(value) || value! <= 0) throw createError('invalid-argument', `The ${side} of "${name}" must be a whole number of pixels`)
        file[side] = value
      }
    }
    files.push(file)
    blobs.push({ id: file.id, blob })
  })
  return { files, blobs }
}

/**
 * What the visitor sends with `send()`: the content checked (see `visitorContent`; the text may be
 * empty when files come with it) and its files (see {@link attachFiles}), each with its bytes.
 */
export function visitorMessage(
  input: string | (VisitorContent & { files?: readonly (Blob | Attachment)[] }),
  transport: Transport,
  limits: UploadLimits | undefined,
  crypto?: Crypto
): { content: VisitorContent & { files?: OutgoingFile[] }; blobs: { id: string; blob: Blob }[] } {
  const given = typeof input === 'object' && input !== null ? input.files : undefined
  if (given === undefined || (Array.isArray(given) && given.length === 0)) {
    const { files: _files, ...rest } = typeof input === 'object' && input !== null ? input : { text: input }
    return { content: visitorContent(typeof input === 'string' ? input : rest, transport), blobs: [] }
  }
  const { files: _files, ...rest } = input as VisitorContent & { files: unknown }
  if (!transport.requestUpload) throw createError('unsupported', `The ${transport.name} transport does not take files`)
  const blank = typeof rest.text !== 'string' || rest.text.trim() === ''
  // Files need no words with them: the text is checked as any other, a placeholder standing in for none.
  const content: VisitorContent = visitorContent(blank ? { ...rest, text: '-' } : rest, transport)
  if (blank) content.text = ''
  const { files, blobs } = attachFiles(given, { limits, partTypes: transport.capabilities.content ?? [], otherParts: content.parts?.length ?? 0, crypto })
  return { content: { ...content, files }, blobs }
}
