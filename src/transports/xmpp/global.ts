/**
 * Types of the XMPP adapter's script tag (`dist/confab-xmpp.js`, the package's
 * `confab/xmpp/script`): the global `ConfabXmpp` it installs beside `Confab`. Nothing here runs.
 *
 * @example
 * /// <reference types="confab/embed" />
 * /// <reference types="confab/xmpp/script" />
 * Confab('boot', { transport: ConfabXmpp.createXmppTransport({ url: 'wss://chat.example.com/xmpp-websocket', domain: 'example.com' }) })
 */
import type { createXmppTransport } from './index.js'

export type { XmppTransportOptions } from './index.js'

declare global {
  /** The XMPP adapter for script-tag sites, installed by `dist/confab-xmpp.js`. */
  var ConfabXmpp: { createXmppTransport: typeof createXmppTransport }
}
