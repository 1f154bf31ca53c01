/** What the GIF panel's lazily loaded code offers (see `panel.tsx`). */
export type GifPickerModule = Pick<typeof import('./panel.js'), 'GifPanel'>

/** Load the GIF panel and picker on first use; bundlers split them into their own chunk. */
export const loadGifPicker = (): Promise<GifPickerModule> => import('./panel.js')
