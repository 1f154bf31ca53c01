import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createConfabGifProvider } from '../../../src/gifs/confab.js'
import { startServer } from './helpers.js'

const folder = new URL('../../../examples/server/public/gifs/', import.meta.url)
const shipped = JSON.parse(readFileSync(new URL('gifs.json', folder), 'utf8')) as { id: string; file: string; still: string; width: number; height: number; tags: string[] }[]

/** Width, height and number of images of a GIF file, read from its blocks. */
function gifFacts(bytes: Buffer) {
  const signature = bytes.subarray(0, 6).toString('latin1')
  const width = bytes.readUInt16LE(6)
  const height = bytes.readUInt16LE(8)
  let at = 13 + (bytes[10]! & 0x80 ? 3 * (2 << (bytes[10]! & 7)) : 0)
  let images = 0
  while (bytes[at] !== 0x3b) {
    if (bytes[at] === 0x2c) {
      images++
      at += 10 + (bytes[at + 9]! & 0x80 ? 3 * (2 << (bytes[at + 9]! & 7)) : 0) + 1
    } else if (bytes[at] === 0x21) at += 2
    else throw new Error(`Unexpected block ${bytes[at]} at ${at}`)
    while (bytes[at]) at += bytes[at]! + 1
    at++
  }
  return { signature, width, height, images }
}

describe('the reference server’s GIFs', () => {
  it('ships 8 to 16 small animated GIFs of the sizes its index says, each with a still', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(8)
    expect(shipped.length).toBeLessThanOrEqual(16)
    for (const gif of shipped) {
      const bytes = readFileSync(new URL(gif.file, folder))
      expect(bytes.length, gif.file).toBeLessThan(10 * 1024)
      expect(gifFacts(bytes), gif.file).toMatchObject({ signature: 'GIF89a', width: gif.width, height: gif.height })
      expect(gifFacts(bytes).images, gif.file).toBeGreaterThan(1)
      expect(gifFacts(readFileSync(new URL(gif.still, folder))).images, gif.still).toBe(1)
    }
  })

  it('finds GIFs by the start of a tag or title word, tag matches first', async () => {
    const server = await startServer()
    const { status, body } = await server.call('GET', '/v1/gifs/search?q=Thank')
    expect(status).toBe(200)
    expect(body.results.map((gif: { id: string }) => gif.id)).toEqual(['thanks'])
    expect(body.results[0]).toEqual({
      id: 'thanks',
      title: 'Thanks with a beating heart',
      url: '/gifs/thanks.gif',
      width: 120,
      height: 80,
      preview: { url: '/gifs/thanks.gif', width: 120, height: 80 },
      still: { url: '/gifs/thanks-still.gif', width: 120, height: 80 }
    })
    const hello = await server.call('GET', '/v1/gifs/search?q=hello')
    expect(hello.body.results.map((gif: { id: string }) => gif.id)).toEqual(['hello', 'wave'])
  })

  it('lists every GIF for an empty query, a page at a time', async () => {
    const server = await startServer()
    const first = await server.call('GET', '/v1/gifs/search?q=&limit=6')
    expect(first.body.results).toHaveLength(6)
    expect(first.body.next).toBe('6')
    const second = await server.call('GET', `/v1/gifs/search?limit=6&cursor=${first.body.next}`)
    expect(second.body.results).toHaveLength(shipped.length - 6)
    expect(second.body.next).toBeNull()
    expect([...first.body.results, ...second.body.results].map((gif: { id: string }) => gif.id)).toEqual(shipped.map((gif) => gif.id))
  })

  it('answers a search that matches nothing with no results', async () => {
    const server = await startServer()
    const { status, body } = await server.call('GET', '/v1/gifs/search?q=zebra%20crossing')
    expect(status).toBe(200)
    expect(body).toEqual({ results: [], next: null })
  })

  it.each([
    ['limit=0', '"limit"'],
    ['limit=51', '"limit"'],
    ['limit=2.5', '"limit"'],
    ['cursor=-1', '"cursor"'],
    [`q=${'a'.repeat(101)}`, '"q"']
  ])('refuses %s with 400', async (query, named) => {
    const server = await startServer()
    const { status, body } = await server.call('GET', `/v1/gifs/search?${query}`)
    expect(status).toBe(400)
    expect(body.error.message).toContain(named)
  })

  it('lets any site search, and lets a browser keep the answer a while', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/v1/gifs/search?q=ok`, { headers: { origin: 'https://shop.example' } })
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
  })

  it('serves the files as image/gif, cached for a day, and nothing else from there', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/gifs/party.gif`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/gif')
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400')
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(new URL('party.gif', folder)))).toBe(true)
    expect((await fetch(`${server.url}/gifs/gifs.json`)).status).toBe(404)
    expect((await fetch(`${server.url}/gifs/..%2Fdemo.html`)).status).toBe(404)
  })

  it('is what createConfabGifProvider reads: absolute URLs on the server, stills included', async () => {
    const server = await startServer()
    const provider = createConfabGifProvider({ url: server.url })
    const page = await provider.search('party')
    expect(page).toEqual({
      results: [
        {
          id: 'party',
          provider: 'confab',
          title: 'Party confetti',
          url: `${server.url}/gifs/party.gif`,
          width: 120,
          height: 80,
          preview: { url: `${server.url}/gifs/party.gif`, width: 120, height: 80 },
          still: { url: `${server.url}/gifs/party-still.gif`, width: 120, height: 80 }
        }
      ],
      next: null
    })
    expect((await provider.trending!({ limit: 50 })).results).toHaveLength(shipped.length)
  })
})
