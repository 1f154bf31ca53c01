/**
 * A small `text/event-stream` parser, after the WHATWG HTML "server-sent events" parsing rules.
 * Built on bytes rather than `EventSource`, so the transport can send `Authorization`, pick its own
 * reconnect policy and run where `EventSource` does not exist (Node, happy-dom, workers).
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field, `'message'` when absent. */
  event: string
  /** The `data:` lines joined with `\n`. */
  data: string
  /**
   * The last `id:` the stream set, which persists across events as the spec requires (an event
   * without `id:` carries the previous one). `''` when none was set or the server cleared it.
   */
  id: string
}

/** What the parser reports. */
export interface SseHandlers {
  /** A complete event (a blank line ended it and it had data). */
  event(event: SseEvent): void
  /** The server set the reconnection time (`retry:`), in ms. */
  retry?(ms: number): void
}

/** Feed bytes in any chunking; events come out as they complete. */
export interface SseParser {
  push(chunk: Uint8Array): void
  /**
   * The id to resume from: the last one a finished event (a blank line) set, including an event
   * without data. An `id:` of an event cut off by a drop does not count, or its event would be lost.
   */
  readonly id: string
}

/**
 * Make a parser. Chunks may split anywhere: inside a line, between `\r` and `\n`, or inside a
 * multi-byte UTF-8 character.
 *
 * @example
 * const parser = createSseParser({ event: (e) => handle(e.event, e.data) })
 * parser.push(new TextEncoder().encode('event: ping\ndata: {}\n\n'))
 */
export function createSseParser(handlers: SseHandlers, initialId = ''): SseParser {
  // `stream: true` keeps a partial multi-byte character for the next chunk; the default
  // `ignoreBOM: false` drops the optional leading byte-order mark, as the spec asks.
  const decoder = new TextDecoder()
  let buffer = ''
  // A chunk ended with `\r`: a `\n` opening the next one belongs to the same line break.
  let skipLF = false
  let data = ''
  let type = ''
  // The spec's "last event ID buffer" (what the next event carries) and the id committed when an
  // event is finished (what a reconnect sends).
  let pendingId = initialId
  let id = initialId

  function line(text: string): void {
    if (text === '') {
      // A blank line dispatches; no data means nothing to dispatch, but the id still counts.
      id = pendingId
      if (data !== '') handlers.event({ event: type || 'message', data: data.slice(0, -1), id })
      data = type = ''
      return
    }
    const colon = text.indexOf(':')
    if (colon === 0) return // a comment, such as the `: ping` keep-alive
    const field = colon < 0 ? text : text.slice(0, colon)
    let value = colon < 0 ? '' : text.slice(colon + 1)
    if (value[0] === ' ') value = value.slice(1)
    if (field === 'data') data += value + '\n'
    else if (field === 'event') type = value
    else if (field === 'id') {
      if (!value.includes('\0')) pendingId = value
    } else if (field === 'retry' && /^\d+$/.test(value)) handlers.retry?.(Number(value))
  }

  return {
    push(chunk) {
      let text = decoder.decode(chunk, { stream: true })
      if (skipLF && text !== '') {
        skipLF = false
        if (text[0] === '\n') text = text.slice(1)
      }
      // Only the new text can hold a line break: the kept buffer never does.
      let scan = buffer.length
      buffer += text
      let start = 0
      for (; scan < buffer.length; scan++) {
        const char = buffer[scan]
        if (char !== '\r' && char !== '\n') continue
        line(buffer.slice(start, scan))
        if (char === '\r') {
          if (scan + 1 === buffer.length) skipLF = true
          else if (buffer[scan + 1] === '\n') scan++
        }
        start = scan + 1
      }
      buffer = buffer.slice(start)
    },
    get id() {
      return id
    }
  }
}

/**
 * Read a response body to its end, handing each chunk to `onChunk` (usually a parser's `push`).
 * Resolves when the server ends the stream or `signal` aborts; rejects when reading fails.
 *
 * @example
 * await readStream(response.body, parser.push, controller.signal)
 */
export async function readStream(
  body: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  signal?: AbortSignal
): Promise<void> {
  const reader = body.getReader()
  // Not every fetch (polyfills, mocks) errors a body already being read when its request is
  // aborted; cancelling the reader ends the read everywhere.
  const cancel = () => {
    reader.cancel().catch(() => {})
  }
  signal?.addEventListener('abort', cancel)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      onChunk(value)
    }
  } finally {
    signal?.removeEventListener('abort', cancel)
    reader.releaseLock()
  }
}
