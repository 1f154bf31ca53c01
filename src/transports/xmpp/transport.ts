import type { Transport } from '../types.js'
import { history } from './archive.js'
import { createContext } from './context.js'
import { createConversation, listConversations, roomFor } from './directory.js'
import { connect, stop } from './lifecycle.js'
import { readOptions, type XmppTransportOptions } from './options.js'
import { CONTENT_TYPES } from './content.js'
import { markRead, postback, send, setTyping } from './sending.js'
import { requestUpload } from './uploads.js'

export type { XmppTransportOptions } from './options.js'

/**
 * A transport for any XMPP server with MUC and MAM: XMPP over WebSocket (RFC 7395), one
 * multi-user chat room (XEP-0045) per conversation, history from the room's archive (XEP-0313)
 * paged with RSM cursors both ways, the client's id kept as the message's origin-id (XEP-0359) so a
 * repeated send answers the stored message, typing as chat states (XEP-0085), read receipts as
 * displayed chat markers the room archives (XEP-0333, see markers.ts), and reconnects with
 * backoff that rejoin the rooms and deliver what the archive got meanwhile.
 *
 * Rich content travels as the text in `<body>` (what any XMPP client shows), a Confab element with
 * the rest as JSON, and standard elements for other XMPP software: data forms (XEP-0004) for forms,
 * quick replies, ratings and the visitor's answers, XEP-0066 links for images and files, XEP-0080
 * locations, XEP-0461 replies (see content.ts). Postbacks are bodiless messages the room archives,
 * sent once per client id like messages. Files go through the server's HTTP File Upload service
 * (XEP-0363), found by service discovery when connecting: `capabilities.uploads` and the session's
 * `uploadLimits` say whether there is one (see uploads.ts).
 *
 * The visitor's rooms are named from a secret in the resume key, so the key alone finds them again
 * (no storage on the server or the device beyond the key the client keeps).
 *
 * @example
 * import { createClient } from 'confab'
 * import { createXmppTransport } from 'confab/xmpp'
 * const client = createClient({
 *   transport: createXmppTransport({ url: 'wss://example.com/xmpp-websocket', domain: 'example.com', agents: ['support@example.com'] })
 * })
 */
export function createXmppTransport(options: XmppTransportOptions): Transport {
  const ctx = createContext(readOptions(options))

  return {
    name: 'xmpp',
    capabilities: {
      typing: true,
      readReceipts: true,
      // Whether the server has an upload service: service discovery tells when connect() resolves.
      get uploads() {
        return ctx.upload !== undefined
      },
      search: false,
      streamResume: false,
      historyNewer: true,
      agentPresence: true,
      content: CONTENT_TYPES
    },
    connect: (input) => connect(ctx, input),
    listConversations: () => listConversations(ctx),
    createConversation: (init) => createConversation(ctx, init),

    async getConversation(id) {
      return (await roomFor(ctx, id, 'getConversation()')).conversation
    },

    async history(id, query) {
      return history(ctx, await roomFor(ctx, id, 'history()'), query)
    },

    send: (id, message, sendOptions) => send(ctx, id, message, sendOptions),
    postback: (id, given, postbackOptions) => postback(ctx, id, given, postbackOptions),
    setTyping: (id, typing) => setTyping(ctx, id, typing),
    markRead: (id, messageId) => markRead(ctx, id, messageId),
    requestUpload: (id, file, uploadOptions) => requestUpload(ctx, id, file, uploadOptions),

    subscribe(listener) {
      ctx.listeners.add(listener)
      // Tell the new listener where things stand, after subscribe() returned.
      queueMicrotask(() => {
        if (ctx.listeners.has(listener)) listener({ type: 'status', status: ctx.visitor === undefined && ctx.status !== 'connecting' ? 'closed' : ctx.status })
      })
      return () => {
        ctx.listeners.delete(listener)
      }
    },

    close() {
      stop(ctx)
      ctx.setStatus('closed')
      ctx.listeners.clear()
    }
  }
}
