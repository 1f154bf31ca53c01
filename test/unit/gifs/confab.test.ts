import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createConfabGifProvider, gifProviderFrom } from '../../../src/gifs/index.js'
import { server, useServer } from '../transports/http-fixtures.js'

useServer()

const party = (url: string) => ({ id: 'party', title: 'Party', url, width: 120, height: 80, preview: { url, width: 120, height: 80 } })

describe('the backend’s own GIF provider', () => {
  it('resolves URLs against an https backend and leaves out what is not https', async () => {
    server.use(
      http.get('https://chat.example.com/base/v1/gifs/search', () =>
        HttpResponse.json({ results: [party('/gifs/party.gif'), party('http://cdn.example.com/party.gif')], next: null })
      )
    )
    const onError = vi.fn()
    const { results } = await createConfabGifProvider({ url: 'https://chat.example.com/base', onError }).search('party')
    expect(results.map((gif) => gif.url)).toEqual(['https://chat.example.com/gifs/party.gif'])
    expect(onError).toHaveBeenCalledOnce()
  })

  it('asks with q empty for what to show before a search', async () => {
    const asked: URL[] = []
    server.use(
      http.get('https://chat.example.com/v1/gifs/search', ({ request }) => {
        asked.push(new URL(request.url))
        return HttpResponse.json({ results: [], next: null })
      })
    )
    await createConfabGifProvider({ url: 'https://chat.example.com' }).trending!({ limit: 6, cursor: '12' })
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({ q: '', limit: '6', cursor: '12' })
  })
})

describe('the script tag’s gifs option', () => {
  it('names Tenor, GIPHY or the backend’s own GIFs, at the widget’s url unless it names another', () => {
    expect(gifProviderFrom({ provider: 'tenor', key: 'k' }).name).toBe('tenor')
    expect(gifProviderFrom({ provider: 'giphy', key: 'k' }).attribution).toBe('Powered by GIPHY')
    expect(gifProviderFrom({ provider: 'confab' }, 'https://chat.example.com').name).toBe('confab')
  })

  it('refuses an unknown provider, and Tenor or GIPHY without a key', () => {
    expect(() => gifProviderFrom({ provider: 'imgur' as 'tenor' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
    expect(() => gifProviderFrom({ provider: 'giphy' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
    expect(() => gifProviderFrom({ provider: 'confab' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
  })
})
