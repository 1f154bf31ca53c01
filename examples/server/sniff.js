// @ts-check
// Does a file's content match the type it was declared as? Checked on the bytes as they arrive, by
// their first bytes ("magic numbers") and, for plain text, all of them. A browser never learns a
// file's type from its name alone, and neither should the server: a program renamed to invoice.pdf
// must not be handed to the agent who opens it.

/** Bytes of the head kept to decide: enough for the longest signature below (an ODF's mimetype). */
const HEAD = 128

/** @typedef {(head: Buffer) => boolean} Signature */

/**
 * @param {number} offset
 * @param {...(string | number[])} options ASCII text or bytes, any one of which must be at `offset`.
 * @returns {Signature}
 */
const at =
  (offset, ...options) =>
  (head) =>
    options.some((option) => {
      const bytes = typeof option === 'string' ? Buffer.from(option, 'latin1') : Buffer.from(option)
      return head.length >= offset + bytes.length && head.subarray(offset, offset + bytes.length).equals(bytes)
    })

/** @param {...Signature} all @returns {Signature} */
const both =
  (...all) =>
  (head) =>
    all.every((test) => test(head))

/** @param {...Signature} any @returns {Signature} */
const either =
  (...any) =>
  (head) =>
    any.some((test) => test(head))

const ZIP = at(0, 'PK\x03\x04', 'PK\x05\x06')
/** A file of the OpenDocument family: a ZIP whose first entry, stored uncompressed, names its type. */
const odf = (/** @type {string} */ type) => both(at(0, 'PK\x03\x04'), at(30, `mimetype${type}`))
/** Word 97–2003, Excel, PowerPoint: an OLE compound file. */
const OLE = at(0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
const RIFF = (/** @type {string} */ form) => both(at(0, 'RIFF'), at(8, form))
const ISO_MEDIA = at(4, 'ftyp')
const EBML = at(0, [0x1a, 0x45, 0xdf, 0xa3])
const OGG = at(0, 'OggS')
const ID3 = at(0, 'ID3')
/** An MPEG audio frame: 11 bits of sync. */
const MPEG_FRAME = (/** @type {Buffer} */ head) => head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0
/** An AAC ADTS frame: 12 bits of sync, layer 0. */
const ADTS = (/** @type {Buffer} */ head) => head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xf6) === 0xf0

const OOXML = 'application/vnd.openxmlformats-officedocument.'
const OPENDOCUMENT = 'application/vnd.oasis.opendocument.'

/**
 * The types whose content this server can tell, and how. A type accepted by the limits but missing
 * here is taken on its declaration, once it passed {@link EXECUTABLES}, and is never served inline.
 * @type {Record<string, Signature>}
 */
export const SIGNATURES = {
  'image/jpeg': at(0, [0xff, 0xd8, 0xff]),
  'image/png': at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/gif': at(0, 'GIF87a', 'GIF89a'),
  'image/webp': RIFF('WEBP'),
  'application/pdf': at(0, '%PDF-'),
  'application/zip': ZIP,
  [`${OOXML}wordprocessingml.document`]: ZIP,
  [`${OOXML}spreadsheetml.sheet`]: ZIP,
  [`${OOXML}presentationml.presentation`]: ZIP,
  [`${OPENDOCUMENT}text`]: odf(`${OPENDOCUMENT}text`),
  [`${OPENDOCUMENT}spreadsheet`]: odf(`${OPENDOCUMENT}spreadsheet`),
  [`${OPENDOCUMENT}presentation`]: odf(`${OPENDOCUMENT}presentation`),
  'application/msword': OLE,
  'application/vnd.ms-excel': OLE,
  'application/vnd.ms-powerpoint': OLE,
  'audio/mpeg': either(ID3, MPEG_FRAME),
  'audio/aac': either(ID3, ADTS),
  'audio/ogg': OGG,
  'audio/opus': OGG,
  'video/ogg': OGG,
  'audio/wav': RIFF('WAVE'),
  'audio/wave': RIFF('WAVE'),
  'audio/x-wav': RIFF('WAVE'),
  'audio/vnd.wave': RIFF('WAVE'),
  'audio/webm': EBML,
  'video/webm': EBML,
  'audio/mp4': ISO_MEDIA,
  'audio/x-m4a': ISO_MEDIA,
  'video/mp4': ISO_MEDIA,
  'video/quicktime': ISO_MEDIA,
  'audio/flac': at(0, 'fLaC'),
  'audio/x-flac': at(0, 'fLaC')
}

/**
 * Programs, whatever they were declared as: Windows (MZ), Linux (ELF), macOS (Mach-O, and its fat
 * form, which Java classes share), and scripts (`#!`), which a desktop may run when opened.
 */
const EXECUTABLES = /** @type {[string, Signature][]} */ ([
  ['a Windows program (MZ)', at(0, 'MZ')],
  ['a Linux program (ELF)', at(0, [0x7f, 0x45, 0x4c, 0x46])],
  [
    'a macOS program (Mach-O)',
    at(0, [0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe])
  ],
  ['a script (#!)', at(0, '#!')]
])

/**
 * The check of one file's bytes against its declared `type`: `push` each chunk as it arrives (it
 * throws as soon as the bytes cannot match, so the rest need not be read), then `end` once they
 * are all in. Both throw a {@link TypeMismatch} saying what the bytes are not.
 *
 * - Every type: not a program ({@link EXECUTABLES}).
 * - A type of {@link SIGNATURES}: its magic number.
 * - `text/plain`: valid UTF-8 without NUL bytes (that is what a text file is; a binary file
 *   declared as text is not one).
 *
 * @param {string} type Lower case, without parameters.
 * @example
 * const sniff = createSniffer('image/png')
 * req.on('data', (chunk) => sniff.push(chunk))
 * req.on('end', () => sniff.end())
 */
export function createSniffer(type) {
  const signature = SIGNATURES[type]
  const text = type === 'text/plain' ? new TextDecoder('utf-8', { fatal: true }) : undefined
  /** @type {Buffer[]} */
  let head = []
  let headBytes = 0
  let decided = false

  function decide() {
    decided = true
    const bytes = Buffer.concat(head)
    head = []
    const program = EXECUTABLES.find(([, test]) => test(bytes))
    // A text file that starts with the letters "MZ" is text: only a script is a program there.
    if (program && (!text || program[0].startsWith('a script'))) throw new TypeMismatch(`the bytes are ${program[0]}, not ${type}`)
    if (signature && !signature(bytes)) throw new TypeMismatch(`the bytes are not ${type}: they do not start as one does`)
  }

  /** @param {Buffer} chunk */
  function readText(chunk) {
    if (!text) return
    if (chunk.includes(0)) throw new TypeMismatch('the bytes are not text/plain: they hold a NUL byte')
    try {
      text.decode(chunk, { stream: true })
    } catch {
      throw new TypeMismatch('the bytes are not text/plain: they are not valid UTF-8')
    }
  }

  return {
    /** @param {Buffer} chunk */
    push(chunk) {
      readText(chunk)
      if (decided) return
      head.push(chunk)
      headBytes += chunk.length
      if (headBytes >= HEAD) decide()
    },
    end() {
      if (!decided) decide()
      if (!text) return
      try {
        text.decode()
      } catch {
        throw new TypeMismatch('the bytes are not text/plain: they end in the middle of a UTF-8 character')
      }
    }
  }
}

/** The bytes of a file do not match its declared type. */
export class TypeMismatch extends Error {
  /** @override */
  name = 'TypeMismatch'
}
