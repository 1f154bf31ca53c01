import { describe, expect, it } from 'vitest'
import { createSseParser, readStream, type SseEvent } from '../../../src/transports/http/sse.js'

const encoder = new TextEncoder()

/** Parse `input` fed as the given chunks (strings or raw bytes). */
function parse(chunks: (string | Uint8Array)[], initialId?: string) {
  const events: SseEvent[] = []
  const retries: number[] = []
  const parser = createSseParser({ event: (event) => events.push(event), retry: (ms) => retries.push(ms) }, initialId)
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
  return { events, retries, parser }
}

describe('SSE parser', () => {
  it('joins multi-line data with newlines', () => {
    const { events } = parse(['data: one\ndata: two\ndata:\ndata: three\n\n'])
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo\n\nthree', id: '' }])
  })

  it('names an event by its event field and defaults to message', () => {
    const { events } = parse(['event: typing\ndata: a\n\ndata: b\n\n'])
    expect(events.map((event) => event.event)).toEqual(['typing', 'message'])
  })

  it('ends lines on CRLF, LF and CR alike', () => {
    const { events } = parse(['id: 1\r\ndata: crlf\r\n\r\nid: 2\rdata: cr\r\rid: 3\ndata: lf\n\n'])
    expect(events).toEqual([
      { event: 'message', data: 'crlf', id: '1' },
      { event: 'message', data: 'cr', id: '2' },
      { event: 'message', data: 'lf', id: '3' }
    ])
  })

  it('treats a CRLF split between two chunks as one line break', () => {
    // Read as two line breaks, the `\n` would end the event early and split it in two.
    const { events } = parse(['data: a\r', '\ndata: b\r', '\n\r', '\n'])
    expect(events.map((event) => event.data)).toEqual(['a\nb'])
  })

  it('gives the same events whatever the chunking, down to one byte at a time', () => {
    const text = 'id: 7\r\nevent: message\r\ndata: {"text":"héllo 👋"}\r\n\r\n: ping\n\nid: 8\ndata: x\n\n'
    const bytes = encoder.encode(text)
    const whole = parse([bytes]).events
    const byByte = parse(Array.from(bytes, (byte) => Uint8Array.of(byte))).events
    expect(whole).toHaveLength(2)
    expect(byByte).toEqual(whole)
  })

  it('decodes a multi-byte UTF-8 character split across chunks', () => {
    const bytes = encoder.encode('data: 👋é\n\n')
    // Split inside the 4-byte emoji and again inside the 2-byte é.
    const { events } = parse([bytes.slice(0, 8), bytes.slice(8, 11), bytes.slice(11)])
    expect(events[0]?.data).toBe('👋é')
  })

  it('ignores comment lines', () => {
    const { events } = parse([': ping\ndata: a\n: another\n\n'])
    expect(events).toEqual([{ event: 'message', data: 'a', id: '' }])
  })

  it('reports retry in ms and ignores a retry that is not a number', () => {
    const { retries, events } = parse(['retry: 1000\nretry: soon\nretry: 25\n\n'])
    expect(retries).toEqual([1000, 25])
    expect(events).toEqual([])
  })

  it('keeps the last id for events that carry none', () => {
    const { events } = parse(['id: 4\ndata: a\n\ndata: b\n\n'])
    expect(events.map((event) => event.id)).toEqual(['4', '4'])
  })

  it('remembers the id of an event without data without dispatching it', () => {
    const { events, parser } = parse(['id: 9\n\n'])
    expect(events).toEqual([])
    expect(parser.id).toBe('9')
  })

  it('resumes from the id of the last finished event, not of one cut off', () => {
    const { parser } = parse(['id: 5\ndata: a\n\nid: 6\ndata: b\n'])
    expect(parser.id).toBe('5')
  })

  it('starts from the id it was given', () => {
    const { events } = parse(['data: a\n\n'], '41')
    expect(events[0]?.id).toBe('41')
  })

  it('ignores an id containing NUL', () => {
    const { parser } = parse(['id: 3\n\nid: 4\0\n\n'])
    expect(parser.id).toBe('3')
  })

  it('strips one leading space from a value and keeps the rest', () => {
    const { events } = parse(['data:no space\n\ndata:   three\n\n'])
    expect(events.map((event) => event.data)).toEqual(['no space', '  three'])
  })

  it('drops a leading byte-order mark', () => {
    const { events } = parse([Uint8Array.of(0xef, 0xbb, 0xbf), 'data: a\n\n'])
    expect(events).toEqual([{ event: 'message', data: 'a', id: '' }])
  })

  it('does not dispatch an event that no blank line finished', () => {
    const { events } = parse(['data: a\n\ndata: unfinished\n'])
    expect(events.map((event) => event.data)).toEqual(['a'])
  })

  it('reads a body stream chunk by chunk until it ends', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: a\n'))
        controller.enqueue(encoder.encode('\ndata: b\n\n'))
        controller.close()
      }
    })
    const events: SseEvent[] = []
    const parser = createSseParser({ event: (event) => events.push(event) })
    await readStream(body, parser.push)
    expect(events.map((event) => event.data)).toEqual(['a', 'b'])
  })
})
