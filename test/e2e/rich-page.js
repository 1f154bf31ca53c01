// The page of the rich content tests in Chromium (bundled by rich.test.ts): the built widget
// (dist/index.js, its pane from dist/chunks) on an in-memory backend that carries rich content.
// Plain JavaScript: the type check runs before anything is built, when dist/ may not exist yet.
import { createWidget } from '../../dist/index.js'
import { createRichBackend } from '../support/rich-backend.js'

const rich = createRichBackend()
const widget = createWidget({ transport: rich.transport(), resumeKeyStore: null })
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
