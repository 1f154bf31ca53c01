// @ts-check
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { badRequest } from '../http.js'

/** @typedef {import('../router.js').Route} Route */

const folder = fileURLToPath(new URL('../public/gifs/', import.meta.url))

/**
 * One GIF of `public/gifs/gifs.json` (written by `gifs/make.js`).
 * @typedef {{ id: string, title: string, tags: string[], file: string, still: string, width: number, height: number }} ShippedGif
 */

/** Results a page holds unless asked otherwise, and at most. */
const DEFAULT_LIMIT = 24
const MAX_LIMIT = 50

/** The longest query searched. */
const MAX_QUERY = 100

/** Words of `text`, lower case. @param {string} text */
const words = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)

/**
 * The GIFs this server ships, searched by their titles and tags, so the widget's GIF picker works
 * without a third party or the internet:
 *
 * - `GET /v1/gifs/search?q=…&limit=…&cursor=…`: the GIFs every word of `q` starts a word of (in
 *   their title or tags), those with a matching tag first; an empty `q` lists them all (what the
 *   picker shows before anything is typed). `{ results: [{ id, title, url, width, height, preview,
 *   still }], next }`, URLs relative to this server; `next` is the `cursor` of the next page, or
 *   `null`. Public, like the files: no session needed.
 * - `GET /gifs/:file`: the files, cached for a day.
 *
 * @returns {Route[]}
 */
export function gifRoutes() {
  /** @type {ShippedGif[]} */
  const gifs = JSON.parse(fs.readFileSync(`${folder}gifs.json`, 'utf8'))
  const files = new Set(gifs.flatMap((gif) => [gif.file, gif.still]))
  const indexed = gifs.map((gif) => ({ gif, tags: gif.tags.flatMap(words), title: words(gif.title) }))

  return [
    {
      method: 'GET',
      path: '/v1/gifs/search',
      api: 'page',
      handle({ query }) {
        const q = query.get('q') ?? ''
        if (q.length > MAX_QUERY) throw badRequest(`"q" is longer than ${MAX_QUERY} characters`)
        const limitText = query.get('limit')
        const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText)
        if (!/^\d+$/.test(limitText ?? '0') || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
          throw badRequest(`"limit" must be a whole number from 1 to ${MAX_LIMIT}`)
        }
        const cursor = query.get('cursor') ?? '0'
        if (!/^\d{1,6}$/.test(cursor)) throw badRequest('"cursor" must be the "next" of an earlier page')
        const offset = Number(cursor)
        const asked = words(q)
        const found = indexed
          .map(({ gif, tags, title }) => {
            const starts = (/** @type {string} */ word) => [...tags, ...title].some((known) => known.startsWith(word))
            if (!asked.every(starts)) return undefined
            return { gif, rank: asked.filter((word) => tags.includes(word)).length }
          })
          .filter((hit) => hit !== undefined)
          // Stable: GIFs that rank the same keep the index's order.
          .sort((a, b) => b.rank - a.rank)
        const page = found.slice(offset, offset + limit)
        const at = (/** @type {string} */ file) => `/gifs/${file}`
        return {
          status: 200,
          // Searches change only with the shipped files.
          headers: { 'cache-control': 'public, max-age=300' },
          body: {
            results: page.map(({ gif }) => ({
              id: gif.id,
              title: gif.title,
              url: at(gif.file),
              width: gif.width,
              height: gif.height,
              preview: { url: at(gif.file), width: gif.width, height: gif.height },
              still: { url: at(gif.still), width: gif.width, height: gif.height }
            })),
            next: offset + limit < found.length ? String(offset + limit) : null
          }
        }
      }
    },
    {
      method: 'GET',
      path: '/gifs/:file',
      api: 'page',
      async handle({ params, res }) {
        const file = params.file ?? ''
        const image = files.has(file) ? await fs.promises.readFile(folder + file).catch(() => undefined) : undefined
        if (!image) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' }).end('No such GIF\n')
          return
        }
        res
          .writeHead(200, {
            'content-type': 'image/gif',
            'content-length': image.length,
            'cache-control': 'public, max-age=86400',
            // Shown in the widget on any site that embeds it, and in the agent console.
            'cross-origin-resource-policy': 'cross-origin'
          })
          .end(image)
      }
    }
  ]
}
