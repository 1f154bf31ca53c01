import type { JSX } from 'preact'
import type { SearchResult } from '../../store/index.js'

/**
 * A snippet as nodes: the text sliced at its ranges, each range in a `<mark>`. Text stays text
 * (never parsed as HTML), and ranges that overlap, repeat or run past the end are tolerated.
 *
 * @example
 * marked({ text: 'Our Café is open', ranges: [[4, 8]] }) // ['Our ', <mark>Café</mark>, ' is open']
 */
export function marked({ text, ranges }: SearchResult['snippet']) {
  const parts: (string | JSX.Element)[] = []
  let at = 0
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const from = Math.max(start, at)
    const to = Math.min(end, text.length)
    if (to <= from) continue
    parts.push(text.slice(at, from), <mark key={from}>{text.slice(from, to)}</mark>)
    at = to
  }
  parts.push(text.slice(at))
  return parts
}
