import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, type Client, type ClientOptions } from '../../../src/client/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../../src/testing/index.js'
import { createDevice, instantTimers } from './helpers.js'

const open: Client[] = []
afterEach(() => {
  for (const client of open.splice(0)) client.transport.close()
})

/** Pages of one site on one device, on one backend. */
function createSite(site = `site-${Math.random().toString(36).slice(2)}`) {
  const device = createDevice()
  const backend = createMemoryBackend()
  const page = (options: Partial<ClientOptions> = {}) => {
    const client = createClient({ transport: createMemoryTransport({ backend }), site, storage: device.storage, cache: null, timers: instantTimers, isVisible: () => true, ...options })
    open.push(client)
    return client
  }
  return { device, page, key: `confab:${site}:emoji` }
}

describe('recently used emoji', () => {
  it('come most recent first, each once, 24 at most', () => {
    const client = createSite().page()
    for (let i = 0; i < 30; i++) client.emojiUsed(String.fromCodePoint(0x1f600 + i))
    client.emojiUsed('😃')
    const recent = client.$recentEmoji.get()
    expect(recent).toHaveLength(24)
    expect(recent.slice(0, 2)).toEqual(['😃', String.fromCodePoint(0x1f600 + 29)])
    expect(recent.filter((emoji) => emoji === '😃')).toHaveLength(1)
  })

  it('are kept on the device for the next page of the site', () => {
    const site = createSite()
    site.page().emojiUsed('🎉')
    expect(site.page().$recentEmoji.get()).toEqual(['🎉'])
  })

  it('are kept in memory only when the site keeps no key on the device', () => {
    const site = createSite()
    site.page({ resumeKeyStore: null }).emojiUsed('🎉')
    expect(site.device.data.has(site.key)).toBe(false)
  })

  it('start empty when what the device holds is not a list of emoji', () => {
    const site = createSite()
    site.device.data.set(site.key, '{not json')
    expect(site.page().$recentEmoji.get()).toEqual([])
    site.device.data.set(site.key, JSON.stringify(['👍', 3, '']))
    expect(site.page().$recentEmoji.get()).toEqual(['👍'])
  })

  it('go with the person’s data on shutdown', async () => {
    const site = createSite()
    const client = site.page()
    await client.send('hello')
    client.emojiUsed('👍')
    await client.shutdown()
    expect(client.$recentEmoji.get()).toEqual([])
    expect(site.device.data.has(site.key)).toBe(false)
  })

  it('go when the chat is ended', async () => {
    const site = createSite()
    const client = site.page({ mode: 'chat' })
    await client.send('quick question')
    client.emojiUsed('👍')
    await client.endChat()
    expect(client.$recentEmoji.get()).toEqual([])
    expect(site.device.data.has(site.key)).toBe(false)
  })

  it('go from the other pages of the site when one shuts down', async () => {
    const site = createSite()
    const first = site.page()
    await first.send('hello')
    const second = site.page()
    await second.connect()
    first.emojiUsed('👍')
    second.emojiUsed('🎉')
    await first.shutdown()
    await vi.waitFor(() => expect(second.$recentEmoji.get()).toEqual([]))
  })
})
