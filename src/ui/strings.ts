/**
 * A text that depends on a number: a form for each plural category of the language (as
 * `Intl.PluralRules` names them: `zero`, `one`, `two`, `few`, `many`, `other`). `other` is required and
 * stands in for any category left out; `{count}` is the number, written as the language writes it.
 *
 * @example
 * const unread: Plural = { one: '{count} unread message', other: '{count} unread messages' }
 */
export type Plural = { [category in Intl.LDMLPluralRule]?: string } & { other: string }

/** A text that takes a `{count}`: the same words for every number, or a {@link Plural} form for each. */
export type Counted = string | Plural

/**
 * Every piece of text the widget shows or announces, in one object. Override any of them with the
 * widget's `strings` option, in whatever language the widget speaks (see `locale`); `{…}` marks where
 * a value goes, and an override must keep the placeholders of the text it replaces.
 *
 * @example
 * createWidget({ transport, strings: { title: 'Acme support', placeholder: 'Ask Acme…' } })
 * createWidget({ transport, strings: { unread: { one: '{count} new message', other: '{count} new messages' } } })
 */
export interface Strings extends PaneStrings, SearchStrings, GifStrings, EmojiStrings {
  /** Pane title, and the dialog's accessible name. */
  title: string
  /** Shown in the pane while its code loads (it loads when the browser is idle, so rarely seen). */
  loading: string
  /** The pane's code could not be loaded (offline, a blocked script); followed by Retry. */
  paneFailed: string
  /** Accessible name of the launcher button. */
  launcher: string
  /** Added to the launcher's name while messages are unread; `{count}` is their number. */
  unread: Counted
  /** Tries again: a message that was not sent, a pane or search that could not be loaded. */
  retry: string
}

/** The text of the pane. Its English defaults load with the pane, not with the widget. */
export interface PaneStrings {
  /** The mode label in the header, for chat conversations. */
  chat: string
  /** The mode label in the header, for messaging conversations. */
  messaging: string
  /** Accessible name of the header's close button. */
  close: string
  connecting: string
  reconnecting: string
  offline: string
  /** Shown while a conversation has no messages yet. */
  empty: string
  /**
   * Shown, and announced, when messages arrive while the visitor reads older ones; takes them to
   * the newest.
   */
  newMessages: string
  /** Accessible name and placeholder of the message field. */
  placeholder: string
  /** Accessible name of the send button. */
  send: string
  /** Delivery of one of the visitor's messages: queued or on its way. */
  sending: string
  /** Delivery: stored by the backend. */
  sent: string
  /** Delivery: failed; followed by the Retry and Discard buttons. */
  failed: string
  discard: string
  /** Name shown for an agent or bot who has none. */
  agent: string
  /** The typing indicator; `{name}` is who types. */
  typing: string
  /**
   * In the typing indicator's place, when the backend knows no agent is in the conversation
   * (`agentPresence: 'waiting'`) and the visitor's message is the newest.
   */
  waiting: string
  /** Shown, small, when history lives in memory only (storage missing, blocked or full). */
  notSaved: string
  /** A conversation in the list that has no subject. */
  conversation: string
  /** Marks a closed conversation in the list. */
  threadClosed: string
  /** Starts a thread from the conversation list. */
  newConversation: string
  /** Accessible name of the header's button back to the conversation list. */
  back: string
  /** The header button that ends a chat session, and its confirming button. */
  endChat: string
  /** The question asked before a chat is ended. */
  endAsk: string
  /** Keeps the chat going instead of ending it. */
  cancel: string
  /** The chat was ended with "End chat", here or in another tab. */
  ended: string
  /** The chat ended after a period of inactivity. */
  expired: string
  /** The agent or backend closed the chat. */
  closed: string
  /** Starts a new chat session after one ended. */
  newChat: string
  /** Accessible name of the header's search button, and name and placeholder of the search field. */
  search: string
  /** Search could not be loaded (offline, a blocked script): above the thread with Retry, or in the search view. */
  searchFailed: string
  /** Accessible name of a message's quick replies. */
  quickReplies: string
  /**
   * Accessible name of a row of cards that scrolls sideways (arrow keys scroll it); `{titles}` is
   * the cards' titles, which tell one row from another.
   */
  cards: string
  /** Accessible name of an image that came without a description. */
  image: string
  /** The link of a location to a map. */
  openMap: string
  /** A form's submit button, unless the form names its own. */
  submit: string
  /** Marks a form that was answered; its answers show, read-only. */
  submitted: string
  /** A rating request's question, unless it asks its own. */
  ratingQuestion: string
  /** A rating's score, on each star and once given; `{count}` is 1 to 5. */
  stars: Counted
  /** Label of a rating's optional comment. */
  ratingComment: string
  /** Sends a rating. */
  rate: string
  /** Shown, and announced, while the newest message waits for a chosen answer and the composer is off. */
  blocked: string
  /** Accessible name of the composer's GIF button (shown when the widget has a `gifs` provider). */
  gif: string
  /** The GIF picker could not be loaded (offline, a blocked script); followed by Retry. */
  gifFailed: string
  /** Accessible name of the composer's emoji button, and of the emoji picker. */
  emoji: string
  /** The emoji could not be loaded (offline, a blocked file); followed by Retry. */
  emojiFailed: string
  /** Accessible name of the composer's button that attaches files. */
  attach: string
  /** Shown over the pane while files are dragged over it. */
  dropFiles: string
  /** Accessible name of the files waiting in the composer to go with the next message. */
  attachments: string
  /** Accessible name of a file's remove button in the composer; `{name}` is the file's name. */
  remove: string
  /** Accessible name of a file's upload progress; `{name}` is the file's name. */
  uploading: string
  /** Accessible name of the button that stops a file's upload; `{name}` is the file's name. */
  cancelFile: string
  /** Links that download a file or an image. */
  download: string
  /** Starts an animated image that shows still because the visitor asked for less motion. */
  play: string
  /** Stops it again. */
  pause: string
  /** Shown, and announced, while chosen files are made ready (photos scaled); the message waits for them. */
  preparing: string
}

/** The text of the search view. Its English defaults load with the view, not with the widget. */
export interface SearchStrings {
  /** Shown while the search field is empty. */
  searchHint: string
  /** Announced while a search runs (the first one also builds the index). */
  searching: string
  /** No message matches; `{query}` is what was typed. */
  searchNone: string
  /** Announced with the results; `{count}` is their number. */
  searchCount: Counted
  /**
   * Announced with exactly one result, when given.
   *
   * @deprecated Give `searchCount` a `one` form instead: `{ one: '1 result', other: '{count} results' }`.
   */
  searchCountOne?: string
  /** Shown while the backend's archive is asked for what this device never held. */
  archiveSearching: string
  /** The archive could not be asked; the results from the device still stand. */
  archiveFailed: string
  /** Marks a result found only in the backend's archive. */
  fromArchive: string
  /** Author of the visitor's own messages in search results. */
  you: string
}

/** The text of the GIF picker. Its English defaults load with the picker, not with the widget. */
export interface GifStrings {
  /** Accessible name and placeholder of the GIF search field. */
  gifSearch: string
  /** Announced while GIFs load. */
  gifsLoading: string
  /** Announced with the GIFs found; `{count}` is their number. */
  gifsCount: Counted
  /** No GIF matches; `{query}` is what was typed. */
  gifsNone: string
  /** The provider could not be asked (offline, a refused key); followed by Retry. */
  gifsError: string
  /** Accessible name of the grid of GIFs before anything is typed. */
  gifsTrending: string
  /** Accessible name of the grid of GIFs for a search; `{query}` is what was typed. */
  gifsFound: string
  /** Shown while the field is empty, for a provider that has nothing to show before a search. */
  gifsHint: string
  /** Accessible name of the picker's close button. */
  gifsClose: string
}

/**
 * The text of the emoji picker and of `:shortcode:` suggestions. Its English defaults load with the
 * picker, not with the widget. Emoji names come with the emoji data (see `emojiDataUrl`).
 */
export interface EmojiStrings {
  /** Accessible name and placeholder of the picker's search field. */
  emojiSearch: string
  /** Label of the row of recently used emoji. */
  emojiRecent: string
  /** Accessible name of the category tabs. */
  emojiCategories: string
  /** Label of the search results. */
  emojiResults: string
  /** No emoji matches; `{query}` is what was typed. */
  emojiNone: string
  /** Accessible name of the list of emoji that complete a `:shortcode`. */
  emojiSuggestions: string
  /** The categories, as Unicode groups them. */
  emojiSmileys: string
  emojiPeople: string
  emojiAnimals: string
  emojiFood: string
  emojiTravel: string
  emojiActivities: string
  emojiObjects: string
  emojiSymbols: string
  emojiFlags: string
}

/**
 * The English defaults of the widget (the pane's are `paneStrings` in `pane/strings.ts`, the search
 * view's {@link searchStrings}, the GIF and emoji pickers' in their own chunks).
 */
export const defaultStrings: Omit<Strings, keyof PaneStrings | keyof SearchStrings | keyof GifStrings | keyof EmojiStrings> = {
  title: 'Support',
  loading: 'Loading…',
  paneFailed: 'The chat could not be loaded.',
  launcher: 'Chat with us',
  unread: '{count} unread',
  retry: 'Retry'
}

/** The English defaults of the search view, only in its lazily loaded chunk. */
export const searchStrings: SearchStrings = {
  searchHint: 'Search your conversations',
  searching: 'Searching…',
  searchNone: 'No messages match “{query}”',
  searchCount: { one: '{count} result', other: '{count} results' },
  archiveSearching: 'Searching older history…',
  archiveFailed: 'Older history is not available right now',
  fromArchive: 'From the archive',
  you: 'You'
}

/**
 * Put `value` where the template's `{…}` placeholder is. A function, not a string, replaces it: a string
 * would expand `$&`, `$\`` and `$'` typed by the visitor.
 */
export const fill = (template: string, value: string | number): string =>
  template.replace(/\{\w+\}/, () => String(value))

/**
 * `text` for the number `n` in `locale`: the form of its plural category there, `{count}` the
 * number as `locale` writes it.
 *
 * @example
 * counted({ one: '{count} résultat', many: '{count} de résultats', other: '{count} résultats' }, 2, 'fr') // '2 résultats'
 */
export const counted = (text: Counted, n: number, locale: string): string =>
  fill(typeof text === 'string' ? text : (text[new Intl.PluralRules(locale).select(n)] ?? text.other), n.toLocaleString(locale))

/** The placeholder each text takes (by key); the texts not named here take none. */
const PLACEHOLDERS: Partial<Record<keyof Strings, string>> = {
  unread: 'count',
  stars: 'count',
  searchCount: 'count',
  gifsCount: 'count',
  typing: 'name',
  remove: 'name',
  uploading: 'name',
  cancelFile: 'name',
  cards: 'titles',
  searchNone: 'query',
  gifsNone: 'query',
  gifsFound: 'query',
  emojiNone: 'query'
}

/**
 * Whether `text` can be the text of `key`: a string, or a {@link Plural} with `other`, in which no
 * placeholder is another than the one `key` takes, and which has that one (a plain text, or a plural
 * text's `other`: a form such as Arabic's `one` may say the number in words).
 *
 * @example
 * fits('typing', '{name} is typing') // true
 * fits('typing', '{who} is typing') // false
 */
export function fits(key: string, text: unknown): boolean {
  const wanted = PLACEHOLDERS[key as keyof Strings]
  const main = typeof text === 'string' ? text : (text as Plural | null)?.other
  return (
    typeof main === 'string' &&
    Object.values(typeof text === 'string' ? [text] : (text as Plural)).every((form) => String(form).match(/\{\w+\}/g)?.every((found) => found === `{${wanted}}`) ?? true) &&
    (!wanted || main.includes(`{${wanted}}`))
  )
}

/**
 * The overrides of `given` that {@link fits}; each one that does not is reported and left out, so
 * the text it would have replaced shows.
 *
 * @example
 * checkStrings({ typing: '{who} is typing' }, console.warn) // {}, and reports why
 */
export function checkStrings(given: Partial<Strings> | undefined, report: (problem: string) => void): Partial<Strings> {
  const kept: Record<string, unknown> = {}
  for (const key in given) {
    const text = given[key as keyof Strings]
    if (fits(key, text)) kept[key] = text
    else report(`Confab: strings.${key} must be text with ${PLACEHOLDERS[key as keyof Strings] ? `{${PLACEHOLDERS[key as keyof Strings]}}` : 'no placeholder'}; its default shows`)
  }
  return kept
}
