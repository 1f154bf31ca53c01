// The page of the long thread tests in Chromium (bundled by long-thread.test.ts): the built widget
// (dist/index.js, its pane and search from dist/chunks) on an in-memory backend.
// Plain JavaScript: the type check runs before anything is built, when dist/ may not exist yet.
import { createClient, createLocalResumeKeyStore, createWidget } from '../../dist/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../dist/testing.js'

const backend = createMemoryBackend()
const keys = createLocalResumeKeyStore('long-thread', null)
const text = (i) => (i % 7 === 0 ? `Message #${i}: a longer one.\nIt goes on.\nAnd on.` : `Message #${i}`)
let widget
let conversation

/**
 * A visitor who wrote `Hello` and got `size` answers (`Message #0` …, `#5` about a zucchini), then
 * the widget on their thread: with the whole thread in memory (`loaded: 'all'`, as a visitor who
 * stayed on the page sees it), or as a new page of theirs opens it, the newest page first.
 * @param {number} size
 * @param {{ loaded: 'all' | 'latest' }} options
 */
window.thread = async (size, { loaded }) => {
  const say = () => {
    for (let i = 0; i < size; i++) backend.reply(conversation, i === 5 ? 'Message #5: the zucchini bread recipe' : text(i))
  }
  if (loaded === 'latest') {
    const earlier = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: keys, cache: null })
    await earlier.send('Hello')
    conversation = backend.conversations()[0].id
    say()
  }
  // Pages of history that take a moment to come, as from a server: the visitor reads at the top meanwhile.
  const transport = createMemoryTransport({ backend, latency: loaded === 'latest' ? 300 : 0 })
  widget = createWidget({ transport, resumeKeyStore: keys, cache: null, sound: false })
  widget.boot()
  if (loaded === 'all') {
    await widget.send('Hello')
    conversation = backend.conversations()[0].id
    say()
    await new Promise((resolve) => {
      const check = () => (widget.client.$activeMessages.get().length > size ? resolve() : setTimeout(check, 20))
      check()
    })
  }
}

/** `count` answers at `perSecond`, each in a task of its own as a stream delivers them, numbered from `from`. */
window.burst = (from, count, perSecond) =>
  new Promise((done) => {
    const started = performance.now()
    let sent = 0
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1)
      for (; sent < due; sent++) backend.reply(conversation, text(from + sent))
      if (sent < count) setTimeout(tick)
      else done()
    }
    tick()
  })

/** The numbers of the messages the store holds, in order. */
window.stored = () => widget.client.$activeMessages.get().map((m) => /#(\d+)/.exec(m.text)?.[1]).filter(Boolean).map(Number)
