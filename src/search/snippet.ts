/** A window of a message for a result list: plain text and the ranges to highlight in it. */
export interface Snippet {
  text: string
  /** `[start, end)` offsets in `text`. */
  ranges: [number, number][]
}

/** Options of {@link snippet}. */
export interface SnippetOptions {
  /** Longest excerpt, ellipses included. Default 120. */
  max?: number
}

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char)

/**
 * Cut a window of `text` around the first highlighted range, at word boundaries when one is near,
 * with `…` where text was left out, and move the ranges into it. Pure data: the UI builds nodes from
 * it (never HTML).
 *
 * @example
 * const hit = index.search('refund')[0]
 * const { text, ranges } = snippet(hit.message.text, hit.ranges, { max: 80 })
 * // text: '…we sent the refund to your card on Monday…', ranges: [[13, 19]]
 */
export function snippet(text: string, ranges: readonly (readonly [number, number])[], { max = 120 }: SnippetOptions = {}): Snippet {
  if (text.length <= max) return { text, ranges: ranges.map(([start, end]) => [start, end]) }
  const [first = 0, last = 0] = ranges[0] ?? []
  const room = max - 2
  // A quarter of the room before the first hit, the rest after it, within the text.
  let start = Math.max(0, Math.min(first - (room >> 2), text.length - room))
  let end = start + room
  // Move the cuts to a space within a few characters, as long as the first hit stays whole.
  if (start > 0) {
    for (let i = start; i < Math.min(first, start + 16); i++) if (isSpace(text[i])) {
      start = i + 1
      break
    }
  }
  if (end < text.length) for (let i = end; i > Math.max(last, end - 16); i--) if (isSpace(text[i])) {
    end = i
    break
  }
  // Never keep half of a surrogate pair (an emoji cut in two).
  if (/[\udc00-\udfff]/.test(text[start] ?? '')) start++
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--
  const head = start > 0 ? '…' : ''
  const shift = head.length - start
  return {
    text: head + text.slice(start, end) + (end < text.length ? '…' : ''),
    ranges: ranges
      .filter(([from, to]) => to > start && from < end)
      .map(([from, to]) => [Math.max(from, start) + shift, Math.min(to, end) + shift])
  }
}
