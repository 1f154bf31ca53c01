import type { Client } from '../../client/index.js'
import type { Strings } from '../strings.js'

/** What every component gets: the client to read and act on, and the text to show. */
export interface UiProps {
  client: Client
  strings: Strings
}
