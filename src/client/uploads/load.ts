import type { createUploads } from '../uploads.js'

/**
 * What the upload step's lazily loaded code offers (`uploads.ts` and the put, `put.ts`): loaded
 * with the first message that has files to upload, so a visitor who never attaches one never
 * downloads it. `import()` in the npm build, `dist/confab-uploads.js` for the script tag.
 */
export interface UploadsModule {
  createUploads: typeof createUploads
}

/**
 * Load the upload step; bundlers split it into its own chunk. The script tag's build swaps in
 * `load-script.ts`, which loads `confab-uploads.js` instead.
 */
export const loadUploads = (): Promise<UploadsModule> => import('../uploads.js')
