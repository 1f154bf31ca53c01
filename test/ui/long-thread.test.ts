import { options, type VNode } from 'preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../../src/store/index.js'
import { MessageItem } from '../../src/ui/components/message-item.js'
import { Pane } from '../../src/ui/components/pane.js'
import { writableMap } from '../stores.js'
import { layOutLogs, scrollLog } from './layout.js'
import { setup } from './setup.js'

/** The view's height, and each message's: 60 px, and every seventh (`#0`, `#7` …) 250 px, as an image or a form. */
const VIEW = 500
const heightOf = (message: HTMLElement) => (Number(numberOf(message).slice(1)) % 7 === 0 ? 250 : 60)

/** A message element's number, as `#n`, from its text (its time follows it). */
const numberOf = (message: HTMLElement) => /#\d+/.exec(message.querySelector('.bubble')?.textContent ?? '')?.[0] ?? ''

let layout: ReturnType<typeof layOutLogs>
beforeEach(() => {
  layout = layOutLogs({ view: VIEW, heightOf })
})
afterEach(() => layout.restore())

/**
 * The pane open on a thread of `size` messages, all of them in memory (`#0` the oldest); the log
 * laid out as above.
 */
async function longThread(size: number) {
  const view = setup()
  const { client } = view
  const { id } = await client.startConversation()
  const start = Date.now() - size * 60_000
  const messages: ChatMessage[] = Array.from({ length: size }, (_, i) => ({
    id: `m${i}`,
    conversationId: id,
    author: { role: 'agent', name: 'Ada' },
    text: `Message #${i}`,
    createdAt: start + i * 60_000,
    status: 'sent'
  }))
  writableMap(client.$messages).setKey(id, messages)
  writableMap(client.$history).setKey(id, { loading: false, before: null, after: null })
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  const log = view.root.querySelector<HTMLElement>('[role="log"]')!
  await vi.waitFor(() => expect(drawn(view)).toContain(`#${size - 1}`))
  return { ...view, id, log, messages }
}

type Thread = Awaited<ReturnType<typeof longThread>>

/** The numbers of the messages drawn, in order, as `#n`. */
const drawn = (view: Pick<Thread, 'findAll'>) => view.findAll('message').map(numberOf)

/** The messages a person sees in the view, as `#n`, and where the first one starts against the view's top. */
function inView(view: Thread) {
  const shown = view.findAll('message').filter((m) => {
    const { top, bottom } = m.getBoundingClientRect()
    return bottom > 0 && top < VIEW
  })
  return { numbers: shown.map(numberOf), top: shown[0]?.getBoundingClientRect().top }
}

const atBottom = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight

describe('a long thread', () => {
  it('draws only the messages near the view, and opens at the newest', async () => {
    const view = await longThread(2_000)
    expect(view.findAll('message').length).toBeLessThan(60)
    expect(drawn(view).at(-1)).toBe('#1999')
    await vi.waitFor(() => expect(Math.abs(atBottom(view.log))).toBeLessThan(1))
    expect(inView(view).numbers.at(-1)).toBe('#1999')
  })

  it('stands for the messages not drawn with spacers as tall as they are', async () => {
    const view = await longThread(2_000)
    // 2,000 messages: every seventh 250 px, the others 60 px; the list measured the ones it drew.
    const tall = Math.ceil(2_000 / 7)
    expect(view.log.scrollHeight).toBeGreaterThan(0.9 * (tall * 250 + (2_000 - tall) * 60))
  })

  it('draws the messages the visitor scrolls to, far up the thread', async () => {
    const view = await longThread(2_000)
    scrollLog(view.log, 20_000)
    await vi.waitFor(() => expect(inView(view).numbers.length).toBeGreaterThan(2))
    const { numbers } = inView(view)
    expect(drawn(view)).toEqual(expect.arrayContaining(numbers))
    expect(view.findAll('message').length).toBeLessThan(60)
    // What is drawn is in order and without a hole.
    const n = drawn(view).map((d) => Number(d.slice(1)))
    expect(n).toEqual(n.map((_, i) => n[0]! + i))
  })

  it('follows a new message while the visitor reads the newest', async () => {
    const view = await longThread(500)
    view.backend.reply(view.id, 'Message #500')
    await vi.waitFor(() => expect(drawn(view).at(-1)).toBe('#500'))
    await vi.waitFor(() => expect(Math.abs(atBottom(view.log))).toBeLessThan(1))
    expect(inView(view).numbers.at(-1)).toBe('#500')
    expect(view.find('new-messages')).toBeNull()
  })

  it('keeps the place of a visitor reading older messages when new ones arrive, and offers them', async () => {
    const view = await longThread(500)
    scrollLog(view.log, 10_000)
    await vi.waitFor(() => expect(inView(view).numbers.length).toBeGreaterThan(2))
    const before = inView(view)
    for (let i = 500; i < 520; i++) view.backend.reply(view.id, `Message #${i}`)
    await vi.waitFor(() => expect(view.find('new-messages')).not.toBeNull())
    expect(inView(view)).toEqual(before)
  })

  it('keeps what the visitor reads in place when older messages are put above it', async () => {
    const view = await longThread(300)
    scrollLog(view.log, 0)
    await vi.waitFor(() => expect(inView(view).numbers[0]).toBe('#0'))
    const first = () => view.findAll('message').find((m) => numberOf(m) === '#0')!.getBoundingClientRect().top
    const before = first()
    // A page of older messages arrives (from the device or the server), numbered from 1000.
    const older: ChatMessage[] = Array.from({ length: 30 }, (_, i) => ({ ...view.messages[0]!, id: `o${i}`, text: `Older #${1000 + i}`, createdAt: view.messages[0]!.createdAt - (30 - i) * 1000 }))
    writableMap(view.client.$messages).setKey(view.id, [...older, ...view.client.$messages.get()[view.id]!])
    await vi.waitFor(() => expect(drawn(view)).toContain('#1029'))
    expect(Math.abs(first() - before)).toBeLessThan(1)
    expect(view.log.scrollTop).toBeGreaterThan(1_000)
  })

  it('jumps to a search hit far up the thread: draws it, marks it and centres it', async () => {
    const view = await longThread(2_000)
    await view.client.jumpTo(view.messages[10]!)
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')?.textContent).toContain('#10'))
    const hit = view.root.querySelector<HTMLElement>('[data-highlight]')!
    const { top, bottom } = hit.getBoundingClientRect()
    expect(Math.abs((top + bottom) / 2 - VIEW / 2)).toBeLessThan(2)
    expect(view.findAll('message').length).toBeLessThan(60)
    expect(view.find('new-messages')).toBeNull()
  })

  it('reads out a message that arrives once, and nothing again as the thread draws it anew while the visitor scrolls', async () => {
    const view = await longThread(100)
    const region = view.find('announcer')!
    const heard: string[] = []
    new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach((node) => heard.push(node.textContent!)))).observe(region, { childList: true, subtree: true })
    view.backend.reply(view.id, 'Message #100', { role: 'agent', name: 'Ada' })
    await vi.waitFor(() => expect(drawn(view).at(-1)).toBe('#100'))
    await vi.waitFor(() => expect(heard).toEqual(['Ada: Message #100']))
    // Far up, then back down: #100 and its neighbours are drawn again.
    scrollLog(view.log, 0)
    await vi.waitFor(() => expect(drawn(view)).not.toContain('#100'))
    scrollLog(view.log, view.log.scrollHeight)
    await vi.waitFor(() => expect(drawn(view)).toContain('#100'))
    await new Promise((done) => setTimeout(done, 50))
    expect(heard).toEqual(['Ada: Message #100'])
    expect(view.log.getAttribute('aria-live')).toBe('off')
  })

  it('keeps the focus in the log when the message holding it is scrolled far away', async () => {
    const view = await longThread(2_000)
    const last = view.findAll('message').at(-1)!
    last.tabIndex = -1
    last.focus()
    last.dispatchEvent(new FocusEvent('focusin', { bubbles: true }))
    scrollLog(view.log, 0)
    await vi.waitFor(() => expect(drawn(view)[0]).toBe('#0'))
    expect(view.root.activeElement).toBe(view.log)
  })
})

/**
 * The components rendered from now on, as preact renders them (through the hook it calls before each
 * render, `options._render`, which is `__r` in its build; preact/hooks uses it too).
 */
function renders() {
  const hooks = options as typeof options & { __r?: (vnode: VNode) => void }
  const before = hooks.__r
  const seen: VNode[] = []
  hooks.__r = (vnode) => {
    seen.push(vnode)
    before?.(vnode)
  }
  return {
    of: (type: unknown) => seen.filter((vnode) => vnode.type === type),
    stop: () => (hooks.__r = before)
  }
}

describe('a message arriving in an open thread', () => {
  it('draws that message and no other again', async () => {
    const view = await longThread(100)
    const rendered = renders()
    try {
      const reply = view.backend.reply(view.id, 'Message #100')
      await vi.waitFor(() => expect(drawn(view).at(-1)).toBe('#100'))
      await new Promise((resolve) => setTimeout(resolve, 100))
      const messages = rendered.of(MessageItem).map((vnode) => (vnode.props as unknown as { message: ChatMessage }).message.id)
      expect(new Set(messages)).toEqual(new Set([reply.id]))
    } finally {
      rendered.stop()
    }
  })

  it('leaves the pane around the thread as it was', async () => {
    const view = await longThread(100)
    const rendered = renders()
    try {
      for (let i = 100; i < 110; i++) view.backend.reply(view.id, `Message #${i}`)
      await vi.waitFor(() => expect(drawn(view).at(-1)).toBe('#109'))
      expect(rendered.of(Pane)).toEqual([])
    } finally {
      rendered.stop()
    }
  })
})

