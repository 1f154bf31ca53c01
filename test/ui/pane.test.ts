import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/client/index.js'
import { createLocalResumeKeyStore } from '../../src/cache/resume-key.js'
import { createError } from '../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport, type MemoryBackend } from '../../src/testing/index.js'
import type { ClientStatus } from '../../src/store/index.js'
import type { Conversation, Transport, TransportEvent } from '../../src/transports/types.js'
import { layOutLogs, scrollLog } from './layout.js'
import { press, setup, typeAndEnter } from './setup.js'
import { writable } from '../stores.js'

afterEach(() => {
  vi.useRealTimers()
})

/**
 * A memory transport whose conversations say whether an agent is in them, as the XMPP transport's
 * do: none until `arrive(id)`.
 */
function withAgentPresence(backend: MemoryBackend) {
  const inner = createMemoryTransport({ backend })
  const here = new Set<string>()
  const listeners = new Set<(event: TransportEvent) => void>()
  const mark = (conversation: Conversation): Conversation => ({ ...conversation, agentPresence: here.has(conversation.id) ? 'present' : 'waiting' })
  const transport: Transport = {
    ...inner,
    capabilities: { ...inner.capabilities, agentPresence: true },
    createConversation: async (init) => mark(await inner.createConversation(init)),
    getConversation: async (id) => mark(await inner.getConversation(id)),
    listConversations: async (options) => {
      const page = await inner.listConversations(options)
      return { ...page, conversations: page.conversations.map(mark) }
    },
    subscribe(listener, options) {
      listeners.add(listener)
      const stop = inner.subscribe((event) => listener(event.type === 'conversation' ? { ...event, conversation: mark(event.conversation) } : event), options)
      return () => {
        listeners.delete(listener)
        stop()
      }
    }
  }
  const arrive = (id: string) => {
    here.add(id)
    const conversation = mark(backend.conversations().find((c) => c.id === id)!)
    for (const listener of [...listeners]) listener({ type: 'conversation', conversation })
  }
  return { transport, arrive }
}

/** Open the pane with the launcher and wait for the composer. */
async function openPane(view: ReturnType<typeof setup>) {
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  return view.find<HTMLTextAreaElement>('composer')!
}

describe('the launcher', () => {
  it('opens the pane and says it is expanded', async () => {
    const view = setup()
    const launcher = view.find('launcher')!
    expect(view.find('pane')).toBeNull()
    expect(launcher.getAttribute('aria-expanded')).toBe('false')
    launcher.click()
    await vi.waitFor(() => expect(view.find('pane')).not.toBeNull())
    expect(launcher.getAttribute('aria-expanded')).toBe('true')
    expect(view.find('pane')!.getAttribute('role')).toBe('dialog')
  })

  it('closes the pane when clicked again', async () => {
    const view = setup()
    await openPane(view)
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
  })
})

describe('the pane', () => {
  it('shows the messaging mode', async () => {
    const view = setup({ mode: 'messaging' })
    await openPane(view)
    expect(view.find('mode')!.textContent).toBe('Messaging')
  })

  it('shows the chat mode', async () => {
    const view = setup({ mode: 'chat' })
    await openPane(view)
    expect(view.find('mode')!.textContent).toBe('Chat')
  })

  it('shows the empty state while there are no messages', async () => {
    const view = setup()
    await openPane(view)
    await vi.waitFor(() => expect(view.find('empty')!.textContent).toMatch(/ask us anything/i))
  })

  it('focuses the composer when it opens', async () => {
    const view = setup()
    const composer = await openPane(view)
    await vi.waitFor(() => expect(view.root.activeElement).toBe(composer))
  })

  it('closes on Escape and gives focus back to the launcher', async () => {
    const view = setup()
    const composer = await openPane(view)
    press(composer, 'Escape')
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
    expect(view.client.$pane.get().open).toBe(false)
    expect(view.root.activeElement).toBe(view.find('launcher'))
  })

  it('is as tall as the visual viewport and where it is, so the on-screen keyboard never covers the composer, but not while pinch-zoomed', async () => {
    const viewport = Object.assign(new EventTarget(), { height: window.innerHeight, offsetTop: 0, scale: 1 })
    const own = Object.getOwnPropertyDescriptor(window, 'visualViewport')
    Object.defineProperty(window, 'visualViewport', { configurable: true, value: viewport })
    try {
      const view = setup()
      await openPane(view)
      const pane = view.find('pane')!
      const place = () => [pane.style.getPropertyValue('--vh'), pane.style.getPropertyValue('--vt')]
      // Nothing covers the page: the stylesheet's height.
      await vi.waitFor(() => expect(pane.hasAttribute('aria-modal')).toBe(true))
      expect(place()).toEqual(['', ''])
      // The keyboard shows, and the browser scrolls the visual viewport to the field.
      Object.assign(viewport, { height: 300, offsetTop: 40 })
      viewport.dispatchEvent(new Event('resize'))
      expect(place()).toEqual(['300px', '40px'])
      Object.assign(viewport, { height: window.innerHeight / 2, offsetTop: 0, scale: 2 })
      viewport.dispatchEvent(new Event('resize'))
      expect(place()).toEqual(['', ''])
    } finally {
      if (own) Object.defineProperty(window, 'visualViewport', own)
      else delete (window as { visualViewport?: unknown }).visualViewport
    }
  })

  it('closes with the close button, and gives focus back to the launcher', async () => {
    const view = setup()
    await openPane(view)
    view.find('close')!.focus()
    view.find('close')!.click()
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
    expect(view.root.activeElement).toBe(view.find('launcher'))
  })

  it('gives focus back to the launcher when the page closes it while focus is inside', async () => {
    const view = setup()
    const composer = await openPane(view)
    await vi.waitFor(() => expect(view.root.activeElement).toBe(composer))
    view.widget.close()
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
    expect(view.root.activeElement).toBe(view.find('launcher'))
  })

  it('leaves focus where it is on the page when the page closes it while focus is elsewhere', async () => {
    const view = setup()
    await openPane(view)
    const field = document.body.appendChild(document.createElement('input'))
    field.focus()
    view.widget.close()
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
    expect(document.activeElement).toBe(field)
    field.remove()
  })
})

describe('the composer', () => {
  it('sends on Enter and shows the message as the visitor’s own, sent', async () => {
    const view = setup()
    const composer = await openPane(view)
    typeAndEnter(composer, 'Hello there')
    await vi.waitFor(() => expect(view.find('message')?.getAttribute('data-status')).toBe('sent'))
    const message = view.find('message')!
    expect(message.getAttribute('data-author')).toBe('visitor')
    expect(message.textContent).toContain('Hello there')
    expect(message.textContent).toContain('Sent')
    expect(composer.value).toBe('')
    expect(view.find('empty')).toBeNull()
  })

  it('sends with the send button', async () => {
    const view = setup()
    const composer = await openPane(view)
    composer.value = 'By button'
    view.find('send')!.click()
    await vi.waitFor(() => expect(view.find('message')?.textContent).toContain('By button'))
  })

  it('keeps Shift+Enter for a new line and does not send', async () => {
    const view = setup()
    const composer = await openPane(view)
    const send = vi.spyOn(view.client, 'send')
    composer.value = 'First line'
    expect(press(composer, 'Enter', { shiftKey: true })).toBe(true)
    expect(send).not.toHaveBeenCalled()
    expect(composer.value).toBe('First line')
  })

  it('ignores Enter while an input method is composing', async () => {
    const view = setup()
    const composer = await openPane(view)
    const send = vi.spyOn(view.client, 'send')
    composer.value = 'にほん'
    expect(press(composer, 'Enter', { isComposing: true })).toBe(true)
    expect(send).not.toHaveBeenCalled()
    expect(composer.value).toBe('にほん')
  })

  it('does not send blank text', async () => {
    const view = setup()
    const composer = await openPane(view)
    const send = vi.spyOn(view.client, 'send')
    typeAndEnter(composer, '   ')
    expect(send).not.toHaveBeenCalled()
  })

  it('does not send text of invisible characters only, and leaves it in the field', async () => {
    const view = setup()
    const composer = await openPane(view)
    const send = vi.spyOn(view.client, 'send')
    typeAndEnter(composer, '\u200b\u200c\u200d')
    expect(send).not.toHaveBeenCalled()
    expect(composer.value).toBe('\u200b\u200c\u200d')
  })

  it('keeps line breaks and never renders markup', async () => {
    const view = setup()
    const composer = await openPane(view)
    typeAndEnter(composer, 'one\ntwo <b>bold</b>')
    await vi.waitFor(() => expect(view.find('message')).not.toBeNull())
    const paragraph = view.find('message')!.querySelector('.bubble p')!
    expect([...paragraph.childNodes].map((node) => node.textContent || node.nodeName)).toEqual(['one', 'BR', 'two <b>bold</b>'])
    expect(paragraph.querySelector('b')).toBeNull()
  })
})

describe('a failed message', () => {
  const refusal = () => createError('http', 'x', { status: 400, retryable: false })

  it('shows Retry and Discard', async () => {
    const view = setup()
    view.backend.failNextSends(1, refusal())
    typeAndEnter(await openPane(view), 'Lost')
    await vi.waitFor(() => expect(view.find('message')?.getAttribute('data-status')).toBe('failed'))
    expect(view.find('message')!.textContent).toContain('Not sent')
    expect(view.find('retry')).not.toBeNull()
    expect(view.find('discard')).not.toBeNull()
  })

  it('is sent again by Retry', async () => {
    const view = setup()
    view.backend.failNextSends(1, refusal())
    typeAndEnter(await openPane(view), 'Try again')
    await vi.waitFor(() => expect(view.find('retry')).not.toBeNull())
    view.find('retry')!.click()
    await vi.waitFor(() => expect(view.find('message')?.getAttribute('data-status')).toBe('sent'))
    expect(view.findAll('message')).toHaveLength(1)
    expect(view.backend.messages(view.backend.conversations()[0]!.id).map((m) => m.text)).toEqual(['Try again'])
  })

  it('is removed by Discard', async () => {
    const view = setup()
    view.backend.failNextSends(1, refusal())
    typeAndEnter(await openPane(view), 'Never mind')
    await vi.waitFor(() => expect(view.find('discard')).not.toBeNull())
    view.find('discard')!.click()
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(0))
  })
})

describe('replies', () => {
  it('render as the agent’s, with the agent’s name', async () => {
    const view = setup()
    typeAndEnter(await openPane(view), 'Hi')
    await vi.waitFor(() => expect(view.backend.conversations()).toHaveLength(1))
    view.backend.reply(view.backend.conversations()[0]!.id, 'How can I help?', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
    const reply = view.findAll('message')[1]!
    expect(reply.getAttribute('data-author')).toBe('agent')
    expect(reply.textContent).toContain('Anna')
    expect(reply.textContent).toContain('How can I help?')
  })

  it('count on the badge while the pane is closed, and the badge clears when it opens', async () => {
    const view = setup()
    await view.widget.send('Anyone there?')
    view.backend.reply(view.backend.conversations()[0]!.id, 'Yes!')
    await vi.waitFor(() => expect(view.find('badge')?.textContent).toBe('1'))
    expect(view.find('launcher')!.getAttribute('aria-label')).toContain('1 unread')
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.find('badge')).toBeNull())
    expect(view.findAll('message').map((m) => m.getAttribute('data-author'))).toEqual(['visitor', 'agent'])
  })

  it('that arrived while the tab was hidden count as unread until the visitor comes back', async () => {
    let visible = true
    const view = setup({ isVisible: () => visible })
    typeAndEnter(await openPane(view), 'Hi')
    await vi.waitFor(() => expect(view.backend.conversations()).toHaveLength(1))
    const id = view.backend.conversations()[0]!.id
    visible = false
    view.backend.reply(id, 'Sorry for the wait')
    await vi.waitFor(() => expect(view.client.$unread.get()[id]).toBe(1))
    visible = true
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.waitFor(() => expect(view.client.$unread.get()[id]).toBe(0))
  })

  it('are announced by the typing indicator while the agent types', async () => {
    const view = setup()
    typeAndEnter(await openPane(view), 'Hi')
    await vi.waitFor(() => expect(view.backend.conversations()).toHaveLength(1))
    const id = view.backend.conversations()[0]!.id
    view.backend.typing(id, true, { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.find('typing')?.textContent).toBe('Anna is typing…'))
    view.backend.reply(id, 'Here!')
    await vi.waitFor(() => expect(view.find('typing')).toBeNull())
  })
})

describe('waiting for an agent', () => {
  it('is said under the visitor’s message while the transport knows no agent is in the conversation, until one comes in', async () => {
    const backend = createMemoryBackend()
    const presence = withAgentPresence(backend)
    const view = setup({ backend, transport: presence.transport })
    typeAndEnter(await openPane(view), 'Is anyone there?')
    await vi.waitFor(() => expect(view.find('waiting')?.textContent).toBe('Waiting for an agent…'))
    presence.arrive(backend.conversations()[0]!.id)
    await vi.waitFor(() => expect(view.find('waiting')).toBeNull())
  })

  it('is not said once an agent has answered, though none is in the conversation any more', async () => {
    const backend = createMemoryBackend()
    const view = setup({ backend, transport: withAgentPresence(backend).transport })
    typeAndEnter(await openPane(view), 'Is anyone there?')
    await vi.waitFor(() => expect(view.find('waiting')).not.toBeNull())
    backend.reply(backend.conversations()[0]!.id, 'Answered, then left')
    await vi.waitFor(() => expect(view.find('waiting')).toBeNull())
  })

  it('is never said with a transport that cannot tell whether an agent is there', async () => {
    const view = setup()
    typeAndEnter(await openPane(view), 'Is anyone there?')
    await vi.waitFor(() => expect(view.findAll('message')[0]?.textContent).toContain('Sent'))
    expect(view.find('waiting')).toBeNull()
  })
})

describe('the message log', () => {
  it('is a log that is no live region itself: the announcer reads new messages out (see announce.test.ts)', async () => {
    const view = setup()
    await openPane(view)
    const log = view.root.querySelector('[role="log"]')!
    expect(log.getAttribute('aria-live')).toBe('off')
  })

  it('loads older messages when scrolled to the top, keeping what the visitor reads in place', async () => {
    const backend = createMemoryBackend()
    const keys = createLocalResumeKeyStore('k', null)
    // An earlier visit left a long conversation behind.
    const earlier = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: keys })
    await earlier.send('Hello')
    const id = backend.conversations()[0]!.id
    for (let i = 1; i < 40; i++) backend.reply(id, `Reply ${i}`)
    // Only the messages near the view are drawn: the log is laid out as a browser would.
    const layout = layOutLogs({ view: 500, heightOf: () => 60 })
    try {
      const view = setup({ backend, resumeKeyStore: keys })
      await openPane(view)
      await vi.waitFor(() => expect(view.client.$activeMessages.get()).toHaveLength(30))
      const log = view.root.querySelector<HTMLElement>('[role="log"]')!
      scrollLog(log, 0)
      const reading = () => view.findAll('message').find((m) => m.querySelector('.bubble')!.textContent === 'Reply 10')?.getBoundingClientRect().top
      await vi.waitFor(() => expect(reading()).toBeDefined())
      const before = reading()
      await vi.waitFor(() => expect(view.client.$activeMessages.get()).toHaveLength(40))
      // Drawn above it: some of the page that came in.
      await vi.waitFor(() => expect(view.findAll('message')[0]!.querySelector('.bubble')!.textContent).toMatch(/^Reply [1-9]$/))
      expect(reading()).toBe(before)
      scrollLog(log, 0)
      await vi.waitFor(() => expect(view.findAll('message')[0]!.textContent).toContain('Hello'))
    } finally {
      layout.restore()
    }
  })
})

describe('new messages while the visitor reads older ones', () => {
  /**
   * A thread with a reply, its log given the sizes of a long thread (happy-dom lays nothing out),
   * and scrolled up by the visitor.
   */
  async function readingOlder() {
    const view = setup()
    const composer = await openPane(view)
    typeAndEnter(composer, 'Hello')
    await vi.waitFor(() => expect(view.backend.conversations()).toHaveLength(1))
    const id = view.backend.conversations()[0]!.id
    view.backend.reply(id, 'Hi! How can I help?')
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
    const log = view.root.querySelector<HTMLElement>('[role="log"]')!
    let top = 0
    Object.defineProperties(log, {
      clientHeight: { value: 500 },
      scrollHeight: { value: 5000 },
      scrollTop: { get: () => top, set: (value: number) => (top = Math.max(0, Math.min(value, 4500))) }
    })
    log.scrollTop = 1000
    log.dispatchEvent(new Event('scroll'))
    return { view, id, log, composer }
  }

  it('keeps the view where it is and offers them, in a live region', async () => {
    const { view, id, log } = await readingOlder()
    view.backend.reply(id, 'Are you still there?')
    await vi.waitFor(() => expect(view.find('new-messages')?.textContent).toBe('New messages'))
    expect(log.scrollTop).toBe(1000)
    expect(view.find('new-messages')!.parentElement!.getAttribute('role')).toBe('status')
  })

  it('takes the visitor to the newest message, and the focus to the composer, when chosen', async () => {
    const { view, id, log, composer } = await readingOlder()
    view.backend.reply(id, 'Are you still there?')
    await vi.waitFor(() => expect(view.find('new-messages')).not.toBeNull())
    view.find('new-messages')!.click()
    await vi.waitFor(() => expect(view.find('new-messages')).toBeNull())
    expect(log.scrollTop).toBe(4500)
    expect(view.root.activeElement).toBe(composer)
  })

  it('goes away when the visitor scrolls down to the newest themselves', async () => {
    const { view, id, log } = await readingOlder()
    view.backend.reply(id, 'Are you still there?')
    await vi.waitFor(() => expect(view.find('new-messages')).not.toBeNull())
    log.scrollTop = 4500
    log.dispatchEvent(new Event('scroll'))
    await vi.waitFor(() => expect(view.find('new-messages')).toBeNull())
  })

  it('are not offered to a visitor who reads the newest: the view follows them', async () => {
    const { view, id, log } = await readingOlder()
    log.scrollTop = 4500
    log.dispatchEvent(new Event('scroll'))
    view.backend.reply(id, 'Are you still there?')
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(3))
    expect(view.find('new-messages')).toBeNull()
    expect(log.scrollTop).toBe(4500)
  })

  it('the visitor’s own message takes them to the newest', async () => {
    const { view, log, composer } = await readingOlder()
    typeAndEnter(composer, 'Yes, one more question')
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(3))
    expect(log.scrollTop).toBe(4500)
    expect(view.find('new-messages')).toBeNull()
  })
})

describe('the connection status', () => {
  it('stays quiet while online', async () => {
    const view = setup()
    await openPane(view)
    await vi.waitFor(() => expect(view.client.$status.get()).toBe('online'))
    await vi.waitFor(() => expect(view.find('status')!.textContent).toBe(''))
  })

  /** Timers the test moves by hand: `advance(ms)` runs what falls due. */
  function manualTimers() {
    let now = 0
    let pending: { at: number; ms: number; run: () => void }[] = []
    return {
      setTimeout: (run: () => void, ms: number) => {
        const timer = { at: now + ms, ms, run }
        pending.push(timer)
        return timer
      },
      clearTimeout: (timer: unknown) => {
        pending = pending.filter((other) => other !== timer)
      },
      advance(ms: number) {
        now += ms
        const due = pending.filter((timer) => timer.at <= now)
        pending = pending.filter((timer) => timer.at > now)
        for (const timer of due) timer.run()
      },
      /** Whether a timer of `ms` is waiting (effects start theirs after the render). */
      waiting: (ms: number) => pending.some((timer) => timer.ms === ms)
    }
  }

  /**
   * A pane open and online, with the UI's timers in the test's hands. `status(…)` sets the
   * connection status the way the client does; the UI only reads it.
   */
  async function online() {
    const timers = manualTimers()
    const view = setup({ timers })
    await openPane(view)
    await vi.waitFor(() => expect(view.client.$status.get()).toBe('online'))
    const emit = ({ status }: { type: 'status'; status: ClientStatus }) => writable(view.client.$status).set(status)
    const status = () => view.find('status')!.textContent
    return { view, emit, timers, status }
  }

  it('says nothing about a blip shorter than three seconds', async () => {
    const { emit, timers, status } = await online()
    emit({ type: 'status', status: 'reconnecting' })
    await vi.waitFor(() => expect(timers.waiting(3000)).toBe(true))
    timers.advance(2900)
    emit({ type: 'status', status: 'online' })
    await vi.waitFor(() => expect(timers.waiting(3000)).toBe(false))
    timers.advance(5000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(status()).toBe('')
  })

  it('shows reconnecting once it lasted three seconds, and clears at once when back online', async () => {
    const { emit, timers, status } = await online()
    emit({ type: 'status', status: 'reconnecting' })
    await vi.waitFor(() => expect(timers.waiting(3000)).toBe(true))
    timers.advance(2900)
    expect(status()).toBe('')
    timers.advance(200)
    await vi.waitFor(() => expect(status()).toBe('Reconnecting…'))
    emit({ type: 'status', status: 'online' })
    await vi.waitFor(() => expect(status()).toBe(''))
  })

  it('shows offline only once the connection was down three seconds, counting from the first trouble', async () => {
    const { emit, timers, status } = await online()
    emit({ type: 'status', status: 'reconnecting' })
    await vi.waitFor(() => expect(timers.waiting(3000)).toBe(true))
    timers.advance(2000)
    emit({ type: 'status', status: 'offline' })
    await vi.waitFor(() => expect(status()).toBe(''))
    timers.advance(1100)
    await vi.waitFor(() => expect(status()).toMatch(/offline/i))
    emit({ type: 'status', status: 'online' })
    await vi.waitFor(() => expect(status()).toBe(''))
  })
})
