import { createError } from '../../errors/index.js'
import type { XmppContext } from './context.js'
import type { XmppConnection } from './connection.js'

/** The open connection, waiting (up to the timeout) while a reconnect is under way. */
export function connected(ctx: XmppContext, label: string): Promise<XmppConnection> {
  if (ctx.visitor === undefined) return Promise.reject(createError('closed', `${label}: call connect() first`))
  if (ctx.connection?.isOpen()) return Promise.resolve(ctx.connection)
  return ctx.ready.wait({}, ctx.timeout, () => createError('network', `${label}: no connection to the XMPP server within ${ctx.timeout} ms`, { retryable: true }))
}

/**
 * Run a request that is safe to repeat on the current connection; if the connection drops under
 * it, run it again on the next one (a few times), so calls made during a blip still succeed.
 */
export async function request<T>(ctx: XmppContext, label: string, run: (conn: XmppConnection) => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    const conn = await connected(ctx, label)
    try {
      return await run(conn)
    } catch (error) {
      if (tries < 3 && !conn.isOpen() && ctx.visitor !== undefined) continue
      throw error
    }
  }
}
