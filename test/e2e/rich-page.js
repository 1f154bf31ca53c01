// The page of the rich content and media tests in Chromium (bundled by rich.test.ts and
// media.test.ts): the built widget (dist/index.js, its pane and media from dist/chunks) on an
// in-memory backend that carries rich content; with `?uploads`, its transport takes uploads too.
// Plain JavaScript: the type check runs before anything is built, when dist/ may not exist yet.
import { createWidget } from '../../dist/index.js'
import { prepareFiles } from '../../dist/media/prepare.js'
import { createRichBackend, withUploads } from '../support/rich-backend.js'

const rich = createRichBackend()
const uploads = new URLSearchParams(location.search).has('uploads')
const limits = { maxBytes: 5_000_000, types: ['image/*', 'application/pdf'] }
/** Set by a test to hold files' bytes back: each put waits for it. */
window.uploadGate = undefined
const transport = () => {
  const inner = withUploads(rich.transport(), limits)
  return { ...inner, putUpload: async (slot, file, options) => (await window.uploadGate, inner.putUpload(slot, file, options)) }
}
const widget = createWidget({ transport: uploads ? transport() : rich.transport(), resumeKeyStore: null })
widget.boot()

/**
 * Start a conversation as the visitor, then post each of `messages` as its author. A payload that
 * runs sets `window.__xss`.
 * @param {{ content: import('../../src/transports/types.js').MessageContent, author: import('../../src/transports/types.js').Author }[]} messages
 */
window.post = async (messages) => {
  await widget.send('Hi')
  const id = rich.backend.conversations()[0].id
  for (const { content, author } of messages) rich.say(id, content, author)
}

/** Photos prepared as the composer prepares them (the widget's media chunk), for the tests to read. */
window.prepareFiles = prepareFiles

/** The bytes of a file the visitor uploaded, by its URL (the memory backend's are not on the network). */
window.uploaded = (url) => rich.backend.upload(url)
