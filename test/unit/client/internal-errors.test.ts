import { describe, expect, it, vi } from 'vitest'
import { createMemoryCache } from '../../../src/cache/memory.js'
import type { Cache } from '../../../src/cache/types.js'
import type { ConfabError } from '../../../src/errors/index.js'
import { createMemoryBackend } from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { createManualClock, recordingTransport, setup } from './helpers.js'

/** Ten minutes of backoff, run on the manual clock a step at a time, with the promises settling in between. */
async function waitLong(clock: ReturnType<typeof createManualClock>) {
  for (let i = 0; i < 600; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    clock.advance(1000)
  }
}

/** A client on a memory backend whose time moves only by hand, recording its errors. */
function client(options: Parameters<typeof setup>[0] = {}) {
  const clock = createManualClock()
  const made = setup({ timers: clock.timers, now: clock.now, ...options })
  const errors: ConfabError[] = []
  made.client.on('error', (error) => errors.push(error))
  return { ...made, clock, errors }
}

/** A cache whose `load` has a bug. */
const buggyCache = async (): Promise<Cache> => ({
  ...createMemoryCache(),
  load: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'messages')")
  }
})

describe('a bug inside the client', () => {
  it('reports a cache that throws as one internal error and does not retry the connection', async () => {
    const { client: c, transport, clock, errors } = client({ cache: buggyCache })
    const connects = vi.spyOn(transport, 'connect')
    await expect(c.connect()).rejects.toMatchObject({ code: 'internal', retryable: false })
    await waitLong(clock)
    expect(connects).toHaveBeenCalledTimes(1)
    expect(errors.map((e) => [e.code, e.retryable])).toEqual([['internal', false]])
    expect((errors[0]!.cause as Error).message).toMatch(/Cannot read properties/)
    expect(c.$status.get()).toBe('idle')
  })

  it('reports a store listener that throws as one internal error and does not retry the connection', async () => {
    const { client: c, transport, clock, errors } = client()
    const connects = vi.spyOn(transport, 'connect')
    c.$session.listen((session) => {
      if (session) throw new RangeError('a bug in the page’s own listener')
    })
    await expect(c.connect()).rejects.toMatchObject({ code: 'internal' })
    await waitLong(clock)
    expect(connects).toHaveBeenCalledTimes(1)
    expect(errors.map((e) => e.code)).toEqual(['internal'])
  })

  it('does not send again a message whose send threw a bug: it fails at once, once, and says so', async () => {
    const backend = createMemoryBackend()
    const recording = recordingTransport(backend)
    let sends = 0
    const transport: Transport = {
      ...recording.transport,
      async send() {
        sends++
        throw new ReferenceError('payload is not defined')
      }
    }
    const { client: c, clock, errors } = client({ backend, transport })
    await c.connect()
    const sent = c.send('Hello')
    await waitLong(clock)
    expect(await sent).toMatchObject({ text: 'Hello', status: 'failed' })
    expect(sends).toBe(1)
    expect(errors.map((e) => e.code)).toEqual(['internal'])
  })
})

describe('a listener of the client that throws', () => {
  it('does not lose the message it was told about: a throwing `sent` listener leaves it sent and stored, reported once', async () => {
    const { client: c, backend, errors } = client()
    c.on('sent', () => {
      throw new Error('the page’s analytics failed')
    })
    await c.connect()
    const sent = await c.send('Keep me')
    expect(sent.status).toBe('sent')
    expect(c.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([['Keep me', 'sent']])
    expect(backend.messages(c.$activeId.get()!).map((m) => m.text)).toEqual(['Keep me'])
    expect(errors.map((e) => [e.code, (e.cause as Error).message])).toEqual([['internal', 'the page’s analytics failed']])
  })

  it('does not lose the message it was told about: a throwing `message` listener still shows the reply, reported once', async () => {
    const { client: c, backend, errors } = client()
    const heard: string[] = []
    c.on('message', () => {
      throw new Error('the page’s notification failed')
    })
    c.on('message', (m) => heard.push(m.text))
    await c.connect()
    await c.send('Hello')
    backend.reply(c.$activeId.get()!, 'Hi, how can I help?')
    await vi.waitFor(() => expect(c.$activeMessages.get().map((m) => m.text)).toEqual(['Hello', 'Hi, how can I help?']))
    expect(heard).toEqual(['Hi, how can I help?'])
    expect(errors.map((e) => e.code)).toEqual(['internal'])
  })

  it('reports a throwing `error` listener on a microtask instead of looping through the error event', async () => {
    const { client: c } = client()
    const calls: string[] = []
    const thrown: unknown[] = []
    const onUncaught = (error: unknown) => thrown.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      c.on('error', (error) => {
        calls.push(error.code)
        throw new Error('the error listener’s own bug')
      })
      c.on('sent', () => {
        throw new Error('the sent listener’s bug')
      })
      await c.connect()
      await c.send('Hello')
      await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      process.off('uncaughtException', onUncaught)
    }
    expect(calls).toEqual(['internal'])
    expect(thrown.map((e) => (e as Error).message)).toEqual(['the error listener’s own bug'])
  })
})

describe('a real network failure', () => {
  it('is still retried when sending, with the same client id, until it goes through', async () => {
    const backend = createMemoryBackend()
    const recording = recordingTransport(backend)
    let failures = 2
    const transport: Transport = {
      ...recording.transport,
      send(id, message, options) {
        // What `fetch` rejects with when the request got no answer.
        if (failures-- > 0) return Promise.reject(new TypeError('Failed to fetch'))
        return recording.transport.send(id, message, options)
      }
    }
    const { client: c, clock, errors } = client({ backend, transport })
    await c.connect()
    const sent = c.send('Through in the end')
    await waitLong(clock)
    expect(await sent).toMatchObject({ status: 'sent' })
    expect(recording.sends.map((m) => m.text)).toEqual(['Through in the end'])
    expect(errors).toEqual([])
  })

  it('is still retried when connecting, reported as network each time', async () => {
    const { client: c, transport, clock, errors } = client()
    const real = transport.connect.bind(transport)
    let calls = 0
    transport.connect = async (input) => {
      // A socket that closed before the session started.
      if (++calls < 3) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
      return real(input)
    }
    const connected = c.connect()
    await waitLong(clock)
    await connected
    expect(calls).toBe(3)
    expect(errors.map((e) => [e.code, e.retryable])).toEqual([
      ['network', true],
      ['network', true]
    ])
  })
})
