/** What the media module offers: the image viewer, the composer's attachments, unsent files, preparing photos. */
export type MediaModule = typeof import('./media.js')

/**
 * Load the media module on first use (an image opened, files attached or waiting to be sent);
 * bundlers split it into its own chunk. The script tag's build swaps in `load-script.ts`, which
 * loads `confab-media.js` instead.
 */
export const loadMedia = (): Promise<MediaModule> => import('./media.js')
