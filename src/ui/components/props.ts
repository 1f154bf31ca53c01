import type { Client, Timers } from '../../client/index.js'
import type { SearchStrings, Strings } from '../strings.js'

/** What every component gets: the client to read and act on, and the text to show. */
export interface UiProps {
  client: Client
  /** The widget's text; the search view's defaults join in when the view loads. */
  strings: Omit<Strings, keyof SearchStrings> & Partial<SearchStrings>
  /** For delays the UI waits out itself (the connection state's grace), injectable for tests. */
  timers: Timers
}
