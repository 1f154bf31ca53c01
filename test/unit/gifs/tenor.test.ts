import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import type { ConfabError } from '../../../src/errors/index.js'
import { createTenorProvider } from '../../../src/gifs/index.js'
import { server, useServer } from '../transports/http-fixtures.js'
import { answer } from './answer.js'
import featured from './fixtures/tenor-featured.json' with { type: 'json' }
import search from './fixtures/tenor-search.json' with { type: 'json' }

useServer()

const SEARCH = 'https://tenor.googleapis.com/v2/search'
const FEATURED = 'https://tenor.googleapis.com/v2/featured'

const provider = (options: Partial<Parameters<typeof createTenorProvider>[0]> = {}) =>
  createTenorProvider({ key: 'SITE_KEY', onError: () => undefined, ...options })

describe('the Tenor provider', () => {
  it('asks search with the key, client key, limit, position, renditions, content filter and locale', async () => {
    const asked = answer(SEARCH, search)
    await provider({ clientKey: 'acme-shop', contentFilter: 'high' }).search('thank you!', { limit: 12, cursor: 'CAgQ', locale: 'de-AT' })
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({
      q: 'thank you!',
      key: 'SITE_KEY',
      client_key: 'acme-shop',
      limit: '12',
      pos: 'CAgQ',
      media_filter: 'gif,tinygif,tinygifpreview',
      contentfilter: 'high',
      locale: 'de_AT'
    })
  })

  it('caps a page at 50 results and filters content at medium unless told otherwise', async () => {
    const asked = answer(SEARCH, search)
    await provider().search('thanks', { limit: 500 })
    expect(asked[0]!.searchParams.get('limit')).toBe('50')
    expect(asked[0]!.searchParams.get('contentfilter')).toBe('medium')
    expect(asked[0]!.searchParams.get('client_key')).toBe('confab')
  })

  it('reads a result: its description as title, gif to send, tinygif to preview, its still and its tenor.com page', async () => {
    answer(SEARCH, search)
    const { results } = await provider().search('thanks')
    expect(results[0]).toEqual({
      id: '1784930277291624452',
      provider: 'tenor',
      title: 'A cat bows its head to say thank you',
      url: 'https://media.tenor.com/Ab3xJq0pQnUAAAAC/thank-you-cat.gif',
      width: 498,
      height: 373,
      preview: { url: 'https://media.tenor.com/Ab3xJq0pQnUAAAAM/thank-you-cat.gif', width: 220, height: 165 },
      still: { url: 'https://media.tenor.com/Ab3xJq0pQnUAAAAF/thank-you-cat.png', width: 220, height: 165 },
      source: 'https://tenor.com/view/thank-you-cat-bow-gif-1784930277291624452'
    })
  })

  it('takes the title when the description is blank', async () => {
    answer(SEARCH, search)
    const { results } = await provider().search('thanks')
    expect(results[1]!.title).toBe('Thanks')
  })

  it('leaves out results without an https gif and its dims, and reports them once', async () => {
    answer(SEARCH, search)
    const onError = vi.fn<(error: ConfabError) => void>()
    const { results } = await provider({ onError }).search('thanks')
    expect(results.map((gif) => gif.id)).toEqual(['1784930277291624452', '21648127'])
    expect(onError).toHaveBeenCalledOnce()
    expect(onError.mock.calls[0]![0]).toMatchObject({ code: 'malformed-event' })
    expect(onError.mock.calls[0]![0].message).toMatch(/2 result\(s\).*19287731.*17745902/)
  })

  it('gives the next page’s position as the cursor, and none when Tenor’s next is blank', async () => {
    answer(SEARCH, search)
    expect((await provider().search('thanks')).next).toBe('CAgQr9i0s8WBiQMaHgoKAD-_0V4pV8xPYBIQfWqFDaBWYd76Bo10AAAAADAI')
    answer(FEATURED, featured)
    expect((await provider().trending!()).next).toBeNull()
  })

  it('asks featured for what to show before a search', async () => {
    const asked = answer(FEATURED, featured)
    const { results } = await provider().trending!({ limit: 8 })
    expect(asked[0]!.searchParams.has('q')).toBe(false)
    expect(asked[0]!.searchParams.get('limit')).toBe('8')
    expect(results.map((gif) => gif.title)).toEqual(['A dog waves hello'])
  })

  it('says a refused key is unauthorized, without showing the key', async () => {
    answer(SEARCH, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }, { status: 403 })
    const error = (await provider().search('thanks').catch((e: unknown) => e)) as ConfabError
    expect(error).toMatchObject({ code: 'unauthorized', status: 403, retryable: false })
    expect(error.message).toBe('GET https://tenor.googleapis.com/v2/search answered 403: API key not valid. Please pass a valid API key.')
    expect(error.message).not.toContain('SITE_KEY')
  })

  it('says 429 is rate-limited and worth another try', async () => {
    answer(SEARCH, { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }, { status: 429 })
    await expect(provider().search('thanks')).rejects.toMatchObject({ code: 'rate-limited', retryable: true })
  })

  it('says a lost answer is a network failure worth another try', async () => {
    server.use(http.get(SEARCH, () => HttpResponse.error()))
    await expect(provider().search('thanks')).rejects.toMatchObject({ code: 'network', retryable: true })
  })

  it('rejects with closed when the search is aborted', async () => {
    server.use(http.get(SEARCH, () => new Promise<Response>(() => {})))
    const controller = new AbortController()
    const asked = provider().search('thanks', { signal: controller.signal })
    controller.abort()
    await expect(asked).rejects.toMatchObject({ code: 'closed' })
  })

  it('says an answer without results is malformed', async () => {
    answer(SEARCH, { next: '' })
    await expect(provider().search('thanks')).rejects.toMatchObject({ code: 'malformed-event' })
  })

  it('cannot be made without a key', () => {
    expect(() => createTenorProvider({ key: '' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
  })
})
