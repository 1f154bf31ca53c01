/**
 * `dist/confab-uploads.js`: the upload step for the script tag (slots, puts with progress, resuming),
 * loaded by `confab-core.js` with the first message that has files to upload, or when the visitor
 * attaches one. It brings its own copy of the error family (see rollup.config.mjs): errors made by
 * either copy are recognised by both (`isConfabError`).
 */
import { createUploads } from '../uploads.js'
import type { UploadsModule } from './load.js'

;(globalThis as typeof globalThis & { ConfabUploads?: UploadsModule }).ConfabUploads = { createUploads }
