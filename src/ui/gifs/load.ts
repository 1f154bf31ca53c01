/** What the GIF picker's lazily loaded code offers. */
export type GifPickerModule = Pick<typeof import('./picker.js'), 'GifPicker'>

/** Load the GIF picker on first use; bundlers split it into its own chunk. */
export const loadGifPicker = (): Promise<GifPickerModule> => import('./picker.js')
