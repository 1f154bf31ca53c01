import { describe, expect, it } from 'vitest'
import { isConfabError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/transports/memory/index.js'

/** A backend whose clock advances one ms per reading, so every message has its own time. */
function ticking() {
  let time = 1_767_225_600_000
  return createMemoryBackend({ now: () => time++ })
}

describe('memory transport: archive search', () => {
  it('finds the visitor’s messages by the reference server’s rules, newest first', async () => {
    const backend = ticking()
    const transport = createMemoryTransport({ backend })
    const stranger = createMemoryTransport({ backend })
    await transport.connect({})
    await stranger.connect({})
    const mine = await transport.createConversation({ mode: 'messaging' })
    const theirs = await stranger.createConversation({ mode: 'messaging' })
    await transport.send(mine.id, { clientId: 'k1', text: 'Crème brûlée order' })
    await stranger.send(theirs.id, { clientId: 'k2', text: 'creme brulee order' })
    backend.reply(mine.id, '明日東京で crème')
    await transport.send(mine.id, { clientId: 'k3', text: 'the ordering page' })

    const texts = async (query: string, options?: { conversationId?: string; limit?: number }) =>
      (await transport.searchArchive!(query, options)).map((hit) => hit.message.text)
    expect(transport.capabilities.search).toBe(true)
    expect(await texts('CREME')).toEqual(['明日東京で crème', 'Crème brûlée order'])
    expect(await texts('creme ord')).toEqual(['Crème brûlée order'])
    expect(await texts('order')).toEqual(['the ordering page', 'Crème brûlée order'])
    expect(await texts('order creme')).toEqual(['Crème brûlée order'])
    expect(await texts('"the order"')).toEqual(['the ordering page'])
    expect(await texts('東京')).toEqual(['明日東京で crème'])
    expect(await texts('creme', { limit: 1 })).toEqual(['明日東京で crème'])
  })

  it('refuses an empty query with 400 and someone else’s conversation with not-found', async () => {
    const backend = ticking()
    const transport = createMemoryTransport({ backend })
    const stranger = createMemoryTransport({ backend })
    await transport.connect({})
    await stranger.connect({})
    const theirs = await stranger.createConversation({ mode: 'chat' })
    const empty = await transport.searchArchive!('').catch((error: unknown) => error)
    expect(isConfabError(empty) && { code: empty.code, status: empty.status }).toEqual({ code: 'http', status: 400 })
    const foreign = await transport.searchArchive!('hi', { conversationId: theirs.id }).catch((error: unknown) => error)
    expect(isConfabError(foreign) && foreign.code).toBe('not-found')
  })
})
