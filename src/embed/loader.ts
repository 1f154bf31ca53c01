import { personDatabase } from '../cache/partition.js'
import { IDLE } from '../ui/idle.js'
import { drawLauncher } from '../ui/launcher.js'
import { hostLook, mount } from '../ui/mount.js'
import { defaultStrings } from '../ui/strings.js'
import { busyCss, launcherCss } from '../ui/styles.js'
import type { Drawn } from '../ui/widget.js'
import { nextTask } from '../util/tasks.js'
import { isBootable, type BootOptions, type Runner } from './shared.js'

/** Starts the rest of the widget (`confab-core.js`) on what the loader drew; returns its command runner. */
export type StartCore = (drawn: Drawn | undefined) => Runner

/** What the loader needs from the outside, injectable for tests. */
export interface LoaderDeps {
  /** Load the rest of the widget. A rejection is forgotten: the next reason to load tries again. */
  loadCore(): Promise<StartCore>
  /**
   * Fetch the pane's code alongside the core's, for a visitor who reaches for the launcher before
   * the core is in (the pane's code can only run after it), and return something: it runs once.
   */
  preload?(): unknown
  /**
   * Run `load` once the browser is idle. Default: `requestIdleCallback` waiting at most
   * {@link IDLE} ms, or that long where there is none (Safari).
   */
  idle?(load: () => void): void
  /** Where the device keeps what cannot wait for an idle moment. Default `localStorage`. */
  storage?: Pick<Storage, 'getItem' | 'key' | 'length'>
}

/** Commands that do something only the core can do: they load it at once. */
const URGENT = ['open', 'toggle', 'send', 'identify', 'endChat', 'shutdown']
/** Every command; another is misuse, which only the core has the words to report. */
const KNOWN = [...URGENT, 'boot', 'on', 'off', 'close', 'show', 'hide']
/** The visitor is about to use the launcher. */
const REACH = ['pointerenter', 'pointerdown', 'focus', 'keydown']

const defaultIdle = (load: () => void) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: IDLE })
  else setTimeout(load, IDLE)
}

/**
 * Whether this device holds something that needs the core now: an unsent message in the outbox's
 * journal (`cache/journal.ts` keeps it in `confab:outbox:<database>:<id>`), or in chat mode the data
 * of a live chat session (the client's `confab:<site>:person`, kept until the chat ends).
 */
export function needsCoreNow(options: BootOptions, storage?: LoaderDeps['storage']): boolean {
  const site = options.site ?? 'default'
  const journal = `confab:outbox:${personDatabase(site, '')}`
  try {
    // Reading `localStorage` itself throws where storage is blocked.
    const store = storage ?? localStorage
    if (options.mode === 'chat' && store.getItem(`confab:${site}:person`)) return true
    for (let i = 0; i < store.length; i++) if (store.key(i)?.startsWith(journal)) return true
  } catch {
    // No storage, or storage that throws (blocked): nothing there to wait for.
  }
  return false
}

/**
 * The script tag's `Confab(...)` before the rest of the widget has loaded: `boot` draws the launcher
 * (plain DOM, in its own shadow root) and every call waits in order for the core, which loads when
 * the browser is idle, or at once when the visitor reaches for the launcher, when a command needs
 * it (`open`, `send` …), or when the device holds an unsent message or a live chat session. Calls
 * the core answers with a promise get one at once. A click on the launcher meanwhile shows it busy
 * and opens the pane once the core is there. Then every call goes straight to the core.
 *
 * @example
 * takeOver(window, createLoader({ loadCore: () => loadScript(url, nonce, 'ConfabCore').then(…) }), script)
 */
export function createLoader(deps: LoaderDeps): Runner {
  let core: Runner | undefined
  let loading: Promise<void> | undefined
  let queue: [command: string, args: unknown[], settle: (value: unknown) => void][] = []
  let drawn: Drawn | undefined
  let booted = false
  /** Whether a command that needs the core came before `boot`: it loads at boot then. */
  let urgent = false
  /** Whether the visitor or the page asked for the pane meanwhile (the launcher shows busy). */
  let wantOpen = false
  let hidden = false
  /** What `preload` returned, once it ran. */
  let preloaded: unknown

  const shown = (hide: boolean) => {
    hidden = hide
    drawn?.launcher.set({ hidden })
  }

  const busy = (open: boolean) => {
    wantOpen = open
    drawn?.launcher.set({ busy: open })
  }

  // The core starts in the task its script loaded in, then runs the calls that waited one task each
  // (booting is the biggest), so the page's main thread is never held long. Calls made meanwhile
  // wait their turn behind them.
  const start = (startCore: StartCore) => {
    core = startCore(drawn)
    drawn = undefined
    const next = () => {
      const [command, args, settle] = queue.shift()!
      const value = core!(command, ...args)
      settle(value)
      if (queue.length) nextTask(next)
    }
    if (queue.length) nextTask(next)
  }

  const load = () => {
    loading ??= deps.loadCore().then(start, () => {
      loading = undefined
      // Opening was asked of a widget that could not come: a later load must not open it by surprise.
      queue = queue.filter(([command]) => command !== 'open' && command !== 'toggle')
      busy(false)
    })
  }

  const draw = (options: BootOptions) => {
    const body = document.body
    // Without a body the core says why it cannot mount.
    if (!body) return load()
    const { vars, attributes } = hostLook({ ...options, colorScheme: options.theme })
    const where = mount(body, launcherCss + busyCss, vars, attributes)
    const launcher = drawLauncher(where.root, where.app, defaultStrings.launcher)
    launcher.set({ hidden })
    const { button } = launcher
    const mine: Drawn = (drawn = { ...where, launcher })
    // Until the core's widget has taken the launcher over, a click waits in line with the calls.
    button.addEventListener('click', () => mine.taken || run('toggle'))
    // Reaching loads the core, and the pane's code beside it, once (a click comes after these).
    for (const name of REACH) button.addEventListener(name, () => core || (load(), (preloaded ??= deps.preload?.())))
  }

  const loader: Record<string, (...args: unknown[]) => unknown> = {
    boot(options) {
      if (!isBootable(options as BootOptions)) return load()
      if (booted) return
      booted = true
      draw(options as BootOptions)
      if (urgent) load()
      else {
        const idle = deps.idle ?? defaultIdle
        idle(load)
        // Reading storage can wait on the browser's own process: not in the task that draws the launcher.
        nextTask(() => needsCoreNow(options as BootOptions, deps.storage) && load())
      }
    },
    shutdown() {
      booted = false
      drawn?.host.remove()
      drawn = undefined
    },
    show: () => shown(false),
    hide: () => shown(true),
    open: () => busy(true),
    close: () => busy(false),
    toggle: () => busy(!wantOpen)
  }

  function run(command: string, ...args: unknown[]): unknown {
    if (core && !queue.length) return core(command, ...args)
    const live = booted
    const known = KNOWN.includes(command)
    // Once the core has started, what the loader drew is its own: calls only wait their turn.
    if (!core && known) loader[command]?.(...args)
    // Answered as the core answers it (see `createCommandRunner`), once it has run it.
    const answer = new Promise((settle) => queue.push([command, args, settle]))
    // No unhandled rejection on the page: the core reports misuse itself.
    answer.catch(() => undefined)
    if (!core && (!known || URGENT.includes(command))) {
      if (live) load()
      else urgent = true
    }
    return command === 'on' ? () => run('off', ...args) : answer
  }

  return run
}
