import { h, render } from 'preact'
import { createClient, forwardToDataLayer, type Client, type ClientEvents, type ClientOptions } from '../client/index.js'
import type { ChatMessage } from '../store/index.js'
import { createError } from '../errors/index.js'
import type { GifProviderSource } from '../gifs/types.js'
import { nextTask } from '../util/tasks.js'
import type { Unsubscribe } from '../util/emitter.js'
import { App } from './components/app.js'
import type { WidgetProps } from './components/props.js'
import { createEmojiSource } from './emoji/source.js'
import { drawLauncher, type Launcher } from './launcher.js'
import { createLocale } from './locale.js'
import { hostLook, mount, type Mounted } from './mount.js'
import { loadPane } from './pane/load.js'
import { adopt } from './sheet.js'
import { checkStrings, type Strings } from './strings.js'
import { checkTheme, type ColorScheme, type ThemeColors } from './theme.js'
import { frameCss, launcherCss } from './styles.js'
import { badgeTitle } from './title-badge.js'

export type { Counted, Plural, Strings } from './strings.js'
export type { ColorScheme, ThemeColors } from './theme.js'

/**
 * The widget's look: its colour scheme and colours (see `ThemeColors`), where the launcher sits,
 * its stacking order. The page's CSS may set the same custom properties on `[data-confab]`
 * (`--confab-brand`, `--confab-dark-surface`, `--confab-font`, `--confab-radius`, `--confab-z` …).
 *
 * @example
 * { colorScheme: 'auto', brandColor: '#0a7d4f', position: 'left' }
 * { colors: { brand: '#0a7d4f' }, darkColors: { accent: '#6fd3a6' } }
 */
export interface WidgetTheme {
  /** Light, dark, or as the visitor's system asks, live (`'auto'`). Default `'light'`. */
  colorScheme?: ColorScheme
  /** Launcher, header and the visitor's own bubbles: `colors.brand` (which wins when both are given). Any CSS colour. */
  brandColor?: string
  /** Colours in every scheme. */
  colors?: ThemeColors
  /** Colours in the dark scheme, over `colors`. */
  darkColors?: ThemeColors
  /**
   * Which bottom corner the launcher sits in. Default `'right'`. In a right-to-left page the
   * corners mirror: `'right'` is the end of the line, wherever that is, and `'left'` its start.
   */
  position?: 'right' | 'left'
  /** Stacking order of the launcher and pane. Default `2147483000`. */
  zIndex?: number
}

/**
 * Options of {@link createWidget}: an existing `client`, or the options to make one
 * (`transport` is then required, see {@link ClientOptions}), plus where and how to show it.
 *
 * @example
 * createWidget({ transport: createHttpTransport({ url }), mode: 'chat', theme: { brandColor: '#e11d48' } })
 * createWidget({ client, strings: { title: 'Acme' } })
 */
export interface WidgetOptions extends Partial<ClientOptions> {
  /** A client made with `createClient`; when given, the client options are ignored. */
  client?: Client
  /** Where the widget's host element goes. Default `document.body`. */
  target?: HTMLElement
  theme?: WidgetTheme
  /**
   * The language the widget speaks, as a BCP 47 tag: `'fr'`, `'fr-CA'` (French words, Canada's dates).
   * It speaks English (`en`), Spanish (`es`), French (`fr`), German (`de`), Japanese (`ja`), Arabic
   * (`ar`) and Hebrew (`he`), Arabic and Hebrew right to left; another tag falls back to the nearest
   * it speaks (`fr-CA` to `fr`, `pt-BR` to `en`). Default: the visitor's first language the widget
   * speaks (see `languages`), else English. Change it later with `widget.setLocale`.
   */
  locale?: string
  /** The visitor's languages, best first, for when `locale` is not given. Default: the browser's `navigator.languages`. */
  languages?: readonly string[]
  /**
   * Text to replace, in whatever language the widget speaks: the rest is the language's own. An
   * override must keep the placeholders of the text it replaces (`typing` takes `{name}`): one that
   * does not is reported on the console, and the text it would replace shows.
   */
  strings?: Partial<Strings>
  /** The document to mount in (an iframe's, a test's). Default: the global `document`. */
  document?: Document
  /**
   * Play a short, soft sound when a message from an agent or bot arrives while the pane is closed or
   * the page is hidden. Only the leading tab of the site plays it (`client.$leader`), so a visitor
   * with five tabs open hears it once. Default `true`.
   */
  sound?: boolean
  /** The WebAudio constructor the sound is made with. Default: the page's `AudioContext`. */
  AudioContext?: new () => AudioContext
  /**
   * Show the unread count before the page's title, `(2) Original title`, the same in every tab, and
   * give the title back exactly once the visitor has read them. Default `false`.
   */
  titleBadge?: boolean
  /**
   * GIF search in the composer: a provider from `confab/gifs` (`createTenorProvider`,
   * `createGiphyProvider`, `createConfabGifProvider`) or your own `GifProvider`, or a function that
   * makes one on first use. A picked GIF is sent as an image part. Without it, or when the
   * transport carries no images, there is no GIF button. Default none.
   *
   * @example
   * createWidget({ transport, gifs: createGiphyProvider({ key: 'YOUR_GIPHY_KEY' }) })
   */
  gifs?: GifProviderSource
  /**
   * Where the emoji picker's data is fetched from, on first use. Default: `confab-emoji.json` of the
   * package, through your bundler (npm), or from beside `confab.js` (script tag). Host the file
   * yourself (same-origin, or with CORS) to serve it from elsewhere.
   */
  emojiDataUrl?: string
  /**
   * Push every event of `client.events` to Google Tag Manager's `window.dataLayer`, as
   * `{ event: 'confab.message.received', confab: event }` (see `forwardToDataLayer`). Default `false`.
   */
  dataLayer?: boolean
}

/**
 * What the script tag's loader has already put on the page: the host element with its shadow root
 * and the launcher. A widget given it takes it over instead of drawing its own, so the launcher the
 * visitor may already be pressing stays the same element.
 */
export interface Drawn extends Mounted {
  launcher: Launcher
  /** Set by the widget that takes it over: from then on, the widget answers the launcher's clicks. */
  taken?: true
}

/**
 * The ready-made widget: a launcher and a chat pane in a shadow root. Its methods are the
 * script-tag commands.
 */
export interface Widget {
  /** The headless client under the widget; read its stores or call its actions directly. */
  readonly client: Client
  /**
   * Put the widget on the page and connect. Calling it again does nothing.
   * Throws a `ConfabError` with code `'unsupported'` where there is no DOM (server rendering).
   */
  boot(): void
  /**
   * Disconnect, forget the visitor on this device (in every tab) and take the widget off the page.
   * Resolves once their stored data is deleted.
   */
  shutdown(): Promise<void>
  /**
   * Open the pane. Its code loads apart from the widget's, when the browser is idle after boot or
   * when the visitor reaches for the launcher; opened before it has arrived, the pane shows a
   * loading state until it has (and Retry, should loading fail).
   */
  open(): void
  /** Close the pane. */
  close(): void
  /** Open the pane if closed, close it if open. */
  toggle(): void
  /** Show the launcher button. */
  show(): void
  /** Hide the launcher button (the pane can still be opened with `open()`). */
  hide(): void
  /** Send a message as the visitor, as if typed into the composer. */
  send(text: string): Promise<ChatMessage>
  /** Listen to a client event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(name: K, listener: (payload: ClientEvents[K]) => void): Unsubscribe
  /** Stop listening. */
  off<K extends keyof ClientEvents>(name: K, listener: (payload: ClientEvents[K]) => void): void
  /**
   * Speak another language (see `WidgetOptions.locale`), the open pane included. Resolves once its
   * text shows, or at once when the pane's code has not loaded yet: the text then comes with it.
   * Rejects when the language's file could not be loaded (offline, a blocked script); the text
   * stays as it was, and a later call tries again.
   */
  setLocale(locale: string): Promise<void>
}

/**
 * Make the widget. Nothing touches the page until {@link Widget.boot}, so this is safe to call
 * while rendering on a server. A theme it cannot show (a colour that is not one, an unknown colour
 * scheme) is refused at once with a `ConfabError` (`'invalid-argument'`) that names the option.
 *
 * @example
 * const widget = createWidget({ transport: createHttpTransport({ url: 'https://chat.example.com' }) })
 * widget.boot()
 * widget.on('message', () => widget.open())
 */
export function createWidget(options: WidgetOptions, drawn?: Drawn): Widget {
  checkTheme(options.theme ?? {}, 'createWidget(options)', 'theme.')
  const client = options.client ?? createClient(options as ClientOptions)
  const locale = createLocale({
    locale: options.locale,
    languages: options.languages ?? globalThis.navigator?.languages ?? [],
    overrides: checkStrings(options.strings, console.warn)
  })
  let mounted: (Drawn & { stop: () => void }) | undefined

  return {
    client,
    boot() {
      if (mounted) return
      let where: Drawn
      if (drawn?.host.isConnected) {
        // Taken over once: after a shutdown the widget draws its own.
        where = drawn
        drawn = undefined
        where.taken = true
        adopt(where.root, frameCss)
      } else {
        const doc = options.document ?? (typeof document === 'undefined' ? undefined : document)
        const target = options.target ?? doc?.body
        if (!target?.attachShadow || !target.ownerDocument.defaultView?.CSSStyleSheet?.prototype.replaceSync) {
          throw createError('unsupported', 'The Confab widget needs a browser DOM with shadow roots and constructable stylesheets: call boot() in the browser')
        }
        const { vars, attributes } = hostLook(options.theme ?? {})
        const made = mount(target, launcherCss + frameCss, vars, attributes)
        where = { ...made, launcher: drawLauncher(made.root, made.app, locale.$text.get().strings.launcher) }
      }
      const page = where.host.ownerDocument
      const emoji = createEmojiSource({ dataUrl: options.emojiDataUrl, document: page })
      render(h(App, { client, locale, timers: options.timers ?? globalThis, launcher: where.launcher, gifs: options.gifs, emoji }), where.app)
      // The chime comes with the pane's code, loaded when the browser is idle after boot.
      let chime: (() => void) | undefined
      const unheard = options.sound === false
        ? undefined
        : client.on('message', (message) => {
            const { role } = message.author
            if ((role === 'agent' || role === 'bot') && (!client.$pane.get().open || page.hidden) && client.$leader.get() && client.shown(message) !== null) {
              loadPane().then(({ createChime }) => (chime ??= createChime(options.AudioContext ?? page.defaultView?.AudioContext))(), () => undefined)
            }
          })
      const unbadged = options.titleBadge ? badgeTitle(page, client.$unreadTotal) : undefined
      const untracked = options.dataLayer ? forwardToDataLayer(client.events) : undefined
      mounted = {
        ...where,
        stop: () => {
          unheard?.()
          unbadged?.()
          untracked?.()
        }
      }
      // In a task of its own, so that booting never holds the page long: opening the cache and the
      // session's first request start there. Connection trouble is retried inside the client and
      // reported through its `error` event.
      nextTask(() => mounted && client.connect().catch(() => undefined))
    },
    shutdown() {
      // Shut down before it was put on the page: what the loader drew goes all the same.
      drawn?.host.remove()
      drawn = undefined
      // Off the page first: the pane closing as the client shuts down would hand focus to a launcher on its way out.
      if (mounted) {
        mounted.stop()
        render(null, mounted.app)
        mounted.host.remove()
        mounted = undefined
      }
      return client.shutdown()
    },
    open: client.open,
    close: client.close,
    toggle: client.toggle,
    show: client.show,
    hide: client.hide,
    send: (text) => client.send(text),
    on: client.on,
    off: client.off,
    setLocale: locale.set
  }
}
