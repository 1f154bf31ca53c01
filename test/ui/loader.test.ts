import { afterEach, describe, expect, it, vi } from 'vitest'
import { withJournal } from '../../src/cache/journal.js'
import { createMemoryCache } from '../../src/cache/memory.js'
import { personDatabase } from '../../src/cache/partition.js'
import { createClient } from '../../src/client/index.js'
import { createCommandRunner } from '../../src/embed/commands.js'
import { takeOver, type ConfabGlobal } from '../../src/embed/shared.js'
import { createLoader, needsCoreNow, type LoaderDeps, type StartCore } from '../../src/embed/loader.js'
import { bootWidget } from '../../src/embed/widget.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import type { Drawn, Widget } from '../../src/ui/widget.js'
import { createMapStorage } from '../support/storage.js'


/** The rest of the widget, arriving when the test says so (or failing to, after which it can be asked again). */
function heldCore() {
  let arrive!: (start: StartCore) => void
  let fail!: (error: unknown) => void
  const next = () => new Promise<StartCore>((resolve, reject) => ((arrive = resolve), (fail = reject)))
  let answer = next()
  const loadCore = vi.fn(() => answer)
  return {
    loadCore,
    arrive: (start: StartCore) => arrive(start),
    fail() {
      fail(new TypeError('Failed to fetch'))
      answer.catch(() => undefined)
      answer = next()
    }
  }
}

/**
 * A core that only records the calls it runs, answering `send` with `sent:<text>`; `during` runs
 * as it runs the first one (what the page does meanwhile).
 */
function recordingCore(during?: () => void) {
  const calls: unknown[][] = []
  let handed: Drawn | undefined
  const start: StartCore = (drawn) => {
    handed = drawn
    return (command, ...args) => {
      calls.push([command, ...args])
      if (calls.length === 1) during?.()
      return command === 'send' ? Promise.resolve(`sent:${String(args[0])}`) : undefined
    }
  }
  return { start, calls, drawn: () => handed }
}

/** Widgets the real core made, shut down after each test. */
const widgets: Widget[] = []

/** The real core, as `confab-core.js` starts it (without the script loading). */
function realCore() {
  const made: Widget[] = []
  const start: StartCore = (drawn) =>
    createCommandRunner({
      createWidget: (options) => {
        const widget = bootWidget(options, drawn)
        made.push(widget)
        widgets.push(widget)
        return widget
      },
      later: (step) => setTimeout(step)
    })
  return { start, widgets: made }
}

/** A loader on a page, as `confab.js` installs it; the browser's idle callback is the test's to run. */
function page(deps: Partial<LoaderDeps> = {}) {
  const core = heldCore()
  const idle = vi.fn<(load: () => void) => void>()
  const Confab = createLoader({ loadCore: core.loadCore, idle, storage: createMapStorage(), ...deps })
  const host = () => document.querySelector<HTMLElement>('[data-confab]')
  const find = (id: string) => host()?.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${id}"]`) ?? null
  return { Confab, ...core, idle, host, find, launcher: () => find('launcher')! }
}

const transport = () => createMemoryTransport({ backend: createMemoryBackend() })
/** `count` tasks later: long enough for what the loader or the core does in a task of its own. */
const tasks = (count = 1) => Array.from({ length: count }).reduce<Promise<unknown>>((done) => done.then(() => new Promise((next) => setTimeout(next))), Promise.resolve())

afterEach(async () => {
  await Promise.all(widgets.splice(0).map((widget) => widget.shutdown()))
  for (const host of document.querySelectorAll('[data-confab]')) host.remove()
})

describe('the loader at boot', () => {
  it('draws the launcher in its own shadow root, with its name and state, and loads nothing yet', () => {
    const view = page()
    view.Confab('boot', { url: 'https://chat.example.com' })
    const launcher = view.launcher()
    expect(launcher.tagName).toBe('BUTTON')
    expect(launcher.getAttribute('aria-label')).toBe('Chat with us')
    expect(launcher.getAttribute('aria-expanded')).toBe('false')
    expect(view.host()!.shadowRoot!.adoptedStyleSheets).toHaveLength(1)
    expect(view.loadCore).not.toHaveBeenCalled()
  })

  it('themes the host as the widget does', () => {
    const view = page()
    view.Confab('boot', { url: 'https://chat.example.com', brandColor: '#e11d48', position: 'left', zIndex: 10 })
    expect(view.host()!.style.getPropertyValue('--confab-brand')).toBe('#e11d48')
    expect(view.host()!.style.getPropertyValue('--confab-z')).toBe('10')
    expect(view.host()!.getAttribute('data-position')).toBe('left')
  })

  it('draws nothing for boot options that cannot boot, and loads the rest to say why', () => {
    const view = page()
    view.Confab('boot', {})
    expect(view.host()).toBeNull()
    expect(view.loadCore).toHaveBeenCalledOnce()
  })

  it('boots from the script element’s data-* attributes', () => {
    const view = page()
    const script = document.createElement('script')
    script.setAttribute('data-url', 'https://chat.example.com')
    takeOver({} as { Confab?: ConfabGlobal }, view.Confab, script)
    expect(view.launcher()).not.toBeNull()
  })
})

describe('loading the rest of the widget', () => {
  it('waits for the browser to be idle', () => {
    const view = page()
    view.Confab('boot', { url: 'https://chat.example.com' })
    expect(view.idle).toHaveBeenCalledOnce()
    expect(view.loadCore).not.toHaveBeenCalled()
    view.idle.mock.calls[0]![0]()
    expect(view.loadCore).toHaveBeenCalledOnce()
  })

  it.each([
    ['the pointer enters the launcher', (launcher: HTMLElement) => launcher.dispatchEvent(new PointerEvent('pointerenter'))],
    ['a pointer presses the launcher', (launcher: HTMLElement) => launcher.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))],
    ['the launcher gets focus', (launcher: HTMLElement) => launcher.focus()],
    ['a key is pressed on the launcher', (launcher: HTMLElement) => launcher.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))]
  ])('starts at once when %s, and fetches the pane’s code beside it', (_, reach) => {
    const preload = vi.fn(() => true)
    const view = page({ preload })
    view.Confab('boot', { url: 'https://chat.example.com' })
    reach(view.launcher())
    expect(view.loadCore).toHaveBeenCalledOnce()
    expect(preload).toHaveBeenCalledOnce()
  })

  it('fetches the pane’s code once however often the visitor reaches, and also when the core is already loading since the browser was idle', () => {
    const preload = vi.fn(() => true)
    const view = page({ preload })
    view.Confab('boot', { url: 'https://chat.example.com' })
    view.idle.mock.calls[0]![0]()
    expect(view.loadCore).toHaveBeenCalledOnce()
    expect(preload).not.toHaveBeenCalled()
    view.launcher().dispatchEvent(new PointerEvent('pointerenter'))
    view.launcher().dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
    view.launcher().focus()
    expect(preload).toHaveBeenCalledOnce()
    expect(view.loadCore).toHaveBeenCalledOnce()
  })

  it.each(['open', 'toggle', 'send', 'identify', 'endChat'])('starts at once for %s', (command) => {
    const view = page()
    view.Confab('boot', { url: 'https://chat.example.com' })
    void view.Confab(command, command === 'identify' ? { id: 'u1', token: 't' } : 'Hello')
    expect(view.loadCore).toHaveBeenCalledOnce()
  })

  it('starts at boot when a command that needs it came before', () => {
    const view = page()
    view.Confab('send', 'Hello')
    expect(view.loadCore).not.toHaveBeenCalled()
    view.Confab('boot', { url: 'https://chat.example.com' })
    expect(view.loadCore).toHaveBeenCalledOnce()
    expect(view.idle).not.toHaveBeenCalled()
  })

  it('starts at once when an unsent message waits in the outbox’s journal', async () => {
    const storage = createMapStorage()
    // The journal as the client keeps it, for the visitor this device last showed.
    await withJournal(createMemoryCache(), personDatabase('shop', 'v-1'), storage).write({
      outbox: [{ id: 'm1', clientId: 'm1', conversationId: 'c1', author: { role: 'visitor' }, text: 'Still there?', createdAt: 1, status: 'queued' }]
    })
    const view = page({ storage })
    view.Confab('boot', { url: 'https://chat.example.com', site: 'shop' })
    expect(view.loadCore).not.toHaveBeenCalled()
    // Without the browser's idle moment, which the test never gives it.
    await vi.waitFor(() => expect(view.loadCore).toHaveBeenCalledOnce())
  })

  it('starts at once in chat mode when a chat session lives on the device, and only then', async () => {
    const storage = createMapStorage()
    // The session marker as the client leaves it once a chat has started.
    const client = createClient({ transport: transport(), mode: 'chat', site: 'shop', storage, cache: null, leadership: null })
    await client.connect()
    await client.send('Hello')
    expect(needsCoreNow({ mode: 'chat', site: 'shop' }, storage)).toBe(true)
    expect(needsCoreNow({ mode: 'messaging', site: 'shop' }, storage)).toBe(false)
    expect(needsCoreNow({ mode: 'chat', site: 'other' }, storage)).toBe(false)
    await client.shutdown()
    expect(needsCoreNow({ mode: 'chat', site: 'shop' }, storage)).toBe(false)
  })

  it('waits for idle when storage cannot be read', async () => {
    const blocked = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError')
      },
      key: () => null,
      length: 0
    }
    const view = page({ storage: blocked })
    view.Confab('boot', { url: 'https://chat.example.com', mode: 'chat' })
    await tasks(3)
    expect(view.loadCore).not.toHaveBeenCalled()
  })
})

describe('calls made before the rest of the widget is there', () => {
  it('run in order once it is, one task each', async () => {
    const view = page()
    const core = recordingCore()
    const listener = () => undefined
    view.Confab('on', 'message', listener)
    view.Confab('boot', { url: 'https://chat.example.com' })
    void view.Confab('identify', { id: 'u1', token: 't' })
    void view.Confab('send', 'first')
    view.Confab('hide')
    void view.Confab('send', 'second')
    view.Confab('open')
    view.arrive(core.start)
    await vi.waitFor(() => expect(core.calls).toHaveLength(7))
    expect(core.calls).toEqual([
      ['on', 'message', listener],
      ['boot', { url: 'https://chat.example.com' }],
      ['identify', { id: 'u1', token: 't' }],
      ['send', 'first'],
      ['hide'],
      ['send', 'second'],
      ['open']
    ])
  })

  it('wait behind those still running when made as the rest arrives', async () => {
    const view = page()
    const core = recordingCore(() => void view.Confab('send', 'second'))
    view.Confab('boot', { url: 'https://chat.example.com' })
    void view.Confab('send', 'first')
    view.arrive(core.start)
    await vi.waitFor(() => expect(core.calls).toHaveLength(3))
    expect(core.calls.map(([command, text]) => `${command}${text === undefined || typeof text === 'object' ? '' : `:${text}`}`)).toEqual([
      'boot',
      'send:first',
      'send:second'
    ])
    // Then straight through.
    view.Confab('close')
    expect(core.calls.at(-1)).toEqual(['close'])
  })

  it('are answered with a promise settled as the rest of the widget answers them', async () => {
    const view = page()
    const core = recordingCore()
    view.Confab('boot', { url: 'https://chat.example.com' })
    const sent = view.Confab('send', 'Hello')
    expect(sent).toBeInstanceOf(Promise)
    view.arrive(core.start)
    await expect(sent).resolves.toBe('sent:Hello')
  })

  it('are answered with a promise before boot too, settled once the widget that boots answers them', async () => {
    const view = page()
    const core = recordingCore()
    const sent = view.Confab('send', 'Hello')
    expect(sent).toBeInstanceOf(Promise)
    view.Confab('boot', { url: 'https://chat.example.com' })
    view.arrive(core.start)
    await expect(sent).resolves.toBe('sent:Hello')
  })

  it('include listeners, whose unsubscribe function is there at once', async () => {
    const view = page()
    const core = recordingCore()
    const listener = () => undefined
    view.Confab('boot', { url: 'https://chat.example.com' })
    const off = view.Confab('on', 'message', listener) as () => void
    off()
    view.idle.mock.calls[0]![0]()
    view.arrive(core.start)
    await vi.waitFor(() => expect(core.calls).toHaveLength(3))
    expect(core.calls.slice(1)).toEqual([
      ['on', 'message', listener],
      ['off', 'message', listener]
    ])
  })

  it('hide the launcher at once', () => {
    const view = page()
    view.Confab('hide')
    view.Confab('boot', { url: 'https://chat.example.com' })
    expect(view.launcher().hidden).toBe(true)
    view.Confab('show')
    expect(view.launcher().hidden).toBe(false)
  })

  it('take the launcher off the page at shutdown, and hand the shutdown on to wipe the device', async () => {
    const view = page()
    const core = recordingCore()
    view.Confab('boot', { url: 'https://chat.example.com' })
    const closing = view.Confab('shutdown')
    expect(view.host()).toBeNull()
    expect(view.loadCore).toHaveBeenCalledOnce()
    view.arrive(core.start)
    await closing
    expect(core.calls.map(([command]) => command)).toEqual(['boot', 'shutdown'])
    expect(core.drawn()).toBeUndefined()
  })

  it('reach the rest of the widget in order with a shutdown before any boot, which answers them (see embed.test.ts)', async () => {
    const view = page()
    const core = recordingCore()
    const listener = () => undefined
    view.Confab('on', 'message', listener)
    view.Confab('open')
    view.Confab('shutdown')
    view.Confab('boot', { url: 'https://chat.example.com' })
    // `open` needs the rest: it loads at boot.
    expect(view.loadCore).toHaveBeenCalledOnce()
    view.arrive(core.start)
    await vi.waitFor(() => expect(core.calls).toHaveLength(4))
    expect(core.calls.map(([command]) => command)).toEqual(['on', 'open', 'shutdown', 'boot'])
  })
})

describe('a click on the launcher before the rest of the widget is there', () => {
  it('shows the launcher busy, then opens the pane on the same launcher once it is', async () => {
    const view = page()
    const core = realCore()
    view.Confab('boot', { transport: transport(), mode: 'messaging' })
    const launcher = view.launcher()
    launcher.click()
    expect(launcher.getAttribute('aria-busy')).toBe('true')
    expect(view.loadCore).toHaveBeenCalledOnce()
    view.arrive(core.start)
    // The pane's code is imported on first open: slow on a busy machine.
    await vi.waitFor(() => expect(view.find('composer')).not.toBeNull(), { timeout: 10_000 })
    expect(view.launcher()).toBe(launcher)
    expect(launcher.getAttribute('aria-busy')).toBe('false')
    expect(launcher.getAttribute('aria-expanded')).toBe('true')
    expect(document.querySelectorAll('[data-confab]')).toHaveLength(1)
    await vi.waitFor(() => expect(view.host()!.shadowRoot!.activeElement).toBe(view.find('composer')))
    // From now on the widget answers the launcher: one click, one toggle.
    launcher.click()
    await vi.waitFor(() => expect(view.find('composer')).toBeNull())
    expect(launcher.getAttribute('aria-expanded')).toBe('false')
  })

  it('and a second click before it is there leave the pane closed', async () => {
    const view = page()
    const core = realCore()
    view.Confab('boot', { transport: transport() })
    view.launcher().click()
    view.launcher().click()
    expect(view.launcher().getAttribute('aria-busy')).toBe('false')
    view.arrive(core.start)
    await vi.waitFor(() => expect(core.widgets).toHaveLength(1))
    await tasks(3)
    expect(core.widgets[0]!.client.$pane.get().open).toBe(false)
  })

  it('is forgotten when the rest cannot be loaded, and the next click tries again', async () => {
    const view = page()
    view.Confab('boot', { transport: transport() })
    view.launcher().click()
    view.fail()
    await vi.waitFor(() => expect(view.launcher().getAttribute('aria-busy')).toBe('false'))
    const core = realCore()
    view.launcher().click()
    expect(view.loadCore).toHaveBeenCalledTimes(2)
    view.arrive(core.start)
    // The pane's code is imported on first open: slow on a busy machine.
    await vi.waitFor(() => expect(view.find('composer')).not.toBeNull(), { timeout: 10_000 })
    expect(core.widgets[0]!.client.$pane.get().open).toBe(true)
  })

  it('sends what was handed over meanwhile once, in order, in one conversation', async () => {
    const backend = createMemoryBackend()
    const view = page()
    const core = realCore()
    view.Confab('boot', { transport: createMemoryTransport({ backend }) })
    const first = view.Confab('send', 'first')
    const second = view.Confab('send', 'second')
    view.arrive(core.start)
    await Promise.all([first, second])
    expect(backend.conversations()).toHaveLength(1)
    expect(backend.messages(backend.conversations()[0]!.id).map((m) => m.text)).toEqual(['first', 'second'])
  })
})
