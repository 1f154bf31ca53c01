import type { RefObject } from 'preact'
import type { Client, Timers } from '../../client/index.js'
import type { GifProviderSource } from '../../gifs/types.js'
import type { EmojiSource } from '../emoji/source.js'
import type { loadGifPicker } from '../gifs/load.js'
import type { loadMedia } from '../media/load.js'
import type { loadSearchView } from '../search/load.js'
import type { EmojiStrings, GifStrings, PaneStrings, SearchStrings, Strings } from '../strings.js'

/** What every component gets: the client to read and act on, and the text to show. */
export interface UiProps {
  client: Client
  /** The widget's text; the search view's, the GIF picker's and the emoji picker's defaults join in when they load. */
  strings: Omit<Strings, keyof SearchStrings | keyof GifStrings | keyof EmojiStrings> & Partial<SearchStrings & GifStrings & EmojiStrings>
  /** The locale of the text (a BCP 47 tag, `'fr-CA'`): the one `Intl` writes dates, times, numbers and plurals for. */
  locale: string
  /** For delays the UI waits out itself (the connection state's grace), injectable for tests. */
  timers: Timers
}

/**
 * What the widget's own components get (the launcher, the pane's frame): the pane's, the search
 * view's and the emoji picker's text defaults join in when their code loads.
 */
export interface WidgetProps extends Omit<UiProps, 'strings'> {
  strings: Omit<Strings, keyof PaneStrings | keyof SearchStrings | keyof GifStrings | keyof EmojiStrings> &
    Partial<PaneStrings & SearchStrings & GifStrings & EmojiStrings>
  /** Where the composer's GIF picker searches (see `WidgetOptions.gifs`); no GIF button without it. */
  gifs?: GifProviderSource
  /** The emoji picker's code and data, loaded on first use (see `emoji/source.ts`). */
  emoji: EmojiSource
}

/**
 * What the pane gets from the widget. The pane's code loads apart from the widget's and renders
 * inside the frame the widget shows at once (`app.tsx`).
 */
export interface PaneProps extends WidgetProps {
  /** Close the pane and give focus back to the launcher. */
  onClose(): void
  /** The frame: a dialog in the widget's shadow root, where the pane's stylesheet goes. */
  frame: RefObject<HTMLDivElement | null>
  /** The frame's key handler, set by the pane (Escape, Ctrl/Cmd+K, "/"). */
  keys: RefObject<((event: KeyboardEvent) => void) | undefined>
  /** The widget's search loader: for the script tag, it loads `confab-search.js` beside `confab.js`. */
  loadSearch: typeof loadSearchView
  /** The widget's GIF picker loader: for the script tag, it loads `confab-gif.js` beside `confab.js`. */
  loadGifs: typeof loadGifPicker
  /** The widget's media loader: for the script tag, it loads `confab-media.js` beside `confab.js`. */
  loadMedia: typeof loadMedia
}
