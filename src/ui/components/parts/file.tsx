import { safeUrl } from '../../../render/url.js'
import type { FilePart } from '../../../transports/types.js'
import { bytes } from '../../format.js'

/** A file to download: its name and size. */
export function File({ part }: { part: FilePart }) {
  const href = safeUrl(part.url, 'media')
  if (!href) return null
  return (
    <a class="file" href={href} target="_blank" rel="noopener noreferrer" download={part.name} data-testid="file">
      <span aria-hidden="true">📄 </span>
      {part.name}
      {part.size !== undefined && <span class="meta">{bytes(part.size)}</span>}
    </a>
  )
}
