/**
 * What a URL may open once it becomes an `href` or a `src`:
 * - `'link'`: a page, a mail or a call (`http:`, `https:`, `mailto:`, `tel:`).
 * - `'media'`: an image or a file to show or download (`http:`, `https:`).
 */
export type UrlUse = 'link' | 'media'

const SCHEMES: Record<UrlUse, string[]> = {
  link: ['http:', 'https:', 'mailto:', 'tel:'],
  media: ['http:', 'https:']
}

/**
 * The one gate every URL passes before the widget puts it in an `href` or `src`: the URL as the
 * browser parses it (so `JaVa\tScRiPt:` and leading spaces read as the scheme they are), or
 * `undefined` for a relative URL or any other scheme, which the caller then shows as text.
 *
 * @example
 * safeUrl('https://example.com/a b') // 'https://example.com/a%20b'
 * safeUrl(' javascript:alert(1)')    // undefined
 * safeUrl('tel:+331234', 'media')    // undefined
 */
export function safeUrl(url: string, use: UrlUse = 'link'): string | undefined {
  try {
    const parsed = new URL(url)
    return SCHEMES[use].includes(parsed.protocol) ? parsed.href : undefined
  } catch {
    return undefined
  }
}
