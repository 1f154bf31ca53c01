import { safeUrl } from '../../../render/url.js'
import type { FilePart } from '../../../transports/types.js'
import { bytes } from '../../format.js'

/** A file to download: its name and size. */
export function File({ part }: { part: FilePart }) {
  const href = safeUrl(part.url, 'media')
  if (!href) return null
  return (
    <a class="file" href={href} target="_blank" rel="noopener noreferrer" download={part.name} data-testid="file">
      {/* Drawn, not an emoji: the same on every system, emoji font or none. */}
      <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
        <path d="M14 3H6v18h12V7zM14 3v4h4" />
      </svg>{' '}
      {part.name}
      {part.size !== undefined && <span class="meta">{bytes(part.size)}</span>}
    </a>
  )
}
