/**
 * Characters that change how a name reads without showing themselves: C0 and C1 controls, the bidi
 * embeddings, overrides and isolates (U+202E makes `photo‮gpj.exe` read as `photoexe.jpg`), marks
 * and zero-width characters, the byte order mark.
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

/** The longest extension kept whole when a name is shortened (`.jpeg`, `.docx`, `.tar.gz`'s `.gz`). */
const EXTENSION = /\.[\p{L}\p{N}]{1,8}$/u

/**
 * A file's name as the widget shows it: without the characters that would reorder or hide what it
 * says (see {@link HIDDEN}), trimmed; `fallback` when nothing is left.
 *
 * @example
 * cleanName('invoice\u202Efdp.exe') // 'invoicefdp.exe'
 */
export const cleanName = (name: string, fallback = 'file'): string => name.replace(HIDDEN, '').trim() || fallback

/**
 * A clean name (see {@link cleanName}) of at most `max` characters: a longer one loses its middle to
 * an ellipsis and keeps its start and its extension, the parts that tell files apart. Counts code
 * points, so an emoji is never cut in half.
 *
 * @example
 * shortName('very-long-name-of-a-scanned-document.pdf', 20) // 'very-long-na…ent.pdf'
 */
export function shortName(name: string, max = 40): string {
  const clean = [...cleanName(name)]
  if (clean.length <= max) return clean.join('')
  const extension = [...(EXTENSION.exec(clean.join(''))?.[0] ?? '')].length
  // The end keeps the extension and a few characters before it, the start the rest.
  const end = Math.min(extension + 3, Math.floor((max - 1) / 2))
  return `${clean.slice(0, max - 1 - end).join('')}…${clean.slice(clean.length - end).join('')}`
}

/**
 * A short word for a file's type, as a file manager shows it: its extension (`PDF`, `ZIP`), else
 * the subtype of its MIME type, else nothing.
 *
 * @example
 * typeLabel('report.final.pdf') // 'PDF'
 * typeLabel('scan', 'application/pdf') // 'PDF'
 */
export function typeLabel(name: string, mediaType = ''): string {
  const extension = EXTENSION.exec(cleanName(name))?.[0].slice(1) ?? /\/([\w.+-]{1,12})$/.exec(mediaType)?.[1] ?? ''
  return extension.toUpperCase()
}
