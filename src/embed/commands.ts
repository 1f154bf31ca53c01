import { createError, isConfabError } from '../errors/index.js'
import type { Unsubscribe } from '../util/emitter.js'
import type { Widget, WidgetOptions } from '../ui/widget.js'
import type { Identity } from '../client/index.js'
import { configuredGifs } from '../ui/gifs/configured.js'
import { checkTheme } from '../ui/theme.js'
import type { JsonValue, VisitorAttributeChanges } from '../transports/types.js'
import { FROM_DATA, isBootable, rawDataAttributes, takeOver, type BootOptions, type ConfabGlobal, type Runner } from './shared.js'

export type { BootOptions, ConfabGlobal } from './shared.js'

/** What the command runner needs from the outside, injectable for tests. */
export interface CommandDeps {
  /** Build a widget from boot options (the entry wires the HTTP transport and the UI). */
  createWidget(options: BootOptions): Widget
  /** Where misuse is reported. Default `console.error`. */
  report?(error: unknown): void
  /**
   * Run `step` in a later task: booting yields there, between making the widget and putting it on
   * the page, so that neither holds the page's main thread long. Default: at once.
   */
  later?(step: () => void): void
}

type Listener = [name: string, fn: (payload: never) => void, off?: Unsubscribe]

/**
 * The arguments of each command, `name:type` (`?` after the type: optional), for checking a call and
 * for the error that names what was expected. `object` is a plain object (not null, not an array).
 */
export const SIGNATURES: Record<string, readonly string[]> = {
  boot: ['options:object'],
  shutdown: [],
  open: [],
  close: [],
  toggle: [],
  show: [],
  hide: [],
  send: ['text:string'],
  identify: ['identity:object'],
  endChat: [],
  on: ['event:string', 'listener:function'],
  off: ['event:string', 'listener:function'],
  getVisitorId: [],
  getUnreadCount: [],
  setLocale: ['locale:string'],
  update: ['attributes:object?'],
  trackEvent: ['name:string', 'metadata:object?'],
  showNewMessage: ['text:string?']
}

/** `Confab('send', text)`: how a command is called, for errors. */
const usage = (command: string) => `Confab(${[`'${command}'`, ...SIGNATURES[command]!.map((arg) => arg.split(':')[0])].join(', ')})`

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

/** Throw a `ConfabError` naming the command and what it takes when `args` do not fit its signature. */
function check(command: string, args: readonly unknown[]): void {
  const signature = SIGNATURES[command]
  if (!signature) {
    throw createError('invalid-argument', `Unknown Confab command '${command}': use one of ${Object.keys(SIGNATURES).join(', ')}`)
  }
  signature.forEach((arg, i) => {
    const [name, type] = arg.split(':') as [string, string]
    const optional = type.endsWith('?')
    const wanted = optional ? type.slice(0, -1) : type
    const value = args[i]
    if ((value === undefined && optional) || typeOf(value) === wanted) return
    const article = /^[aeiou]/.test(wanted) ? 'an' : 'a'
    throw createError('invalid-argument', `${usage(command)}: ${name} must be ${article} ${wanted}, not ${typeOf(value)}`)
  })
}

/**
 * A page that does not look at an answer gets no unhandled rejection (which error trackers on the
 * page would catch as the page's own): misuse is reported once instead, and failures are the
 * answer's to tell.
 */
const handled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => undefined)
  return promise
}

/** Commands that work while no widget runs: the ones that start it, listen, or stop it. */
const ANYTIME = ['boot', 'on', 'off', 'shutdown']

/**
 * Make the function behind `window.Confab`. Every call answers with a promise of the command's
 * result (`on` with its unsubscribe function), settled once the command ran: before `boot`,
 * commands other than `on`/`off` wait and run in order once the widget exists; listeners added
 * before `boot` are attached at boot. A call that cannot run (an unknown command, arguments of the
 * wrong type, a call after `shutdown` before a new `boot`) rejects with a `ConfabError` that names
 * the command and its arguments, reported once as well; nothing ever throws into the page.
 */
export function createCommandRunner(deps: CommandDeps): Runner {
  let widget: Widget | undefined
  /** Made by `boot`, not yet on the page (see `later`). */
  let booting: Widget | undefined
  /** Shut down and not booted again: calls are refused rather than kept for a boot that may not come. */
  let ended = false
  let waiting: [string, unknown[], (value: unknown) => void][] = []
  const listeners: Listener[] = []

  // Names with a colon, and `*`, are the integration stream's (`message:received`); the others the client's own events.
  const attach = (entry: Listener) => {
    const [name, fn] = entry
    entry[2] = widget && (name === '*' || name.includes(':') ? widget.client.events.on(name as '*', fn as never) : widget.on(name as 'message', fn as never))
  }

  const commands: Record<string, (...args: never[]) => unknown> = {
    boot(given: BootOptions) {
      if (widget || booting) return
      const options = given?.[FROM_DATA as never] ? fromData(given as unknown as Record<string, string>, deps.report ?? console.error) : given
      if (!isBootable(options)) {
        throw createError(
          'invalid-argument',
          options?.transport
            ? "Confab('boot', { transport }) needs a transport adapter with connect() and subscribe() functions"
            : "Confab('boot') needs { url: 'https://your-backend' } or { transport }"
        )
      }
      ended = false
      const made = (booting = deps.createWidget(options))
      ;(deps.later ?? ((step) => step()))(() => {
        // Shut down meanwhile.
        if (booting !== made) return
        booting = undefined
        widget = made
        listeners.forEach(attach)
        made.boot()
        const pending = waiting
        waiting = []
        for (const [command, args, settle] of pending) settle(answer(command, args))
      })
    },
    shutdown() {
      const live = widget ?? booting
      const closing = live?.shutdown()
      if (live) ended = true
      widget = booting = undefined
      const dropped = waiting
      waiting = []
      for (const [command, , settle] of dropped) {
        settle(refuse(createError('closed', `${usage(command)} was waiting for the widget when Confab('shutdown') came`)))
      }
      return closing
    },
    on(name: string, fn: (payload: never) => void) {
      const entry: Listener = [name, fn]
      listeners.push(entry)
      attach(entry)
      return () => commands.off!(name as never, fn as never)
    },
    off(name: string, fn: (payload: never) => void) {
      const index = listeners.findIndex(([n, f]) => n === name && f === fn)
      if (index === -1) return
      listeners[index]![2]?.()
      listeners.splice(index, 1)
    },
    open: () => widget!.open(),
    close: () => widget!.close(),
    toggle: () => widget!.toggle(),
    show: () => widget!.show(),
    hide: () => widget!.hide(),
    send: (text: string) => widget!.send(text),
    identify: (identity: Identity) => widget!.client.identify(identity),
    endChat: () => widget!.client.endChat(),
    getVisitorId() {
      const { $session } = widget!.client
      // Known once the session has started: until then, the answer waits for it.
      return new Promise<string>((resolve) => {
        const stop = $session.subscribe((session) => {
          if (!session) return
          resolve(session.visitorId)
          queueMicrotask(() => stop())
        })
      })
    },
    getUnreadCount: () => widget!.client.$unreadTotal.get(),
    update: (attributes?: VisitorAttributeChanges) => misuse(widget!.client.update(attributes)),
    trackEvent: (name: string, metadata?: Record<string, JsonValue>) => misuse(widget!.client.trackEvent(name, metadata)),
    showNewMessage: (text?: string) => widget!.client.compose(text),
    setLocale: (locale: string) => widget!.setLocale(locale)
  }

  /** Run a command now, or keep it for the widget a boot is making (or will make). */
  function run(command: string, args: unknown[]): unknown {
    check(command, args)
    if (widget || ANYTIME.includes(command)) return (commands[command] as (...a: unknown[]) => unknown)(...args)
    if (ended) throw createError('closed', `${usage(command)} came after Confab('shutdown'): call Confab('boot', options) first`)
    return new Promise((settle) => waiting.push([command, args, settle]))
  }

  /**
   * A command's answer, its refusal for arguments the client's rules refuse (an attribute's value
   * too long, a bad event name) reported once as the runner's own are.
   */
  function misuse<T>(answer: Promise<T>): Promise<T> {
    return answer.catch((caught: unknown) => (isConfabError(caught) && caught.code === 'invalid-argument' ? refuse(caught) : Promise.reject(caught)))
  }

  /** A misuse: reported once, and the answer of the call. */
  function refuse(caught: unknown): Promise<never> {
    const error = isConfabError(caught) ? caught : createError('invalid-argument', String(caught), { cause: caught })
    ;(deps.report ?? console.error)(error)
    return handled(Promise.reject(error))
  }

  /** A command's result as a promise. */
  function answer(command: string, args: unknown[]): Promise<unknown> {
    try {
      return handled(Promise.resolve(run(command, args)))
    } catch (caught) {
      return refuse(caught)
    }
  }

  return (command, ...args) => {
    const answered = answer(command, args)
    if (command !== 'on') return answered
    // The unsubscribe function, at once: `on` never waits, and one that was refused has nothing to undo.
    return typeof args[0] === 'string' && typeof args[1] === 'function' ? () => answer('off', args) : () => undefined
  }
}

/**
 * Take over `target.Confab` with the whole widget at hand, no loader in between (see
 * {@link takeOver}): for a page that bundles the widget itself, and for tests.
 */
export function installGlobal(
  target: { Confab?: ConfabGlobal },
  deps: CommandDeps,
  script?: HTMLOrSVGScriptElement | null
): ConfabGlobal {
  return takeOver(target, createCommandRunner(deps), script)
}

/** Map boot options to widget options; a theme the widget cannot show is refused (see `checkTheme`). */
export function toWidgetOptions(options: BootOptions): Omit<WidgetOptions, 'transport' | 'client'> {
  const theme: NonNullable<WidgetOptions['theme']> = {}
  if (options.brandColor) theme.brandColor = options.brandColor
  if (options.theme) theme.colorScheme = options.theme
  if (options.colors) theme.colors = options.colors
  if (options.darkColors) theme.darkColors = options.darkColors
  if (options.position) theme.position = options.position
  if (options.zIndex !== undefined) theme.zIndex = options.zIndex
  checkTheme(theme, "Confab('boot', options)", '', 'theme')
  const widget: Omit<WidgetOptions, 'transport' | 'client'> = { mode: options.mode ?? 'messaging', site: options.site ?? 'default', theme }
  if (options.identity) widget.identity = options.identity
  if (options.chatTimeoutMinutes !== undefined) widget.chatTimeoutMinutes = options.chatTimeoutMinutes
  if (options.sound === false) widget.sound = false
  if (options.titleBadge === true) widget.titleBadge = true
  if (options.gifs) widget.gifs = configuredGifs(options.gifs, options.url)
  if (options.emojiDataUrl) widget.emojiDataUrl = options.emojiDataUrl
  if (options.locale) widget.locale = options.locale
  if (options.strings) widget.strings = options.strings
  if (options.pageContext === false) widget.page = null
  // The hooks and the event stream's options go to the client as they are.
  for (const key of ['events', 'dataLayer', 'beforeSend', 'beforeDisplay', 'onAction', 'hookTimeout'] as const) {
    if (options[key] !== undefined) (widget as Record<string, unknown>)[key] = options[key]
  }
  return widget
}

/**
 * Boot options from `data-*` attributes as written (see `rawDataAttributes`); unknown values are left
 * out, and `data-strings` that is not JSON is reported (the widget checks the texts in it).
 */
function fromData(data: Record<string, string | undefined>, report: (error: unknown) => void): BootOptions {
  const options: BootOptions = { url: data.url! }
  if (data.mode === 'chat' || data.mode === 'messaging') options.mode = data.mode
  if (data.site) options.site = data.site
  if (data.brandColor) options.brandColor = data.brandColor
  if (data.position === 'left' || data.position === 'right') options.position = data.position
  if (data.theme === 'light' || data.theme === 'dark' || data.theme === 'auto') options.theme = data.theme
  if (data.zIndex && !Number.isNaN(Number(data.zIndex))) options.zIndex = Number(data.zIndex)
  if (data.sound === 'false') options.sound = false
  if (data.titleBadge === 'true') options.titleBadge = true
  if (data.dataLayer === 'true') options.dataLayer = true
  if (data.gifs === 'tenor' || data.gifs === 'giphy' || data.gifs === 'confab') {
    options.gifs = data.gifsKey ? { provider: data.gifs, key: data.gifsKey } : { provider: data.gifs }
  }
  if (data.locale) options.locale = data.locale
  if (data.strings) {
    try {
      options.strings = JSON.parse(data.strings)
    } catch (cause) {
      // The widget boots all the same, in its own words.
      report(createError('invalid-argument', `data-strings is not JSON: ${(cause as Error).message}`, { cause }))
    }
  }
  return options
}

/** Read boot options from a script element's `data-*` attributes (`data-url` is required). */
export function readDataAttributes(script: HTMLOrSVGScriptElement | null | undefined, report: (error: unknown) => void = console.error): BootOptions | undefined {
  const raw = rawDataAttributes(script)
  return raw && fromData(raw as unknown as Record<string, string>, report)
}
