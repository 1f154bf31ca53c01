// Runs inside the page the thread and burst benchmarks open (bundled by thread.bench.js and
// burst.bench.js): the widget on the in-memory transport, with a long thread of plain and rich
// messages in its stores, opened, scrolled and flooded as a person would see it.
import type { ReadableAtom, WritableAtom } from 'nanostores'
import { options, type VNode } from 'preact'
import type { ChatMessage } from '../../src/store/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import type { MessageContent } from '../../src/transports/types.js'
import { MessageItem } from '../../src/ui/components/message-item.js'
import { MessageList } from '../../src/ui/components/message-list.js'
import { Pane } from '../../src/ui/components/pane.js'
import { loadPane } from '../../src/ui/pane/load.js'
import { createWidget, type Widget } from '../../src/ui/widget.js'

declare global {
  interface Window {
    seedThread(size: number, options: { cache: boolean; through: 'store' | 'backend'; only?: Kind }): Promise<void>
    openThread(): Promise<{ ms: number; messages: number; nodes: number; images: number }>
    closeThread(): Promise<void>
    scrollToTop(step: number): Promise<{ frames: number[]; ms: number; top: string }>
    burst(
      count: number,
      perSecond: number
    ): Promise<{ frames: number[]; longTasks: number[]; shownAfterLast: number; shown: boolean; ms: number; renders: { pane: number; list: number; message: number } }>
  }
}

/** Served beside the page by the benchmark: a photo-sized picture. */
const PHOTO = `${location.origin}/photo.svg`

const prose = [
  'Thanks, I will check with the warehouse.',
  'Your parcel left our depot this morning and should arrive **tomorrow** between 9 and 12. You can follow it with the link in your confirmation email.',
  'Could you send me the order number? It starts with `AC-` and is in the subject of the confirmation.',
  'Sure!',
  'We have three sizes of that jacket in stock. The medium runs a little large, so if you are between sizes you may prefer the small one; returns are free within 30 days either way.'
]

/** A thread of one kind of message (see {@link oneKind}). */
type Kind = 'text' | 'image'

/** The i-th message of a thread of one kind: its text alone, or the same text as the caption of a photo of reserved size. */
export function oneKind(kind: Kind, i: number): MessageContent {
  const text = `${prose[i % prose.length]!} (#${i})`
  return kind === 'text' ? { text } : { text, parts: [{ type: 'image', url: `${PHOTO}?${i}`, alt: 'A parcel at the door', width: 640, height: 480 }] }
}

/** The i-th message of a thread: mostly text (plain and markdown), and every few an image, cards, a form or a rating. */
export function content(i: number): MessageContent {
  const text = `${prose[i % prose.length]!} (#${i})`
  switch (i % 20) {
    case 4:
      return { text: `Here is what I found (#${i}):\n\n- **Jacket**, navy, size M\n- Scarf, \`wool\`\n\n> In stock at the Lyon store.` }
    case 9:
      return oneKind('image', i)
    case 14:
      return {
        text: `Pick one (#${i})`,
        parts: [
          {
            type: 'cards',
            layout: 'carousel',
            items: [1, 2, 3].map((n) => ({
              title: `Jacket ${n}`,
              description: 'Water-repellent, two pockets',
              imageUrl: `${PHOTO}?card${n}`,
              actions: [{ type: 'link' as const, id: `see${n}`, label: 'See it', url: `https://shop.example/jackets/${n}` }]
            }))
          }
        ]
      }
    case 17:
      return i % 40 === 17
        ? { text: `A few details please (#${i})`, parts: [{ type: 'form', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }, { name: 'size', label: 'Size', type: 'select', options: [{ value: 's', label: 'S' }, { value: 'm', label: 'M' }] }] }] }
        : { text: `How did we do? (#${i})`, parts: [{ type: 'rating', comment: true }] }
    default:
      return { text }
  }
}

let widget: Widget
let root: ShadowRoot
let conversationId: string
let newest = ''

/** The message elements shown, in order. */
const shown = () => root.querySelectorAll<HTMLElement>('[data-testid="message"]')
/** The next frame, once painted: a task queued from inside a frame's callback runs after its paint. */
const painted = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))))

/**
 * Boot the widget on a memory backend (with IndexedDB as a site has it when `cache` is set), start a
 * conversation and put `size` messages in it (of `only` one kind, else mixed): straight into the
 * stores, its whole history loaded (the thread a customer reopens after a long exchange, everything
 * in memory), or `through` the backend as replies. The pane's code is loaded first, as it is once
 * the browser has been idle.
 */
window.seedThread = async (size, { cache, through, only }) => {
  const make = only ? (i: number) => oneKind(only, i) : content
  const backend = createMemoryBackend()
  widget = createWidget({ transport: createMemoryTransport({ backend }), resumeKeyStore: null, sound: false, ...(cache ? {} : { cache: null }) })
  widget.boot()
  root = document.querySelector('[data-confab]')!.shadowRoot!
  const { client } = widget
  await client.connect()
  conversationId = (await client.startConversation()).id
  await loadPane()
  newest = `(#${size - 1})`
  if (through === 'backend') {
    for (let i = 0; i < size; i++) backend.reply(conversationId, make(i))
    await new Promise((resolve) => setTimeout(resolve, 100))
    return
  }
  const start = Date.now() - size * 60_000
  const messages: ChatMessage[] = Array.from({ length: size }, (_, i) => ({
    ...make(i),
    // No sequence numbers: the backend numbers the messages it sends from 1.
    id: `seed-${i}`,
    conversationId,
    author: i % 3 === 0 ? { role: 'visitor' } : { role: 'agent', name: 'Ada' },
    createdAt: start + i * 60_000,
    status: 'sent'
  }))
  // The stores are read-only to a client's users; the benchmark writes them as the client does.
  const writable = <T>(store: ReadableAtom<T>) => store as WritableAtom<T> & { setKey<K extends keyof T>(key: K, value: T[K]): void }
  writable(client.$messages).setKey(conversationId, messages)
  writable(client.$history).setKey(conversationId, { loading: false, before: null, after: null })
}

/**
 * Whether every image drawn in the thread has its box laid out at the shape its message gives it
 * (before its picture has loaded: the place reserved from its width and height).
 */
const imagesLaidOut = () =>
  [...root.querySelectorAll<HTMLImageElement>('[data-testid="image"] img')].every((img) => {
    const box = img.getBoundingClientRect()
    const shape = Number(img.getAttribute('width')) / Number(img.getAttribute('height'))
    return box.height > 0 && (!shape || Math.abs(box.width / box.height - shape) < 0.02)
  })

/**
 * Open the pane on the thread: how long until its newest message is painted with every image drawn
 * laid out (see {@link imagesLaidOut}), and how many messages, nodes and images it holds.
 */
window.openThread = async () => {
  await painted()
  const started = performance.now()
  widget.open()
  for (;;) {
    await new Promise(requestAnimationFrame)
    const all = shown()
    if (all[all.length - 1]?.textContent?.includes(newest) && imagesLaidOut()) break
  }
  const ms = (await new Promise<number>((resolve) => setTimeout(() => resolve(performance.now())))) - started
  return { ms, messages: shown().length, nodes: root.querySelectorAll('*').length, images: root.querySelectorAll('[data-testid="image"] img').length }
}

window.closeThread = async () => {
  widget.close()
  await painted()
}

/**
 * Scroll the thread from its newest message to its oldest, `step` pixels a frame, as a reader
 * flicking back through it; the duration of every frame on the way.
 */
window.scrollToTop = async (step) => {
  const log = root.querySelector<HTMLElement>('[role="log"]')!
  const frames: number[] = []
  const started = performance.now()
  let last = await new Promise<number>(requestAnimationFrame)
  // At the top for two frames in a row: nothing more was put above (no page of history to load).
  for (let still = 0; still < 2; ) {
    log.scrollTop -= step
    const now = await new Promise<number>(requestAnimationFrame)
    frames.push(now - last)
    last = now
    still = log.scrollTop === 0 ? still + 1 : 0
  }
  const first = shown()[0]?.textContent ?? ''
  return { frames, ms: performance.now() - started, top: /\(#\d+\)/.exec(first)?.[0] ?? first.slice(0, 40) }
}

/**
 * `count` messages from the agent at `perSecond` into the open thread, each as the backend sends it.
 * Every frame's duration, every long task, and how long after the last was sent it was painted.
 */
window.burst = async (count, perSecond) => {
  const backend = (widget.client.transport as ReturnType<typeof createMemoryTransport>).backend
  // Each component render, counted through the hook preact calls before one (`options._render`,
  // `__r` in its build: preact/hooks and its devtools use it too).
  const hooks = options as typeof options & { __r?: (vnode: VNode) => void }
  const before = hooks.__r
  const renders = { pane: 0, list: 0, message: 0 }
  hooks.__r = (vnode) => {
    if (vnode.type === Pane) renders.pane++
    else if (vnode.type === MessageList) renders.list++
    else if (vnode.type === MessageItem) renders.message++
    before?.(vnode)
  }
  const longTasks: number[] = []
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration)))
  observer.observe({ type: 'longtask' })
  const frames: number[] = []
  let running = true
  void (async () => {
    let last = await new Promise<number>(requestAnimationFrame)
    while (running) {
      const now = await new Promise<number>(requestAnimationFrame)
      frames.push(now - last)
      last = now
    }
  })()
  const marker = `burst ${count - 1} ${Math.random().toString(36).slice(2)}`
  const started = performance.now()
  let sent = 0
  // Each task sends what is due by now: a stream delivers its events in tasks of its own.
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1)
      for (; sent < due; sent++) backend.reply(conversationId, sent === count - 1 ? marker : { ...content(sent), text: `burst ${sent}: ${content(sent).text}` }, { role: 'bot', name: 'Importer' })
      if (sent < count) setTimeout(tick)
      else done()
    }
    tick()
  })
  const lastSent = performance.now()
  let seen = false
  for (let frame = 0; frame < 600 && !seen; frame++) {
    await new Promise(requestAnimationFrame)
    const all = shown()
    seen = !!all[all.length - 1]?.textContent?.includes(marker)
  }
  const shownAt = await new Promise<number>((resolve) => setTimeout(() => resolve(performance.now())))
  // Once everything is painted, the tasks still running (a cache write, a late render) are counted too.
  await new Promise((resolve) => setTimeout(resolve, 500))
  running = false
  observer.disconnect()
  hooks.__r = before
  return { frames, longTasks, shownAfterLast: shownAt - lastSent, shown: seen, ms: shownAt - started, renders }
}
