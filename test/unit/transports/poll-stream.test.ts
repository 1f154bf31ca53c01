import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import { BASE, collect, connected, message, recordingTimers, server, sessions, useServer } from './http-fixtures.js'

useServer()

type Answer = Response | Promise<Response>
/** `GET /v1/poll` answering each poll with the next answer, then holding; records each query and token. */
function polls(...answers: (() => Answer)[]) {
  const seen: { cursor: string | null; wait: string | null; authorization: string | null }[] = []
  server.use(
    http.get(`${BASE}/v1/poll`, ({ request }) => {
      const { searchParams } = new URL(request.url)
      seen.push({ cursor: searchParams.get('cursor'), wait: searchParams.get('wait'), authorization: request.headers.get('authorization') })
      const next = answers.shift()
      return next ? next() : new Promise<never>(() => {})
    })
  )
  return seen
}

const batch = (cursor: string, ...events: object[]) => () => HttpResponse.json({ cursor, events })
const item = (id: string, overrides = {}) => ({ event: 'message', id, message: message({ id: `m${id}`, ...overrides }) })

async function subscribed(cursor?: string) {
  const transport = await connected({ stream: ['poll'], timers: recordingTimers(), heartbeatMs: 5000 })
  const seen = collect()
  transport.subscribe(seen.listener, cursor === undefined ? {} : { cursor })
  return { transport, seen }
}

describe('long-poll stream', () => {
  it('reports online and delivers each batch, with event ids as cursors', async () => {
    sessions()
    polls(batch('9', item('8'), { event: 'typing', conversationId: 'c1', author: { role: 'agent' }, typing: true }))
    const { transport, seen } = await subscribed()
    await vi.waitFor(() => expect(seen.events.filter((e) => e.type !== 'status')).toHaveLength(2))
    expect(seen.events.filter((e) => e.type !== 'status')).toEqual([
      { type: 'message', message: message({ id: 'm8' }), cursor: '8' },
      { type: 'typing', conversationId: 'c1', author: { role: 'agent' }, typing: true }
    ])
    expect(seen.statuses()).toEqual(['connecting', 'online'])
    transport.close()
  })

  it('asks for the next batch from the cursor the server answered, holding for heartbeatMs', async () => {
    sessions()
    const seen = polls(batch('12', item('8')), batch('20'))
    const { transport } = await subscribed('5')
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(seen).toEqual([
      { cursor: '5', wait: '5000', authorization: 'Bearer t1' },
      { cursor: '12', wait: '5000', authorization: 'Bearer t1' },
      { cursor: '20', wait: '5000', authorization: 'Bearer t1' }
    ])
    transport.close()
  })

  it('resumes from the last event id after a failed poll', async () => {
    sessions()
    const seen = polls(batch('12', item('8')), () => HttpResponse.error(), batch('12'))
    const { transport, seen: events } = await subscribed()
    await vi.waitFor(() => expect(seen).toHaveLength(4))
    expect(seen.map((poll) => poll.cursor)).toEqual([null, '12', '8', '12'])
    expect(events.statuses()).toEqual(['connecting', 'online', 'reconnecting', 'online'])
    transport.close()
  })

  it('reports a malformed event as malformed-event and goes on', async () => {
    sessions()
    polls(batch('9', { event: 'message', message: { id: 'half' } }, item('9')))
    const { transport, seen } = await subscribed()
    await vi.waitFor(() => expect(seen.of('message')).toHaveLength(1))
    expect(seen.of('error').map((e) => (e.error as ConfabError).code)).toEqual(['malformed-event'])
    transport.close()
  })

  it('emits reset when the server no longer knows the cursor', async () => {
    sessions()
    polls(batch('90', { event: 'reset', id: '90' }))
    const { transport, seen } = await subscribed('3')
    await vi.waitFor(() => expect(seen.of('reset')).toEqual([{ type: 'reset', cursor: '90' }]))
    transport.close()
  })

  it('starts the session again on a 401 and polls with the new token', async () => {
    const { bodies } = sessions()
    const seen = polls(() => new HttpResponse(null, { status: 401 }), batch('1'))
    const { transport, seen: events } = await subscribed()
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(seen.map((poll) => poll.authorization)).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t2'])
    expect(bodies).toHaveLength(2)
    expect(events.statuses()).toEqual(['connecting', 'online'])
    transport.close()
  })

  it('backs off while polls are refused with 503', async () => {
    sessions()
    const refused = () => new HttpResponse(null, { status: 503 })
    polls(refused, refused, refused, batch('1'))
    const timers = recordingTimers()
    const transport = await connected({ stream: ['poll'], timers, random: () => 0.5 })
    const seen = collect()
    transport.subscribe(seen.listener)
    await vi.waitFor(() => expect(seen.statuses()).toEqual(['connecting', 'reconnecting', 'online']))
    expect(timers.delays).toEqual([250, 500, 1000])
    transport.close()
  })
})
