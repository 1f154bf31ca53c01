/** What the GIF providers' lazily loaded code offers (see `index.ts`). */
export type GifProviders = Pick<typeof import('./index.js'), 'gifProviderFrom'>

/**
 * Load the GIF providers on first use; bundlers split them into their own chunk. The script tag's
 * build swaps in `load-script.ts`, which loads `confab-gif.js` (the providers with the picker).
 */
export const loadGifProviders = (): Promise<GifProviders> => import('./index.js')
