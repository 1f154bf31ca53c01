// The page of the rich content tests in Chromium (bundled by rich.test.ts): the built widget
// (dist/index.js, its pane from dist/chunks) on an in-memory backend that carries rich content.
import { createWidget } from '../../dist/index.js'
import type { Author, MessageContent } from '../../dist/index.js'
import { createRichBackend } from '../support/rich-backend.js'

declare global {
  interface Window {
    /** Start a conversation as the visitor, then post each of `messages` as its author. */
    post(messages: { content: MessageContent; author: Author }[]): Promise<void>
    /** Set by any payload that runs. */
    __xss?: unknown
  }
}

const rich = createRichBackend()
const widget = createWidget({ transport: rich.transport(), resumeKeyStore: null })
widget.boot()

window.post = async (messages) => {
  await widget.send('Hi')
  const id = rich.backend.conversations()[0]!.id
  for (const { content, author } of messages) rich.say(id, content, author)
}
