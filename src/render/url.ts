/**
 * What a URL may open once it becomes an `href` or a `src`:
 * - `'link'`: a page, a mail or a call (`http:`, `https:`, `mailto:`, `tel:`).
 * - `'media'`: a file to download or play, a card's picture (`http:`, `https:`).
 * - `'image'`: an image part's `src`, which may also be a `blob:` URL (the visitor's own picture,
 *   still on the device). Never an `href`: a `blob:` link would open whatever the page made.
 */
export type UrlUse = 'link' | 'media' | 'image'

const WEB = ['http:', 'https:']

const SCHEMES: Record<UrlUse, string[]> = {
  link: [...WEB, 'mailto:', 'tel:'],
  media: WEB,
  image: [...WEB, 'blob:']
}

/**
 * The one gate every URL passes before the widget puts it in an `href` or `src`: the URL as the
 * browser parses it (so `JaVa\tScRiPt:` and leading spaces read as the scheme they are), or
 * `undefined` for a relative URL or any other scheme, which the caller then shows as text.
 *
 * @example
 * safeUrl('https://example.com/a b')              // 'https://example.com/a%20b'
 * safeUrl(' javascript:alert(1)')                 // undefined
 * safeUrl('tel:+331234', 'media')                 // undefined
 * safeUrl('blob:https://shop.example/1f0c…', 'image') // 'blob:https://shop.example/1f0c…'
 */
export function safeUrl(url: string, use: UrlUse = 'link'): string | undefined {
  try {
    const parsed = new URL(url)
    return SCHEMES[use].includes(parsed.protocol) ? parsed.href : undefined
  } catch {
    return undefined
  }
}
