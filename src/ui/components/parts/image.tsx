import { safeUrl } from '../../../render/url.js'
import type { ImagePart } from '../../../transports/types.js'
import type { UiProps } from '../props.js'

/**
 * An image, lazily loaded, with its place reserved when its size is known (no jump as it loads),
 * and a link to it at full size.
 */
export function Image({ strings, part }: Pick<UiProps, 'strings'> & { part: ImagePart }) {
  const src = safeUrl(part.url, 'media')
  if (!src) return null
  const sized = part.width && part.height
  return (
    <a class="img" href={src} target="_blank" rel="noopener noreferrer" data-testid="image">
      <img
        src={src}
        alt={part.alt || part.name || strings.image}
        loading="lazy"
        width={part.width}
        height={part.height}
        style={sized ? { aspectRatio: `${part.width} / ${part.height}` } : undefined}
      />
    </a>
  )
}
