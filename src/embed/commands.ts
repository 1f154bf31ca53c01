import { createError, isConfabError } from '../errors/index.js'
import type { Unsubscribe } from '../util/emitter.js'
import type { Widget, WidgetOptions } from '../ui/widget.js'
import type { Identity } from '../client/index.js'
import { ANSWERED, isBootable, takeOver, type BootOptions, type ConfabGlobal, type Runner } from './shared.js'

export { readDataAttributes, type BootOptions, type ConfabGlobal } from './shared.js'

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
 * Make the function behind `window.Confab`. Before `boot`, commands other than `on`/`off` wait and
 * run in order once the widget exists; listeners added before `boot` are attached at boot. Those
 * that answer with a promise, made while a boot is under way, get one at once.
 */
export function createCommandRunner(deps: CommandDeps): Runner {
  let widget: Widget | undefined
  /** Made by `boot`, not yet on the page (see `later`). */
  let booting: Widget | undefined
  let waiting: [string, unknown[], ((value: unknown) => void)?][] = []
  const listeners: Listener[] = []

  const attach = (entry: Listener) => {
    entry[2] = widget?.on(entry[0] as 'message', entry[1] as (payload: unknown) => void)
  }

  const commands: Record<string, (...args: never[]) => unknown> = {
    boot(options: BootOptions) {
      if (widget || booting) return
      if (!isBootable(options)) {
        throw createError(
          'invalid-argument',
          options?.transport
            ? "Confab('boot', { transport }) needs a transport adapter with connect() and subscribe() functions"
            : "Confab('boot') needs { url: 'https://your-backend' } or { transport }"
        )
      }
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
        for (const [command, args, settle] of pending) {
          const value = run(command, args)
          settle?.(value)
        }
      })
    },
    shutdown() {
      const closing = (widget ?? booting)?.shutdown()
      widget = booting = undefined
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
      if (booting && ANSWERED.includes(command)) return new Promise((settle) => waiting.push([command, args, settle]))
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
  if (options.emojiDataUrl) widget.emojiDataUrl = options.emojiDataUrl
  return widget
}
