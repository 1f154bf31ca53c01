/**
 * `confab/media` in real Chromium, imported by its name as an app that draws its own UI imports it
 * (the package's exports lead to the built dist/: run `npm run build` first): photos it prepares lose
 * their EXIF, and what it prepares is what `client.send({ files })` takes.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser.js'
import { prepareWithExif } from './exif.js'
import { servePage } from './page-server.js'

let server: Awaited<ReturnType<typeof servePage>>
let browser: Browser
let page: Page
const pageErrors: Error[] = []

beforeAll(async () => {
  server = await servePage('media-entry-page.js', 'Headless media')
  browser = await launchChromium()
  page = await browser.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(server.url)
})

afterAll(async () => {
  await browser?.close()
  server?.close()
  expect(pageErrors).toEqual([])
})

describe('prepareFiles from confab/media, in Chromium', () => {
  it('leaves no EXIF in a JPEG that had some: no GPS position', async () => {
    const { before, after } = await prepareWithExif(page, 40, 20)
    expect(before.exif).toBe(true)
    expect(after.exif).toBe(false)
    expect(after.segments.filter((segment) => segment.marker === 'e1' || segment.gps)).toEqual([])
  })

  it('hands client.send a photo it sends as an image of the prepared size', async () => {
    const sent = await page.evaluate(() => (window as unknown as { sendPhoto(w: number, h: number): Promise<{ part: object; put: number }> }).sendPhoto(3000, 2000))
    expect(sent.part).toEqual({ type: 'image', name: 'photo.jpg', size: sent.put, mediaType: 'image/jpeg', width: 2048, height: 1365 })
  })
})
