import { createError, isConfabError } from '../errors/index.js'
import type { Unsubscribe } from '../util/emitter.js'
import type { Widget, WidgetOptions } from '../ui/widget.js'
import type { ConversationMode, Transport } from '../transports/types.js'
import type { Identity } from '../client/index.js'

/**
 * What `Confab('boot', options)` takes: plain data a site owner can write in a script tag or as
 * `data-*` attributes, or a ready transport adapter for a backend that does not speak Confab's HTTP
 * protocol.
 *
 * @example
 * Confab('boot', { url: 'https://chat.example.com', mode: 'messaging', brandColor: '#0a7' })
 * // Another backend, through an adapter loaded by its own script tag:
 * Confab('boot', { transport: ConfabXmpp.createXmppTransport({ url: 'wss://chat.example.com/xmpp-websocket', domain: 'example.com' }) })
 */
export interface BootOptions {
  /** Base URL of the backend that speaks Confab's HTTP protocol. Required unless `transport` is given. */
  url?: string
  /**
   * A ready transport adapter (an object with at least `connect` and `subscribe` functions, see
   * `Transport`): the widget talks through it instead of making an HTTP transport, and `url` is
   * then not needed.
   */
  transport?: Transport
  mode?: ConversationMode
  /** Names this site's data on the device. */
  site?: string
  brandColor?: string
  position?: 'right' | 'left'
  zIndex?: number
  /** The signed-in user, on every page of a signed-in user (see `Confab('identify')`). */
  identity?: Identity
  /** Chat mode: minutes of inactivity after which the session ends. Default 30. */
  chatTimeoutMinutes?: number
  /**
   * A soft sound when an agent's message arrives while the pane is closed or the page hidden
   * (`data-sound="false"` turns it off). Default `true`.
   */
  sound?: boolean
}

/** The global function: `Confab(command, ...args)`. */
export interface ConfabGlobal {
  (command: string, ...args: unknown[]): unknown
  /** Calls the snippet queued before the bundle loaded. */
  q?: ArrayLike<unknown>[]
  /** Set once the bundle has taken over, so a second copy does not install twice. */
  loaded?: true
}

/** What the command runner needs from the outside, injectable for tests. */
export interface CommandDeps {
  /** Build a widget from boot options (the entry wires the HTTP transport and the UI). */
  createWidget(options: BootOptions): Widget
  /** Where misuse is reported. Default `console.error`. */
  report?(error: unknown): void
}

type Listener = [name: string, fn: (payload: never) => void, off?: Unsubscribe]

/**
 * Make the function behind `window.Confab`. Before `boot`, commands other than `on`/`off` wait and
 * run in order once the widget exists; listeners added before `boot` are attached at boot.
 */
export function createCommandRunner(deps: CommandDeps): (command: string, ...args: unknown[]) => unknown {
  let widget: Widget | undefined
  let waiting: [string, unknown[]][] = []
  const listeners: Listener[] = []

  const attach = (entry: Listener) => {
    entry[2] = widget?.on(entry[0] as 'message', entry[1] as (payload: unknown) => void)
  }

  const commands: Record<string, (...args: never[]) => unknown> = {
    boot(options: BootOptions) {
      if (widget) return
      const transport = options?.transport
      if (transport ? typeof transport.connect !== 'function' || typeof transport.subscribe !== 'function' : typeof options?.url !== 'string' || !options.url) {
        throw createError(
          'invalid-argument',
          transport
            ? "Confab('boot', { transport }) needs a transport adapter with connect() and subscribe() functions"
            : "Confab('boot') needs { url: 'https://your-backend' } or { transport }"
        )
      }
      widget = deps.createWidget(options)
      listeners.forEach(attach)
      widget.boot()
      const pending = waiting
      waiting = []
      for (const [command, args] of pending) run(command, args)
    },
    shutdown() {
      const closing = widget?.shutdown()
      widget = undefined
      waiting = []
      return closing
    },
    on(name: string, fn: (payload: never) => void) {
      if (typeof fn !== 'function') throw createError('invalid-argument', `Confab('on', '${name}', fn) needs a function`)
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
    endChat: () => widget!.client.endChat()
  }

  function run(command: string, args: unknown[]): unknown {
    const handler = commands[command]
    if (!handler) throw createError('invalid-argument', `Unknown Confab command '${command}'`)
    if (!widget && command !== 'boot' && command !== 'on' && command !== 'off' && command !== 'shutdown') {
      waiting.push([command, args])
      return undefined
    }
    return (handler as (...a: unknown[]) => unknown)(...args)
  }

  return (command, ...args) => {
    try {
      return run(command, args)
    } catch (error) {
      ;(deps.report ?? console.error)(isConfabError(error) ? error : createError('invalid-argument', String(error), { cause: error }))
      return undefined
    }
  }
}

/** Read boot options from a script element's `data-*` attributes (`data-url` is required). */
export function readDataAttributes(script: HTMLOrSVGScriptElement | null | undefined): BootOptions | undefined {
  const data = (script as HTMLElement | null | undefined)?.dataset
  if (!data?.url) return undefined
  const options: BootOptions = { url: data.url }
  if (data.mode === 'chat' || data.mode === 'messaging') options.mode = data.mode
  if (data.site) options.site = data.site
  if (data.brandColor) options.brandColor = data.brandColor
  if (data.position === 'left' || data.position === 'right') options.position = data.position
  if (data.zIndex && !Number.isNaN(Number(data.zIndex))) options.zIndex = Number(data.zIndex)
  if (data.sound === 'false') options.sound = false
  return options
}

/**
 * Take over `target.Confab`: replay the queued calls in order, then run calls as they come. When the
 * script element carries `data-url` and the queue has no `boot`, boot from the attributes.
 */
export function installGlobal(
  target: { Confab?: ConfabGlobal },
  deps: CommandDeps,
  script?: HTMLOrSVGScriptElement | null
): ConfabGlobal | undefined {
  const previous = target.Confab
  if (previous?.loaded) return previous
  const runner = createCommandRunner(deps)
  const queued = Array.from(previous?.q ?? [], (args) => Array.from(args))
  const global: ConfabGlobal = Object.assign(runner, { loaded: true as const })
  target.Confab = global
  const fromAttributes = readDataAttributes(script)
  if (fromAttributes && !queued.some(([command]) => command === 'boot')) runner('boot', fromAttributes)
  for (const [command, ...args] of queued) runner(String(command), ...args)
  return global
}

/** Map boot options to widget options. */
export function toWidgetOptions(options: BootOptions): Omit<WidgetOptions, 'transport' | 'client'> {
  const theme: NonNullable<WidgetOptions['theme']> = {}
  if (options.brandColor) theme.brandColor = options.brandColor
  if (options.position) theme.position = options.position
  if (options.zIndex !== undefined) theme.zIndex = options.zIndex
  const widget: Omit<WidgetOptions, 'transport' | 'client'> = { mode: options.mode ?? 'messaging', site: options.site ?? 'default', theme }
  if (options.identity) widget.identity = options.identity
  if (options.chatTimeoutMinutes !== undefined) widget.chatTimeoutMinutes = options.chatTimeoutMinutes
  if (options.sound === false) widget.sound = false
  return widget
}
