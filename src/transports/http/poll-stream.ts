import type { Connect } from './stream.js'

/**
 * The event stream by long polling (`GET /v1/poll`, see `examples/server/README.md`), for networks
 * that block both WebSockets and streamed responses. `poll` asks for the events after `cursor`
 * (authorized, refreshed once on 401); the server holds it until there are some, and answers
 * `{ cursor, events }` with events in the WebSocket message shape. The connection counts as open
 * while polls succeed.
 *
 * @example
 * const poll = pollKind((cursor, signal) => request('get', 'v1/poll', { signal, searchParams: { cursor } }))
 */
export const pollKind =
  (poll: (cursor: string, signal: AbortSignal) => Promise<Response>): Connect =>
  async (cursor, signal, sink) => {
    for (;;) {
      const response = await poll(cursor, signal)
      sink.open()
      const batch = JSON.parse(await response.text())
      sink.alive()
      for (const item of batch.events) sink.event(item?.event, JSON.stringify(item), String(item?.id ?? ''))
      // The server's cursor also moves past events of other visitors, so it never falls out of its
      // log; the stream resumes from it too, even when no event of ours came yet.
      if (batch.cursor) sink.cursor((cursor = batch.cursor))
    }
  }
