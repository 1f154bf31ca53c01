import type { ConversationMode, Transport } from '../transports/types.js'
import type { ClientOptions, Identity } from '../client/index.js'
import type { GifProviderConfig } from '../gifs/types.js'
import type { Strings } from '../ui/strings.js'
import type { ColorScheme, ThemeColors } from '../ui/theme.js'

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
  /** Launcher, header and the visitor's own bubbles (`data-brand-color`): `colors.brand`. Any CSS colour. */
  brandColor?: string
  /**
   * Light, dark, or as the visitor's system asks, live (`'auto'`; `data-theme="auto"`). Default
   * `'light'`.
   */
  theme?: ColorScheme
  /** Colours in every scheme (see `ThemeColors`); a value that is not a colour refuses the boot. */
  colors?: ThemeColors
  /** Colours in the dark scheme, over `colors`. */
  darkColors?: ThemeColors
  /** Which bottom corner the launcher sits in, mirrored in a right-to-left page. Default `'right'`. */
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
  /**
   * Show the unread count before the page's title, `(2) Original title`, in every tab
   * (`data-title-badge="true"`). Default `false`.
   */
  titleBadge?: boolean
  /**
   * GIF search in the composer, from Tenor or GIPHY with the site's own API key, or from the
   * backend's own GIFs (`{ provider: 'confab' }`, which asks `url`). `data-gifs="giphy"` with
   * `data-gifs-key="…"` says the same. Default none: no GIF button.
   */
  gifs?: GifProviderConfig
  /** Where the emoji picker's data comes from. Default: `confab-emoji.json` beside `confab.js`. */
  emojiDataUrl?: string
  /**
   * The language the widget speaks (`data-locale="fr"`): `en`, `es`, `fr`, `de`, `ja`, `ar` or `he`,
   * with a region or not (`fr-CA`); another falls back to the nearest it speaks (`pt-BR` to `en`).
   * Default: the visitor's browser's first language the widget speaks, else English. Change it
   * later with `Confab('setLocale', locale)`.
   */
  locale?: string
  /**
   * Text to replace, over whatever language the widget speaks (`data-strings` takes the same as
   * JSON). An override must keep the placeholders of the text it replaces; one that does not is
   * reported on the console, and the text it would replace shows.
   *
   * @example
   * Confab('boot', { url, locale: 'fr', strings: { title: 'Assistance Acme', unread: { one: '{count} nouveau', other: '{count} nouveaux' } } })
   */
  strings?: Partial<Strings>
  /**
   * Tell the backend which page the visitor is on (the URL's origin and path, the title, the
   * referrer's origin; never a query or a fragment) as each session starts and with every
   * `Confab('update')`. Default `true`.
   */
  pageContext?: boolean
  /**
   * Push every event of the integration stream to Google Tag Manager's `window.dataLayer`, as
   * `{ event: 'confab.message.received', confab: event }` (`data-data-layer="true"`). Default `false`.
   */
  dataLayer?: boolean
  /** The integration stream (`Confab('on', 'message:received', fn)`): `includeText` puts messages' words in its events. */
  events?: ClientOptions['events']
  /** Change or cancel one of the visitor's messages before it shows (see the client's `beforeSend`). */
  beforeSend?: ClientOptions['beforeSend']
  /** Change or hide a message from an agent, bot or the system before it shows (see the client's `beforeDisplay`). */
  beforeDisplay?: ClientOptions['beforeDisplay']
  /** Handle a `host` action (a "Buy" button) on the page (see the client's `onAction`). */
  onAction?: ClientOptions['onAction']
  /** How long each hook may take, in ms. Default 3000. */
  hookTimeout?: number
}

/** What runs a `Confab(command, ...args)` call. */
export type Runner = (command: string, ...args: unknown[]) => unknown

/**
 * A call the snippet's stub queued before the bundle loaded: `[arguments, settle]`, `settle` resolving
 * the promise the stub answered with; or, from the older snippet that answered nothing, `arguments` alone.
 */
export type QueuedCall = ArrayLike<unknown> | [args: ArrayLike<unknown>, settle: (value: unknown) => void]

/** The global function: `Confab(command, ...args)`. */
export interface ConfabGlobal {
  (command: string, ...args: unknown[]): unknown
  /** Calls the snippet queued before the bundle loaded. */
  q?: QueuedCall[]
  /** Set once the bundle has taken over, so a second copy does not install twice. */
  loaded?: true
}

/**
 * Whether `options` can boot a widget: a transport adapter with `connect` and `subscribe`, or a
 * `url`. (What is wrong with them is said by the command runner, which carries the error family.)
 */
export const isBootable = (options: BootOptions | undefined): boolean => {
  const transport = options?.transport
  return transport ? typeof transport.connect === 'function' && typeof transport.subscribe === 'function' : typeof options?.url === 'string' && !!options.url
}

/** Marks boot options read from a script element's `data-*` attributes: strings, as written. */
export const FROM_DATA = Symbol.for('confab.data')

/**
 * The script element's `data-*` attributes as they are written (strings), when it has `data-url`:
 * what the loader needs of them (url, mode, site, position, colour, theme, z-index) reads the same either
 * way; the rest of the widget makes them boot options (see `fromData` in `commands.ts`), so the
 * loader every page runs carries no parsing of options only the core uses.
 */
export function rawDataAttributes(script: HTMLOrSVGScriptElement | null | undefined): BootOptions | undefined {
  const data = (script as HTMLElement | null | undefined)?.dataset
  return data?.url ? ({ ...data, [FROM_DATA]: true } as BootOptions) : undefined
}

/**
 * Make `run` the page's `Confab`: replay the calls the snippet queued, in order, settling the
 * promises its stub answered them with, then take calls as they come. When the script element carries `data-url` and the queue has no `boot`, boot from the
 * attributes first. A second copy of the script finds the first in place and leaves it.
 *
 * @example
 * takeOver(window, createCommandRunner({ createWidget }), document.currentScript)
 */
export function takeOver(target: { Confab?: ConfabGlobal }, run: Runner, script?: HTMLOrSVGScriptElement | null): ConfabGlobal {
  const previous = target.Confab
  if (previous?.loaded) return previous
  const queued = Array.from(previous?.q ?? [], (call) => (Array.isArray(call) ? [Array.from(call[0]), call[1]] : [Array.from(call)]) as [unknown[], ((value: unknown) => void)?])
  const global: ConfabGlobal = Object.assign(run, { loaded: true as const })
  target.Confab = global
  const fromAttributes = rawDataAttributes(script)
  if (fromAttributes && !queued.some(([[command]]) => command === 'boot')) run('boot', fromAttributes)
  for (const [[command, ...args], settle] of queued) {
    const answer = run(String(command), ...args)
    settle?.(answer)
  }
  return global
}
