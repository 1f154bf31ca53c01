import type { GifStrings } from '../strings.js'

/**
 * The English defaults of the GIF picker (see `GifStrings`): in its lazily loaded chunk only, apart
 * from `ui/strings.ts`, whose module every bundle holds.
 */
export const gifStrings: GifStrings = {
  gifSearch: 'Search GIFs',
  gifsLoading: 'Loading GIFs…',
  gifsCount: { one: '{count} GIF', other: '{count} GIFs' },
  gifsNone: 'No GIFs for “{query}”',
  gifsError: 'GIFs could not be loaded.',
  gifsTrending: 'Popular GIFs',
  gifsFound: 'GIFs for “{query}”',
  gifsHint: 'Type to search GIFs',
  gifsClose: 'Close GIFs'
}
