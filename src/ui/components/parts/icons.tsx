/** A page with a folded corner: a file. Drawn, not an emoji: the same on every system, emoji font or none. */
export const FileIcon = () => (
  <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
    <path d="M14 3H6v18h12V7zM14 3v4h4" />
  </svg>
)
