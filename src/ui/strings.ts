/**
 * Every piece of text the widget shows or announces, in one object. Override any of them with the
 * widget's `strings` option; `{…}` marks where a value goes.
 *
 * @example
 * createWidget({ transport, strings: { title: 'Acme support', placeholder: 'Ask Acme…' } })
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
  unread: string
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
  /**
   * What screen readers say as a message from an agent or bot arrives, once, with the pane open or
   * closed; `{name}` is who wrote it, `{text}` its words.
   */
  said: string
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
  stars: string
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
  searchCount: string
  /** Announced with exactly one result. */
  searchCountOne: string
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
  gifsCount: string
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
  searchCount: '{count} results',
  searchCountOne: '1 result',
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
