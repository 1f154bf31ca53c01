import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import { createGiphyProvider } from '../../../src/gifs/index.js'
import { server, useServer } from '../transports/http-fixtures.js'
import { answer } from './answer.js'
import search from './fixtures/giphy-search.json' with { type: 'json' }
import synthetic from './fixtures/giphy-synthetic.json' with { type: 'json' }
import trending from './fixtures/giphy-trending.json' with { type: 'json' }

useServer()

const SEARCH = 'https://api.giphy.com/v1/gifs/search'
const TRENDING = 'https://api.giphy.com/v1/gifs/trending'

const provider = (options: Partial<Parameters<typeof createGiphyProvider>[0]> = {}) =>
  createGiphyProvider({ key: 'SITE_KEY', onError: () => undefined, ...options })

describe('the GIPHY provider', () => {
  it('asks search with the key, query, limit, offset, rating and language', async () => {
    const asked = answer(SEARCH, search)
    await provider({ rating: 'pg' }).search('thank you', { limit: 10, cursor: '20', locale: 'pt-BR' })
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({
      api_key: 'SITE_KEY',
      q: 'thank you',
      limit: '10',
      offset: '20',
      rating: 'pg',
      lang: 'pt'
    })
  })

  it('starts at offset 0, rated g, unless told otherwise', async () => {
    const asked = answer(SEARCH, search)
    await provider().search('thanks')
    expect(asked[0]!.searchParams.get('offset')).toBe('0')
    expect(asked[0]!.searchParams.get('rating')).toBe('g')
    expect(asked[0]!.searchParams.get('limit')).toBe('24')
  })

  it('reads a GIF: alt text as title, original to send, fixed_width_small to preview, its still and its giphy.com page', async () => {
    answer(SEARCH, search)
    const { results } = await provider().search('thanks')
    expect(results[0]).toEqual({
      id: '3oEjI6SIIHBdRxXI40',
      provider: 'giphy',
      title: 'A man in a suit smiles and says thank you',
      url: 'https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/3oEjI6SIIHBdRxXI40/giphy.gif?cid=790b7611&rid=giphy.gif&ct=g',
      width: 480,
      height: 270,
      preview: { url: 'https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/3oEjI6SIIHBdRxXI40/100w.gif?cid=790b7611&rid=100w.gif&ct=g', width: 100, height: 56 },
      still: { url: 'https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/3oEjI6SIIHBdRxXI40/100w_s.gif?cid=790b7611&rid=100w_s.gif&ct=g', width: 100, height: 56 },
      source: 'https://giphy.com/gifs/thank-you-thanks-3oEjI6SIIHBdRxXI40'
    })
  })

  it('takes the title when there is no alt text, and has no still when GIPHY sent none', async () => {
    answer(SEARCH, search)
    const { results } = await provider().search('thanks')
    expect(results[1]!.title).toBe('Thanks GIF')
    expect(results[1]!.still).toBeUndefined()
  })

  it('leaves out GIFs without a size or an https URL, and reports them once', async () => {
    answer(SEARCH, search)
    const onError = vi.fn<(error: ConfabError) => void>()
    const { results } = await provider({ onError }).search('thanks')
    expect(results.map((gif) => gif.id)).toEqual(['3oEjI6SIIHBdRxXI40', 'l4FGGafcOHmrlQxG0'])
    expect(onError).toHaveBeenCalledOnce()
    expect(onError.mock.calls[0]![0]).toMatchObject({ code: 'malformed-event' })
    expect(onError.mock.calls[0]![0].message).toMatch(/xT9IgG50Fb7Mi0prBC.*26gsjCZpPolPr3sBy/)
  })

  it('pages by offset until the total is reached', async () => {
    answer(SEARCH, search)
    expect((await provider().search('thanks')).next).toBe('4')
    answer(SEARCH, { ...search, pagination: { total_count: 24, count: 4, offset: 20 } })
    expect((await provider().search('thanks', { cursor: '20' })).next).toBeNull()
  })

  it('asks trending before a search, and pages it while pages come full', async () => {
    const asked = answer(TRENDING, trending)
    const page = await provider().trending!({ limit: 1 })
    expect(asked[0]!.searchParams.has('q')).toBe(false)
    expect(page.results.map((gif) => gif.title)).toEqual(['A cartoon bear waves hello'])
    expect(page.next).toBe('1')
    answer(TRENDING, trending)
    expect((await provider().trending!({ limit: 5 })).next).toBeNull()
  })

  it('takes GIPHY’s stand-in answer for the failure it is', async () => {
    answer(SEARCH, synthetic)
    await expect(provider().search('thanks')).rejects.toMatchObject({ code: 'http', retryable: true })
  })

  it('says a refused key is unauthorized, without showing the key', async () => {
    answer(SEARCH, { meta: { status: 401, msg: 'Unauthorized', response_id: '' } }, { status: 401 })
    const error = (await provider().search('thanks').catch((e: unknown) => e)) as ConfabError
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 })
    expect(error.message).toBe('GET https://api.giphy.com/v1/gifs/search answered 401: Unauthorized')
    expect(error.message).not.toContain('SITE_KEY')
  })

  it('says an answer that is not JSON is malformed', async () => {
    server.use(http.get(SEARCH, () => new HttpResponse('<html>Bad gateway</html>', { headers: { 'content-type': 'text/html' } })))
    await expect(provider().search('thanks')).rejects.toMatchObject({ code: 'malformed-event' })
  })
})
