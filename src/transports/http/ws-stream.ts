import { createError } from '../../errors/index.js'
import type { Connect } from './stream.js'

/**
 * The event stream over a WebSocket (`GET /v1/ws`, see `examples/server/README.md`). The token goes
 * in the first message, never in the URL. Events arrive as JSON text messages carrying the SSE
 * event's name as `event` and its id as `id` beside the data fields, so `readEvent` reads them as
 * they come; `ready` carries the `cursor` the stream starts after. Close codes 4000 + an HTTP
 * status carry the server's refusal: 4401 starts the session again (once per connection), 4400
 * drops the cursor.
 *
 * @example
 * const ws = webSocketKind('wss://chat.example.com/v1/ws', WebSocket, () => token, refresh)
 */
export const webSocketKind =
  (
    url: string,
    WS: typeof WebSocket,
    token: () => Promise<string>,
    refresh: (used: string) => Promise<unknown>
  ): Connect =>
  async (cursor, signal, sink) => {
    for (let retried = false; ; retried = true) {
      const used = await token()
      signal.throwIfAborted()
      const code = await new Promise<number>((resolve) => {
        const socket = new WS(url)
        // Settle at once: closing a half-open socket may wait a minute for a close frame that never comes.
        const end = (code: number) => {
          signal.removeEventListener('abort', abort)
          socket.close()
          resolve(code)
        }
        const abort = () => end(0)
        signal.addEventListener('abort', abort)
        socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: used, cursor }))
        socket.onmessage = ({ data }) => {
          let frame: any
          try {
            frame = JSON.parse(data)
          } catch {}
          sink.alive()
          if (frame?.type == 'ready') {
            sink.open(() => socket.send('{"type":"ping"}'))
            // Where the stream starts: a reconnect before any event still resumes from here.
            sink.cursor(String(frame.cursor ?? ''))
          } else if (frame?.type != 'pong') sink.event(frame?.event, data, String(frame?.id ?? ''))
        }
        socket.onclose = (event) => end(event.code)
      })
      if (code != 4401 || retried) {
        throw createError('network', `WebSocket closed (${code})`, { status: code > 3999 ? code - 4000 : undefined })
      }
      await refresh(used)
    }
  }
