/**
 * Files prepared on the device before they are sent, for apps that draw their own UI on the
 * headless client: the npm entry `confab/media`. The widget's composer does the same with every file
 * it is given (in the script tag, `confab-media.js`). Apart from the main entry, so that an app that
 * sends no files ships none of it. Photos are drawn anew with the browser's decoder and canvas: where
 * there is no `createImageBitmap` (Node), they pass unchanged, metadata included.
 *
 * @example
 * import { createClient, createHttpTransport } from 'confab'
 * import { prepareFiles } from 'confab/media'
 *
 * const client = createClient({ transport: createHttpTransport({ url: 'https://chat.example.com' }) })
 * input.addEventListener('change', async () => {
 *   // Photos turned upright, at most 2048 pixels on their longest side, without EXIF (GPS
 *   // position, camera); refused with an 'invalid-argument' error naming the file if outside the limits.
 *   const files = await prepareFiles(input.files!, { limits: client.$session.get()?.uploadLimits })
 *   await client.send({ text: 'The damage', files })
 * })
 */
export { prepareFiles, type PrepareOptions } from './prepare.js'
