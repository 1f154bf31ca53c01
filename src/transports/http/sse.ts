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
  /** The last event id seen, including ids of events that carried no data. */
  readonly id: string
}

/**
 * Make a parser. Chunks may split anywhere: inside a line, between `\r` and `\n`, or inside a
 * multi-byte UTF-8 character.
 *
 * @example
 * const parser = createSseParser({ event: (e) => console.log(e.event, e.data) })
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
  let id = initialId

  function line(text: string): void {
    if (text === '') {
      // A blank line dispatches; no data means nothing to dispatch, but the id still counts.
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
      if (!value.includes('\0')) id = value
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
 * Read a response body to its end through a parser. Resolves when the server ends the stream
 * (an event left unfinished is dropped, per the spec); rejects when reading fails or is aborted.
 *
 * @example
 * await readSse(response.body, parser)
 */
export async function readSse(body: ReadableStream<Uint8Array>, parser: SseParser): Promise<void> {
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      parser.push(value)
    }
  } finally {
    reader.releaseLock()
  }
}
