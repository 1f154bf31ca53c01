import { afterEach, describe, expect, it } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import type { Transport, TransportEvent } from '../../../src/transports/types.js'
import { createXmppTransport, type NetworkEvents, type XmppTransportOptions } from '../../../src/transports/xmpp/index.js'
import { useXmppServer } from '../../support/xmpp/harness.js'

// Behaviour of the XMPP transport beyond the conformance kit, against a real Prosody on 127.0.0.1.
const env = useXmppServer('prosody')
const open: Transport[] = []

afterEach(() => {
  for (const transport of open.splice(0)) transport.close()
})

function transport(extra: Partial<XmppTransportOptions> = {}) {
  const made = createXmppTransport(env.options(extra))
  open.push(made)
  return made
}

/** Subscribe and collect events; `until` resolves when `test` holds. */
function record(made: Transport) {
  const events: TransportEvent[] = []
  const wakers = new Set<() => void>()
  made.subscribe((event) => {
    events.push(event)
    for (const wake of [...wakers]) wake()
  })
  const until = (what: string, test: (list: TransportEvent[]) => boolean, ms = 4000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited for ${what}; got ${JSON.stringify(events.map((e) => [e.type, 'status' in e ? e.status : 'message' in e ? e.message.text : '']))}`)), ms)
      const check = () => {
        if (!test(events)) return
        clearTimeout(timer)
        wakers.delete(check)
        resolve()
      }
      wakers.add(check)
      check()
    })
  const texts = () => events.flatMap((e) => (e.type === 'message' ? [e.message.text] : []))
  const statuses = () => events.flatMap((e) => (e.type === 'status' ? [e.status] : []))
  return { events, until, texts, statuses }
}

const online = (list: TransportEvent[], from = 0) => list.slice(from).some((e) => e.type === 'status' && e.status === 'online')

describe('XMPP transport on Prosody', () => {
  it('reconnects after the connection is cut, rejoins, and delivers what was written meanwhile from the archive, once', async () => {
    // A reconnect delay long enough that the agent writes while the visitor is away.
    const visitor = transport({ reconnect: { base: 600, cap: 600 }, random: () => 0.99 })
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    await env.agent.reply(id, 'before the cut')
    await seen.until('the first reply', () => seen.texts().includes('before the cut'))
    const mark = seen.events.length
    await env.proxy.cut(session)
    await env.agent.reply(id, 'while away 1')
    await env.agent.reply(id, 'while away 2')
    await seen.until('online again', (list) => online(list, mark))
    await env.agent.reply(id, 'after the cut')
    await seen.until('the live reply', () => seen.texts().includes('after the cut'))
    expect(seen.texts()).toEqual(['before the cut', 'while away 1', 'while away 2', 'after the cut'])
    expect(seen.statuses().slice(-2)).toEqual(['reconnecting', 'online'])
    const page = await visitor.history(id)
    expect(page.messages.map((m) => m.text)).toEqual(seen.texts())
  })

  it('notices a half-open socket by its unanswered ping and reconnects', async () => {
    const visitor = transport({ keepalive: 150, timeout: 300 })
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    const mark = seen.events.length
    await env.proxy.freeze(session)
    await seen.until('reconnecting', (list) => list.slice(mark).some((e) => e.type === 'status' && e.status === 'reconnecting'))
    await seen.until('online again', (list) => online(list, mark))
    await env.agent.reply(id, 'heard after the freeze')
    await seen.until('the reply', () => seen.texts().includes('heard after the freeze'))
  })

  it('goes offline when the device does, and reconnects as soon as it is back online', async () => {
    const handlers = new Map<string, () => void>()
    const events: NetworkEvents = {
      addEventListener: (type, listener) => void handlers.set(type, listener),
      removeEventListener: (type) => void handlers.delete(type)
    }
    // Without the online event, the next attempt would wait a minute.
    const visitor = transport({ events, reconnect: { base: 60_000, cap: 60_000 } })
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    handlers.get('offline')!()
    await seen.until('offline', () => seen.statuses().includes('offline'))
    handlers.get('online')!()
    await seen.until('online again', () => seen.statuses().lastIndexOf('online') > seen.statuses().indexOf('offline'))
    expect(seen.statuses()).toEqual(['online', 'offline', 'reconnecting', 'online'])
    await env.agent.reply(id, 'back')
    await seen.until('the reply', () => seen.texts().includes('back'))
  })

  it('reports the agent typing, and shows the visitor typing to the agent', async () => {
    const visitor = transport()
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'chat' })
    const seen = record(visitor)
    await seen.until('online', (list) => online(list))
    await env.agent.typing(id, true)
    await seen.until('typing', (list) => list.some((e) => e.type === 'typing' && e.typing && e.author.role === 'agent'))
    await env.agent.typing(id, false)
    await seen.until('typing stopped', (list) => list.some((e) => e.type === 'typing' && !e.typing))
    await visitor.setTyping!(id, true)
    await expect.poll(() => env.agent.states.filter((s) => s.room === id).map((s) => s.state)).toEqual(['composing'])
    // The visitor's own chat state, echoed by the room, is not reported back to it.
    expect(seen.events.filter((e) => e.type === 'typing').length).toBe(2)
  })

  it('invites the configured agents into every new conversation', async () => {
    const visitor = transport()
    const session = await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    await expect.poll(() => env.agent.rooms.has(id)).toBe(true)
    await visitor.send(id, { clientId: crypto.randomUUID(), text: 'anyone there?' })
    await expect.poll(() => env.agent.seen.find((m) => m.room === id)).toMatchObject({ nick: session.visitorId, text: 'anyone there?' })
  })

  it('shows messages of a second session of the same visitor as the visitor’s, though it joined with another nick', async () => {
    const first = transport()
    const session = await first.connect({})
    const { id } = await first.createConversation({ mode: 'messaging', subject: 'Two tabs' })
    const seen = record(first)
    await seen.until('online', (list) => online(list))
    const second = transport()
    await second.connect({ resumeKey: session.resumeKey })
    expect(await second.getConversation(id)).toMatchObject({ id, mode: 'messaging', subject: 'Two tabs' })
    await second.send(id, { clientId: crypto.randomUUID(), text: 'from the other tab' })
    await seen.until('the other tab’s message', () => seen.texts().includes('from the other tab'))
    const message = seen.events.find((e) => e.type === 'message')
    expect(message?.type === 'message' && message.message.author).toEqual({ role: 'visitor', id: session.visitorId })
  })

  it('answers a cursor the archive does not know with not-found and status 410, so the client reloads the thread', async () => {
    const visitor = transport()
    await visitor.connect({})
    const { id } = await visitor.createConversation({ mode: 'messaging' })
    const error = (await visitor.history(id, { after: 'no-such-archive-id' }).catch((caught: unknown) => caught)) as ConfabError
    expect([error.code, error.status, error.retryable]).toEqual(['not-found', 410, false])
  })

  it('fails calls with closed after close(), and refuses options it cannot use', async () => {
    const visitor = transport()
    await visitor.connect({})
    visitor.close()
    await expect(visitor.listConversations()).rejects.toMatchObject({ code: 'closed' })
    expect(() => createXmppTransport({ url: '', domain: 'x' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
  })
})
