import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { IntegrationEvent } from '../../src/client/index.js'
import {
  createCommandRunner,
  installGlobal,
  readDataAttributes,
  toWidgetOptions,
  type BootOptions,
  type ConfabGlobal
} from '../../src/embed/commands.js'
import { bootWidget } from '../../src/embed/widget.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import type { Widget } from '../../src/ui/widget.js'

/** A widget that records what it was asked to do. */
function fakeWidget(log: string[]) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const widget = {
    boot: () => void log.push('boot'),
    shutdown: () => void log.push('shutdown'),
    open: () => void log.push('open'),
    close: () => void log.push('close'),
    toggle: () => void log.push('toggle'),
    show: () => void log.push('show'),
    hide: () => void log.push('hide'),
    send: (text: string) => {
      log.push(`send:${text}`)
      return Promise.resolve()
    },
    setLocale: (locale: string) => {
      log.push(`setLocale:${locale}`)
      return Promise.resolve()
    },
    on(name: string, fn: (payload: unknown) => void) {
      if (!listeners.has(name)) listeners.set(name, new Set())
      listeners.get(name)!.add(fn)
      return () => listeners.get(name)!.delete(fn)
    },
    off(name: string, fn: (payload: unknown) => void) {
      listeners.get(name)?.delete(fn)
    },
    emit(name: string, payload: unknown) {
      for (const fn of listeners.get(name) ?? []) fn(payload)
    }
  }
  return widget
}

function harness() {
  const log: string[] = []
  const booted: BootOptions[] = []
  const errors: unknown[] = []
  let widget: ReturnType<typeof fakeWidget> | undefined
  const deps = {
    createWidget(options: BootOptions) {
      booted.push(options)
      widget = fakeWidget(log)
      return widget as unknown as Widget
    },
    report: (error: unknown) => errors.push(error)
  }
  return { log, booted, errors, deps, widget: () => widget! }
}

/** The snippet of the README's script-tag quick start, as a site owner pastes it. */
const SNIPPET = /```html\n<script>\n(\s*\(function \(w, d, s, c\)[\s\S]*?\}\)\(window, document\);)/.exec(
  readFileSync(join(process.cwd(), 'README.md'), 'utf8')
)![1]!

/** Run the README's snippet on `target` as its window, with a document that records the script it adds. */
function pasteSnippet(target: { Confab?: ConfabGlobal }) {
  const added: { src?: string; async?: boolean }[] = []
  const doc = { createElement: () => ({}), head: { appendChild: (element: object) => added.push(element) } }
  new Function('window', 'document', SNIPPET)(target, doc)
  return { Confab: target.Confab!, added }
}

function snippetStub(target: { Confab?: ConfabGlobal }) {
  return pasteSnippet(target).Confab
}

describe('the script-tag global', () => {
  it('replays calls made before the bundle loaded, in order', () => {
    const { log, booted, deps } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    const Confab = snippetStub(page)
    Confab('open')
    Confab('boot', { url: 'https://chat.example.com', mode: 'chat' })
    Confab('send', 'first')
    Confab('send', 'second')
    Confab('hide')
    expect(log).toEqual([])

    installGlobal(page, deps)
    expect(booted).toEqual([{ url: 'https://chat.example.com', mode: 'chat' }])
    expect(log).toEqual(['boot', 'open', 'send:first', 'send:second', 'hide'])
  })

  it('runs calls at once after it loaded', () => {
    const { log, deps } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    installGlobal(page, deps)
    page.Confab!('boot', { url: 'https://chat.example.com' })
    page.Confab!('toggle')
    page.Confab!('show')
    expect(log).toEqual(['boot', 'toggle', 'show'])
  })

  it('attaches listeners added before boot, and off removes them', () => {
    const { deps, widget } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    const Confab = snippetStub(page)
    const seen: unknown[] = []
    const listener = (payload: unknown) => seen.push(payload)
    Confab('on', 'message', listener)
    Confab('boot', { url: 'https://chat.example.com' })
    installGlobal(page, deps)
    widget().emit('message', 'hello')
    page.Confab!('off', 'message', listener)
    widget().emit('message', 'ignored')
    expect(seen).toEqual(['hello'])
  })

  it('returns an unsubscribe function from on', () => {
    const { deps, widget } = harness()
    const run = createCommandRunner(deps)
    run('boot', { url: 'https://chat.example.com' })
    const seen: unknown[] = []
    const off = run('on', 'open', (payload: unknown) => seen.push(payload)) as () => void
    widget().emit('open', 1)
    off()
    widget().emit('open', 2)
    expect(seen).toEqual([1])
  })

  it('reports an unknown command and a boot without url, and keeps working', () => {
    const { deps, errors, log } = harness()
    const run = createCommandRunner(deps)
    run('explode')
    run('boot', {})
    run('boot', { url: 'https://chat.example.com' })
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "Unknown Confab command 'explode': use one of boot, shutdown, open, close, toggle, show, hide, send, identify, endChat, on, off, getVisitorId, getUnreadCount, setLocale, update, trackEvent, showNewMessage",
      "Confab('boot') needs { url: 'https://your-backend' } or { transport }"
    ])
    expect(log).toEqual(['boot'])
  })

  it('boots with a ready transport and no url', () => {
    const { deps, booted, errors, log } = harness()
    const run = createCommandRunner(deps)
    const transport = createMemoryTransport()
    run('boot', { transport })
    expect(errors).toEqual([])
    expect(booted).toEqual([{ transport }])
    expect(log).toEqual(['boot'])
  })

  it('reports a transport that is not an adapter, and does not boot', () => {
    const { deps, errors, log } = harness()
    const run = createCommandRunner(deps)
    run('boot', { transport: { connect() {} }, url: 'https://chat.example.com' })
    run('boot', { transport: 'xmpp' })
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "Confab('boot', { transport }) needs a transport adapter with connect() and subscribe() functions",
      "Confab('boot', { transport }) needs a transport adapter with connect() and subscribe() functions"
    ])
    expect(errors).toMatchObject([{ code: 'invalid-argument' }, { code: 'invalid-argument' }])
    expect(log).toEqual([])
  })

  it('boots once, and again after shutdown', () => {
    const { deps, booted, log } = harness()
    const run = createCommandRunner(deps)
    run('boot', { url: 'https://a.example' })
    run('boot', { url: 'https://a.example' })
    run('shutdown')
    run('boot', { url: 'https://a.example' })
    expect(booted).toHaveLength(2)
    expect(log).toEqual(['boot', 'shutdown', 'boot'])
  })

  it('does not install twice when the bundle is loaded twice', () => {
    const { deps, booted } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    const first = installGlobal(page, deps)
    first!('boot', { url: 'https://a.example' })
    const second = installGlobal(page, deps)
    expect(second).toBe(first)
    expect(booted).toHaveLength(1)
  })
})

describe('every call', () => {
  it('is answered with a promise by the snippet, settled in order with what the command answers once the bundle ran it', async () => {
    const { log, deps } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    const { Confab, added } = pasteSnippet(page)
    const order: string[] = []
    const booted = Confab('boot', { url: 'https://chat.example.com' }) as Promise<unknown>
    const first = (Confab('send', 'first') as Promise<unknown>).then((value) => order.push(`first:${String(value)}`))
    const opened = (Confab('open') as Promise<unknown>).then((value) => order.push(`open:${String(value)}`))
    expect(added).toMatchObject([{ async: true, src: 'https://your-cdn.example/confab.js' }])
    installGlobal(page, deps)
    await Promise.all([booted, first, opened])
    expect(log).toEqual(['boot', 'send:first', 'open'])
    expect(order).toEqual(['first:undefined', 'open:undefined'])
  })

  it('queued by the older snippet, which answered nothing, still runs in order', () => {
    const { log, deps } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    // As pasted: it queues the `arguments` object itself.
    const old = function () {
      ;(old.q = old.q || []).push(arguments)
    } as unknown as ConfabGlobal
    page.Confab = old
    old('boot', { url: 'https://chat.example.com' })
    old('send', 'hello')
    installGlobal(page, deps)
    expect(log).toEqual(['boot', 'send:hello'])
  })

  it('is answered with a promise after the bundle loaded too', async () => {
    const { deps } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    installGlobal(page, deps)
    await expect(page.Confab!('boot', { url: 'https://chat.example.com' })).resolves.toBeUndefined()
    await expect(page.Confab!('toggle')).resolves.toBeUndefined()
  })

  it('to on gets its unsubscribe function from the snippet at once, which works before the bundle loaded', () => {
    const { deps, widget } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    const { Confab } = pasteSnippet(page)
    const seen: unknown[] = []
    const off = Confab('on', 'message', (payload: unknown) => seen.push(payload)) as () => void
    expect(off).toBeTypeOf('function')
    Confab('boot', { url: 'https://chat.example.com' })
    off()
    installGlobal(page, deps)
    widget().emit('message', 'not heard')
    expect(seen).toEqual([])
  })

  it('with an unknown command is refused with a ConfabError that lists the commands, reported once', async () => {
    const { deps, errors } = harness()
    const run = createCommandRunner(deps)
    const answer = run('trackEvnet', 'signup') as Promise<unknown>
    await expect(answer).rejects.toMatchObject({ name: 'ConfabError', code: 'invalid-argument', message: expect.stringContaining("Unknown Confab command 'trackEvnet': use one of boot,") })
    expect(errors).toHaveLength(1)
  })

  it('with arguments of the wrong type is refused naming the command and what it takes, and changes nothing', async () => {
    const { deps, errors, log } = harness()
    const run = createCommandRunner(deps)
    run('boot', { url: 'https://chat.example.com' })
    await expect(run('send', 42)).rejects.toMatchObject({ code: 'invalid-argument', message: "Confab('send', text): text must be a string, not number" })
    await expect(run('identify', null)).rejects.toThrow("Confab('identify', identity): identity must be an object, not null")
    await expect(run('off', 'message')).rejects.toThrow("Confab('off', event, listener): listener must be a function, not undefined")
    const off = run('on', 'message', 'not a function')
    expect(off).toBeTypeOf('function')
    expect(errors).toHaveLength(4)
    expect(log).toEqual(['boot'])
  })

  it('after shutdown is refused as closed until the next boot, and so are those that were waiting for a boot', async () => {
    const { deps, log } = harness()
    const run = createCommandRunner(deps)
    const waiting = run('send', 'never booted') as Promise<unknown>
    run('shutdown')
    await expect(waiting).rejects.toMatchObject({ code: 'closed', message: "Confab('send', text) was waiting for the widget when Confab('shutdown') came" })
    run('boot', { url: 'https://chat.example.com' })
    run('shutdown')
    await expect(run('open')).rejects.toMatchObject({ code: 'closed', message: "Confab('open') came after Confab('shutdown'): call Confab('boot', options) first" })
    run('boot', { url: 'https://chat.example.com' })
    await expect(run('open')).resolves.toBeUndefined()
    expect(log).toEqual(['boot', 'shutdown', 'boot', 'open'])
  })

  it('to setLocale goes to the widget, and resolves once it has switched', async () => {
    const { deps, log } = harness()
    const run = createCommandRunner(deps)
    run('boot', { url: 'https://chat.example.com' })
    await expect(run('setLocale', 'fr')).resolves.toBeUndefined()
    expect(log).toEqual(['boot', 'setLocale:fr'])
  })

  it('never leaves an unhandled rejection on the page', async () => {
    const { deps } = harness()
    const unhandled: unknown[] = []
    const listen = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', listen)
    try {
      const page: { Confab?: ConfabGlobal } = {}
      const { Confab } = pasteSnippet(page)
      Confab('explode')
      installGlobal(page, deps)
      page.Confab!('send', 42)
      page.Confab!('nope')
      await new Promise((done) => setTimeout(done, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', listen)
    }
  })
})

describe('the answers of the real widget', () => {
  it('give the visitor id once the session started, and the unread count', async () => {
    const run = createCommandRunner({ createWidget: (options) => bootWidget(options), report: () => undefined })
    const transport = createMemoryTransport()
    run('boot', { transport })
    try {
      const id = await (run('getVisitorId') as Promise<string>)
      expect(id).toMatch(/\S/)
      await expect(run('getUnreadCount')).resolves.toBe(0)
    } finally {
      await run('shutdown')
    }
  })
})

describe('the integration stream through the script tag', () => {
  /** The real widget on a memory backend, driven through the command runner as `Confab(...)` is. */
  const realRunner = () => createCommandRunner({ createWidget: (options) => bootWidget(options), report: () => undefined })

  it('hands every event to Confab(\'on\', \'*\') and one type to its own name, listeners added before boot included', async () => {
    const run = realRunner()
    const backend = createMemoryBackend()
    const all: string[] = []
    const received: string[] = []
    run('on', '*', (event: IntegrationEvent) => all.push(event.type))
    run('on', 'message:received', (event: IntegrationEvent<'message:received'>) => received.push(`${event.source} ${event.author.role}`))
    run('boot', { transport: createMemoryTransport({ backend }) })
    try {
      await run('open')
      await run('send', 'Hello')
      backend.reply(backend.conversations()[0]!.id, 'Hi!')
      await vi.waitFor(() => expect(received).toEqual(['backend agent']))
      expect(all).toEqual(expect.arrayContaining(['messenger:opened', 'conversation:started', 'message:sent', 'message:received']))
    } finally {
      await run('shutdown')
    }
  })

  it('keeps the client’s own event names, and off stops a listener of the stream', async () => {
    const run = realRunner()
    const opened: string[] = []
    const streamed = (event: IntegrationEvent) => opened.push(event.type)
    run('on', 'open', () => opened.push('open'))
    run('on', 'messenger:opened', streamed)
    run('boot', { transport: createMemoryTransport() })
    try {
      await run('open')
      await run('off', 'messenger:opened', streamed)
      await run('close')
      await run('open')
      expect(opened.sort()).toEqual(['messenger:opened', 'open', 'open'])
    } finally {
      await run('shutdown')
    }
  })

  it('pushes the events to window.dataLayer for Google Tag Manager with dataLayer: true, and only then', async () => {
    const page = window as unknown as { dataLayer?: unknown[] }
    delete page.dataLayer
    const run = realRunner()
    run('boot', { transport: createMemoryTransport(), dataLayer: true })
    try {
      await run('open')
      expect(page.dataLayer).toContainEqual({ event: 'confab.messenger.opened', confab: expect.objectContaining({ type: 'messenger:opened', source: 'visitor' }) })
    } finally {
      await run('shutdown')
    }
    delete page.dataLayer
    const quiet = realRunner()
    quiet('boot', { transport: createMemoryTransport() })
    try {
      await quiet('open')
      expect(page.dataLayer).toBeUndefined()
    } finally {
      await quiet('shutdown')
    }
  })

  it('passes the hooks and the stream’s options on to the client', () => {
    const beforeSend = () => null
    expect(toWidgetOptions({ url: 'https://x.example', beforeSend, hookTimeout: 500, events: { includeText: true }, dataLayer: true })).toMatchObject({
      beforeSend,
      hookTimeout: 500,
      events: { includeText: true },
      dataLayer: true
    })
  })
})

describe('data-* attributes', () => {
  function scriptWith(attributes: Record<string, string>) {
    const script = document.createElement('script')
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
    document.head.appendChild(script)
    return script
  }

  it('boot the widget from the script element', () => {
    const { deps, booted, log } = harness()
    const script = scriptWith({
      'data-url': 'https://chat.example.com',
      'data-mode': 'chat',
      'data-brand-color': '#0a7',
      'data-position': 'left',
      'data-site': 'shop'
    })
    installGlobal({}, deps, script)
    expect(booted).toEqual([
      { url: 'https://chat.example.com', mode: 'chat', brandColor: '#0a7', position: 'left', site: 'shop' }
    ])
    expect(log).toEqual(['boot'])
  })

  it('leave boot to the queue when the snippet already booted', () => {
    const { deps, booted } = harness()
    const page: { Confab?: ConfabGlobal } = {}
    snippetStub(page)('boot', { url: 'https://queued.example' })
    installGlobal(page, deps, scriptWith({ 'data-url': 'https://attribute.example' }))
    expect(booted.map((b) => b.url)).toEqual(['https://queued.example'])
  })

  it('turn the sound off with data-sound="false"', () => {
    expect(readDataAttributes(scriptWith({ 'data-url': 'https://x.example', 'data-sound': 'false' }))).toEqual({
      url: 'https://x.example',
      sound: false
    })
    expect(toWidgetOptions({ url: 'https://x.example', sound: false })).toMatchObject({ sound: false })
    expect(toWidgetOptions({ url: 'https://x.example' })).not.toHaveProperty('sound')
  })

  it('push the events to Google Tag Manager with data-data-layer="true"', () => {
    expect(readDataAttributes(scriptWith({ 'data-url': 'https://x.example', 'data-data-layer': 'true' }))).toEqual({ url: 'https://x.example', dataLayer: true })
    expect(readDataAttributes(scriptWith({ 'data-url': 'https://x.example', 'data-data-layer': 'yes' }))).toEqual({ url: 'https://x.example' })
  })

  it('choose the language with data-locale and replace text with data-strings as JSON', () => {
    const options = readDataAttributes(
      scriptWith({ 'data-url': 'https://x.example', 'data-locale': 'fr', 'data-strings': '{"title":"Assistance Acme","unread":{"one":"{count} nouveau","other":"{count} nouveaux"}}' })
    )
    expect(options).toEqual({
      url: 'https://x.example',
      locale: 'fr',
      strings: { title: 'Assistance Acme', unread: { one: '{count} nouveau', other: '{count} nouveaux' } }
    })
    expect(toWidgetOptions(options!)).toMatchObject({ locale: 'fr', strings: { title: 'Assistance Acme' } })
  })

  it('report data-strings that is not JSON, and boot without it', () => {
    const errors: unknown[] = []
    const options = readDataAttributes(scriptWith({ 'data-url': 'https://x.example', 'data-strings': '{title: "Acme"}' }), (error) => errors.push(error))
    expect(options).toEqual({ url: 'https://x.example' })
    expect(errors).toEqual([expect.objectContaining({ code: 'invalid-argument', message: expect.stringMatching(/^data-strings is not JSON: /) })])
  })

  it('ignore unknown values and a script without data-url', () => {
    expect(readDataAttributes(scriptWith({ 'data-mode': 'chat' }))).toBeUndefined()
    expect(readDataAttributes(scriptWith({ 'data-url': 'https://x.example', 'data-mode': 'nope', 'data-position': 'up' })))
      .toEqual({ url: 'https://x.example' })
  })
})

describe('the script-tag widget', () => {
  it('talks through the transport the page gave, without a url', async () => {
    const transport = createMemoryTransport()
    const widget = bootWidget({ transport, mode: 'chat' })
    try {
      expect(widget.client.transport).toBe(transport)
      expect(widget.client.mode).toBe('chat')
    } finally {
      await widget.shutdown()
    }
  })

  it('makes an HTTP transport for the url otherwise', async () => {
    const widget = bootWidget({ url: 'https://chat.example.com' })
    try {
      expect(widget.client.transport.name).toBe('http')
    } finally {
      await widget.shutdown()
    }
  })
})
