/**
 * The XMPP transport: Confab on any XMPP server with multi-user chat and message archives
 * (Prosody, ejabberd, …), over WebSocket.
 *
 * @example
 * import { createXmppTransport } from 'confab/xmpp'
 * const transport = createXmppTransport({ url: 'wss://example.com/xmpp-websocket', domain: 'example.com' })
 */
export { createXmppTransport } from './transport.js'
export type { XmppTransportOptions } from './transport.js'
export type { NetworkEvents } from '../reconnect.js'
export type { XmppLogin } from './identity.js'
export type { Timers, WebSocketFactory, WebSocketLike } from './connection.js'
export type { XmlParser } from './xml.js'
