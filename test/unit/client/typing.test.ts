import { describe, expect, it, vi } from 'vitest'
import { createError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { writable } from '../../stores.js'
import { createGate, createManualClock, setup } from './helpers.js'
import { leaderAndFollower } from './tabs-helpers.js'

/**
 * A client in a conversation the visitor started, on a memory transport whose `setTyping` calls
 * are recorded (`told`, as `'c… true'`) and can be held or made to fail; time is the test's.
 */
async function typist(change: (transport: Transport) => Transport = (t) => t) {
  const clock = createManualClock()
  const backend = createMemoryBackend()
  const inner = createMemoryTransport({ backend })
  const told: boolean[] = []
  const gate = createGate()
  let failure: Error | undefined
  const transport = change({
    ...inner,
    async setTyping(id, typing) {
      told.push(typing)
      return gate.through(() => {
        if (failure) throw failure
        return inner.setTyping!(id, typing)
      })
    }
  })
  const { client } = setup({ backend, transport, timers: clock.timers, now: clock.now })
  await client.send('Hello')
  const id = client.$activeId.get()!
  await vi.waitFor(() => expect(client.$status.get()).toBe('online'))
  const errors: string[] = []
  client.on('error', (error) => errors.push(error.message))
  return {
    client,
    backend,
    clock,
    id,
    told,
    errors,
    /** Let what the client started settle (the memory transport answers on a microtask). */
    settle: () => new Promise((resolve) => setTimeout(resolve, 0)),
    /** `setTyping` waits until the returned function is called. */
    hold: gate.hold,
    fail: (error: Error | undefined) => (failure = error)
  }
}

describe('the visitor typing', () => {
  it('is told to the backend on the first key', async () => {
    const { client, backend, id, told } = await typist()
    client.typing()
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(true))
    expect(told).toEqual([true])
  })

  it('is not told again for keys within 3 s', async () => {
    const { client, clock, told, settle } = await typist()
    client.typing()
    for (let i = 0; i < 5; i++) {
      clock.advance(500)
      client.typing()
    }
    await settle()
    expect(told).toEqual([true])
  })

  it('is told again every 3 s while keys keep coming, so one lost on the way is made good', async () => {
    const { client, clock, told, settle } = await typist()
    for (let i = 0; i <= 13; i++) {
      client.typing()
      clock.advance(500)
      await settle()
    }
    // Keys over 7 s: at 0, 3 and 6 s.
    expect(told).toEqual([true, true, true])
  })

  it('stops after 5 s without a key', async () => {
    const { client, backend, clock, id, told, settle } = await typist()
    client.typing()
    await settle()
    clock.advance(4999)
    await settle()
    expect(told).toEqual([true])
    clock.advance(1)
    await vi.waitFor(() => expect(told).toEqual([true, false]))
    expect(backend.visitorTyping(id)).toBe(false)
  })

  it('stops when the visitor sends', async () => {
    const { client, backend, id, told, settle } = await typist()
    client.typing()
    await settle()
    await client.send('There')
    await vi.waitFor(() => expect(told).toEqual([true, false]))
    expect(backend.visitorTyping(id)).toBe(false)
  })

  it('stops once on stopTyping() (the field lost focus, the draft was emptied), and again only after more keys', async () => {
    const { client, told, settle } = await typist()
    client.typing()
    client.stopTyping()
    client.stopTyping()
    await settle()
    expect(told).toEqual([true, false])
    client.typing()
    await settle()
    expect(told).toEqual([true, false, true])
  })

  it('stops in a thread when another opens', async () => {
    const { client, id, told, settle } = await typist()
    client.typing()
    await settle()
    await client.openConversation(null)
    await settle()
    expect(told).toEqual([true, false])
    expect(client.$activeId.get()).not.toBe(id)
  })

  it('goes to the backend one call at a time, in the order it was said, so a slow "typing" is not overtaken by its "stopped"', async () => {
    const { client, backend, id, told, hold, settle } = await typist()
    const release = hold()
    client.typing()
    client.stopTyping()
    await settle()
    expect(told).toEqual([true])
    release()
    await vi.waitFor(() => expect(told).toEqual([true, false]))
    expect(backend.visitorTyping(id)).toBe(false)
  })

  it('is said nowhere when the transport does not declare typing', async () => {
    const { client, told, settle } = await typist((t) => ({ ...t, capabilities: { ...t.capabilities, typing: false } }))
    client.typing()
    client.stopTyping()
    await settle()
    expect(told).toEqual([])
  })

  it('is said nowhere while offline, and nothing waits to be said later', async () => {
    const { client, told, settle } = await typist()
    writable(client.$status).set('offline')
    client.typing()
    client.stopTyping()
    writable(client.$status).set('online')
    await settle()
    expect(told).toEqual([])
  })

  it('is said nowhere in a closed conversation', async () => {
    const { client, backend, id, told, settle } = await typist()
    backend.closeConversation(id)
    await vi.waitFor(() => expect(client.$active.get()?.status).toBe('closed'))
    client.typing()
    await settle()
    expect(told).toEqual([])
  })

  it('that fails to reach the backend is reported as an error, never thrown, and shows nowhere', async () => {
    const { client, told, errors, fail, settle } = await typist()
    fail(createError('http', 'POST /typing answered 500', { status: 500 }))
    expect(() => client.typing()).not.toThrow()
    await settle()
    expect(told).toEqual([true])
    expect(errors).toEqual(['POST /typing answered 500'])
    expect(client.$activeMessages.get().map((m) => [m.text, m.status])).toEqual([['Hello', 'sent']])
  })
})

describe("the agent's typing indicator", () => {
  it('hides 7 s after the last "typing", when the "stopped" was lost', async () => {
    const { client, backend, clock, id } = await typist()
    backend.typing(id, true)
    await vi.waitFor(() => expect(client.$typing.get()[id]?.role).toBe('agent'))
    clock.advance(6999)
    expect(client.$typing.get()[id]?.role).toBe('agent')
    clock.advance(1)
    expect(client.$typing.get()[id]).toBeUndefined()
  })

  it('stays while "typing" keeps coming', async () => {
    const { client, backend, clock, id } = await typist()
    for (let i = 0; i < 4; i++) {
      backend.typing(id, true)
      await vi.waitFor(() => expect(client.$typing.get()[id]?.role).toBe('agent'))
      clock.advance(3000)
    }
    expect(client.$typing.get()[id]?.role).toBe('agent')
  })

  it('hides when their message arrives', async () => {
    const { client, backend, id } = await typist()
    backend.typing(id, true)
    await vi.waitFor(() => expect(client.$typing.get()[id]?.role).toBe('agent'))
    backend.reply(id, 'Answer')
    await vi.waitFor(() => expect(client.$typing.get()[id]).toBeUndefined())
  })

  it('hides when they stop', async () => {
    const { client, backend, id } = await typist()
    backend.typing(id, true)
    await vi.waitFor(() => expect(client.$typing.get()[id]?.role).toBe('agent'))
    backend.typing(id, false)
    await vi.waitFor(() => expect(client.$typing.get()[id]).toBeUndefined())
  })
})

describe('the visitor typing with several tabs open', () => {
  it('is told by the tab where they type, though another tab leads', async () => {
    const { leader, follower, conversation } = await leaderAndFollower()
    const fromLeader = vi.spyOn(leader.transport, 'setTyping')
    const fromFollower = vi.spyOn(follower.transport, 'setTyping')
    await vi.waitFor(() => expect(follower.client.$status.get()).toBe('online'))
    follower.client.typing()
    await vi.waitFor(() => expect(fromFollower).toHaveBeenCalledWith(conversation.id, true))
    expect(fromLeader).not.toHaveBeenCalled()
  })
})
