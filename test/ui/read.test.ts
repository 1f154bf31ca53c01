import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryBackend } from '../../src/testing/index.js'
import { fakeIntersections } from './intersection.js'
import { layOutLogs, scrollLog } from './layout.js'
import { drawAhead, manualIdle, setup } from './setup.js'

/** The view is 500 px high; each message 60 px. */
const VIEW = 500

let layout: ReturnType<typeof layOutLogs>
let io: ReturnType<typeof fakeIntersections>
let visibility: DocumentVisibilityState = 'visible'
beforeEach(() => {
  layout = layOutLogs({ view: VIEW, heightOf: () => 60 })
  io = fakeIntersections()
  visibility = 'visible'
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
})
afterEach(() => {
  layout.restore()
  io.restore()
  delete (document as unknown as Record<string, unknown>).visibilityState
  vi.unstubAllGlobals()
})

// The machine may be busy: waits a person would not notice are given room.
vi.setConfig({ testTimeout: 20_000 })
const waitLong = { timeout: 8000 }

/** Longer than the client waits for reads to settle (half a second). */
const SETTLED = 800
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A widget with a conversation the visitor started, holding `replies` messages from an agent; the pane closed. */
async function thread(replies: number) {
  const backend = createMemoryBackend()
  const view = setup({ backend })
  const { id } = await view.client.startConversation()
  const sent = Array.from({ length: replies }, (_, i) => backend.reply(id, `Answer ${i + 1}`))
  await vi.waitFor(() => expect(view.client.$activeMessages.get()).toHaveLength(replies))
  const visitorRead = () => backend.conversations()[0]!.read?.visitor?.messageId
  /** Open the pane; the thread's log reports what is in view once drawn, unless `report` is false. */
  const open = async (report = true) => {
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(view.client.$activeMessages.get().length))
    // Where it opens: at the newest message, once the list has measured and scrolled.
    const log = view.root.querySelector<HTMLElement>('[role="log"]')!
    await vi.waitFor(() => expect(log.scrollTop).toBe(log.scrollHeight - log.clientHeight))
    if (report) io.check()
  }
  return { ...view, backend, id, sent, visitorRead, open }
}

describe('the thread marks read what the customer sees', () => {
  it('marks read the newest message from the agent in view once the pane is open', async () => {
    const t = await thread(3)
    await t.open()
    await vi.waitFor(() => expect(t.visitorRead()).toBe(t.sent[2]!.id), waitLong)
  })

  it('marks nothing read while the pane is closed', async () => {
    const t = await thread(2)
    await pause(SETTLED)
    expect(t.visitorRead()).toBeUndefined()
  })

  it('marks nothing read in a pane drawn ahead while closed, and what is in view as it opens', async () => {
    const idle = manualIdle()
    const t = await thread(2)
    await drawAhead(t, idle)
    await vi.waitFor(() => expect(t.findAll('message')).toHaveLength(2))
    io.check()
    await pause(SETTLED)
    expect(t.visitorRead()).toBeUndefined()
    t.widget.open()
    await vi.waitFor(() => expect(t.visitorRead()).toBe(t.sent[1]!.id), waitLong)
  })

  it('marks nothing read while the page is hidden, and what is in view once it shows again', async () => {
    const t = await thread(2)
    await t.open(false)
    visibility = 'hidden'
    io.check()
    await pause(SETTLED)
    expect(t.visitorRead()).toBeUndefined()
    visibility = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.waitFor(() => expect(t.visitorRead()).toBe(t.sent[1]!.id), waitLong)
  })

  it('marks read only as far as the view shows, not the messages drawn below it', async () => {
    // 12 messages of 60 px: the thread draws them all; a view of 500 px shows the first 8 from the top.
    const t = await thread(12)
    await t.open(false)
    const log = t.root.querySelector<HTMLElement>('[role="log"]')!
    scrollLog(log, 0)
    io.check()
    await vi.waitFor(() => expect(t.visitorRead()).toBe(t.sent[7]!.id), waitLong)
    expect(t.findAll('message')).toHaveLength(12)
    scrollLog(log, log.scrollHeight)
    io.check()
    await vi.waitFor(() => expect(t.visitorRead()).toBe(t.sent[11]!.id), waitLong)
  })
})

describe('"Seen" under the visitor\'s messages', () => {
  async function conversation() {
    const t = await thread(0)
    const first = await t.client.send('First question')
    const second = await t.client.send('Second question')
    await t.open()
    const seen = () => t.findAll('seen').map((line) => [line.closest('[data-testid="message"]')!.getAttribute('data-id'), line.textContent])
    return { ...t, first, second, seen, status: () => t.find('seen-status')!.textContent }
  }

  it('shows under the last message the agents read, with the time, and only there', async () => {
    const t = await conversation()
    t.backend.markRead(t.id, t.first.id, { role: 'agent', name: 'Sam' })
    await vi.waitFor(() => expect(t.seen()).toEqual([[t.first.id, expect.stringMatching(/^Seen \d/)]]))
    t.backend.markRead(t.id, t.second.id)
    await vi.waitFor(() => expect(t.seen()).toEqual([[t.second.id, expect.stringMatching(/^Seen \d/)]]))
  })

  it('stays under the visitor\'s message when the agents read on to their own reply', async () => {
    const t = await conversation()
    const reply = t.backend.reply(t.id, 'Answer')
    t.backend.markRead(t.id, reply.id)
    await vi.waitFor(() => expect(t.seen().map(([id]) => id)).toEqual([t.second.id]))
  })

  it('is said once, politely, as it appears, and not for a thread that opens with it', async () => {
    const t = await conversation()
    expect(t.status()).toBe('')
    t.backend.markRead(t.id, t.first.id)
    await vi.waitFor(() => expect(t.status()).toMatch(/^Seen \d/))
    expect(t.find('seen-status')!.getAttribute('role')).toBe('status')
    t.client.close()
    await vi.waitFor(() => expect(t.find('pane')).toBeNull())
    await t.open()
    expect(t.status()).toBe('')
  })

  it('shows nothing before the agents read anything', async () => {
    const t = await conversation()
    await pause(50)
    expect(t.seen()).toEqual([])
  })
})
