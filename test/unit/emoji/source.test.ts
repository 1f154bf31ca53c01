import { afterEach, describe, expect, it, vi } from 'vitest'
import { isConfabError } from '../../../src/errors/index.js'
import { fetchEmojiData } from '../../../src/ui/emoji/fetch.js'
import * as module from '../../../src/ui/emoji/module.js'
import { createEmojiSource } from '../../../src/ui/emoji/source.js'
import type { EmojiData } from '../../../src/ui/emoji/types.js'

const data: EmojiData = { format: 1, groups: [{ key: 'activities', emoji: [['🎉', 'party popper', 'tada', 'celebration']] }] }

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the emoji source', () => {
  it('loads the picker’s code and the data once, and answers from memory after', async () => {
    const loadModule = vi.fn(async () => module)
    const loadData = vi.fn(async () => data)
    const emoji = createEmojiSource({ loadModule, loadData })
    const [first, second] = await Promise.all([emoji(), emoji()])
    expect(first.index.byShortcode('tada')?.emoji).toBe('🎉')
    expect(await emoji()).toBe(first)
    expect(second).toBe(first)
    expect(loadModule).toHaveBeenCalledTimes(1)
    expect(loadData).toHaveBeenCalledTimes(1)
  })

  it('forgets a load that failed, so that asking again retries', async () => {
    const loadData = vi.fn<() => Promise<EmojiData>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(data)
    const emoji = createEmojiSource({ loadModule: async () => module, loadData })
    await expect(emoji()).rejects.toThrow('offline')
    expect((await emoji()).index.groups[0]!.emoji).toHaveLength(1)
  })

  it('fetches the data from the address it is given', async () => {
    const fetch = vi.fn(async () => Response.json(data))
    vi.stubGlobal('fetch', fetch)
    const { index } = await createEmojiSource({ dataUrl: 'https://cdn.example.com/emoji.json', loadModule: async () => module })()
    expect(fetch).toHaveBeenCalledWith('https://cdn.example.com/emoji.json')
    expect(index.search('party')[0]!.emoji).toBe('🎉')
  })
})

describe('fetching the emoji data', () => {
  it('fails with a retryable network error that names the address when the file is missing', async () => {
    vi.stubGlobal('fetch', async () => new Response('Not found', { status: 404 }))
    const error = await fetchEmojiData('/confab-emoji.json').catch((caught: unknown) => caught)
    expect(isConfabError(error) && error.code === 'network' && error.retryable).toBe(true)
    expect((error as Error).message).toContain('/confab-emoji.json')
  })

  it('fails when what comes is no emoji data of this format', async () => {
    vi.stubGlobal('fetch', async () => Response.json({ format: 2, groups: [] }))
    await expect(fetchEmojiData('/confab-emoji.json')).rejects.toThrow('Could not load the emoji data')
    vi.stubGlobal('fetch', async () => new Response('<!doctype html>', { status: 200 }))
    await expect(fetchEmojiData('/confab-emoji.json')).rejects.toThrow('Could not load the emoji data')
  })
})
