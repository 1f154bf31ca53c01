// The page of the upload tests in Chromium (bundled by uploads.test.ts): the built headless client on
// the reference server, with uploads to the test's upload host (`?server=…&host=…`). Its puts go
// through the client's own XMLHttpRequest path. Plain JavaScript: the type check runs before anything
// is built, when dist/ may not exist yet.
import { createClient, createHttpTransport } from '../../dist/index.js'

const query = new URLSearchParams(location.search)
const http = createHttpTransport({ url: query.get('server') })
const host = query.get('host')

/** The reference server's transport, with slots from the upload host and limits to match. */
const transport = {
  ...http,
  name: 'http with an upload host',
  capabilities: { ...http.capabilities, uploads: true },
  connect: async (input) => ({ ...(await http.connect(input)), uploadLimits: { maxBytes: 50 * 2 ** 20, types: [] } }),
  async requestUpload(conversationId, request, { signal } = {}) {
    const answer = await fetch(`${host}/slots`, { method: 'POST', body: JSON.stringify({ conversationId, ...request }), signal })
    if (!answer.ok) throw new Error(`POST /slots answered ${answer.status}`)
    return answer.json()
  }
}

const client = createClient({ transport, site: 'uploads' })

/** Resolves once the client shows a conversation (its own after a reload, a new one on the first visit). */
window.ready = client.connect().then(async () => {
  if (!client.$activeId.get()) await client.startConversation()
  return client.$activeId.get()
})

/** Send a message with a file of `megabytes` MB, not waiting for it. */
window.sendFile = (text, megabytes) => {
  const bytes = new Uint8Array(megabytes * 2 ** 20).fill(42)
  void client.send({ text, files: [new File([bytes], 'big.bin', { type: 'application/octet-stream' })] })
}

/** The messages shown, with where their files stand. */
window.shown = () =>
  client.$activeMessages.get().map((m) => ({
    text: m.text,
    status: m.status,
    files: m.files?.map((f) => ({ id: f.id, loaded: f.loaded, url: f.url })),
    parts: m.parts?.length ?? 0
  }))

window.storage = () => client.$storage.get()
