import { Window } from 'happy-dom'
import WebSocket from 'ws'
import type { WebSocketFactory } from '../../../src/transports/xmpp/connection.js'
import type { XmlParser } from '../../../src/transports/xmpp/xml.js'

/** What an XMPP client needs in Node 20, which has no WebSocket and no DOMParser: `ws` and happy-dom's. */
export const nodeGlobals = {
  WebSocket: WebSocket as unknown as WebSocketFactory,
  DOMParser: new Window().DOMParser as unknown as new () => XmlParser
}
