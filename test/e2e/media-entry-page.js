// The page of the `confab/media` tests (bundled by media-entry.test.ts): an app that draws its own UI
// on the headless client and imports the package by its name, as apps do, so the package's exports
// lead to dist/ (run `npm run build` first). Plain JavaScript: the type check runs before anything is
// built.
import { createClient } from 'confab'
import { prepareFiles } from 'confab/media'
import { createMemoryBackend, createMemoryTransport } from 'confab/testing'

window.prepareFiles = prepareFiles

const backend = createMemoryBackend()
const client = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: null, cache: null })

/**
 * Prepare a photo of `width` × `height` drawn here, within the session's limits, and send it: the
 * image part the backend stored and the size of what was put.
 */
window.sendPhoto = async (width, height) => {
  await client.connect()
  const { id } = await client.startConversation()
  const canvas = new OffscreenCanvas(width, height)
  canvas.getContext('2d').fillRect(0, 0, width, height)
  const photo = new File([await canvas.convertToBlob({ type: 'image/jpeg' })], 'photo.jpg', { type: 'image/jpeg' })
  const files = await prepareFiles([photo], { limits: client.$session.get()?.uploadLimits })
  await client.send({ text: 'The damage', files })
  const [message] = backend.messages(id).filter((m) => m.author.role === 'visitor')
  const { url, ...part } = message.parts[0]
  return { part, put: backend.uploads()[0].size }
}
