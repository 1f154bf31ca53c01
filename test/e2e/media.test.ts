import type { Browser, BrowserContextOptions, JSHandle, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MessageContent } from '../../src/transports/types.js'
import { axeViolations } from './axe.js'
import { prepareWithExif } from './exif.js'
import { launchChromium } from './browser.js'
import { servePage } from './page-server.js'

// Media in real Chromium, through the built widget (run `npm run build` first): photos lose their
// EXIF on the device, pasted and dropped images wait in the composer, the viewer works by keyboard
// alone, a GIF stays still for those who asked for less motion, an image's place is kept while it
// loads, and axe finds nothing wrong with media on screen.

/**
 * An animated GIF of `frames` (one colour each, 100 ms apiece, looping for ever). Its pixels are
 * coded without compression: a clear code before every two pixels keeps LZW codes 3 bits wide.
 */
function animatedGif(width: number, height: number, frames: [number, number, number][]): Buffer {
  const out: number[] = []
  const word = (n: number) => out.push(n & 255, n >> 8)
  out.push(...Buffer.from('GIF89a'))
  word(width)
  word(height)
  // A global colour table of four entries.
  out.push(0x81, 0, 0)
  for (let i = 0; i < 4; i++) out.push(...(frames[i] ?? [0, 0, 0]))
  out.push(0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0, 0, 0)
  frames.forEach((_, colour) => {
    out.push(0x21, 0xf9, 0x04, 0x00, 10, 0, 0, 0)
    out.push(0x2c)
    ;[0, 0, width, height].forEach(word)
    out.push(0, 2)
    const codes: number[] = []
    for (let pixel = 0; pixel < width * height; pixel++) codes.push(...(pixel % 2 ? [colour] : [4, colour]))
    codes.push(5)
    const data: number[] = []
    let bits = 0
    let filled = 0
    for (const code of codes) {
      bits |= code << filled
      filled += 3
      while (filled >= 8) {
        data.push(bits & 255)
        bits >>= 8
        filled -= 8
      }
    }
    if (filled) data.push(bits)
    for (let at = 0; at < data.length; at += 255) out.push(Math.min(255, data.length - at), ...data.slice(at, at + 255))
    out.push(0)
  })
  out.push(0x3b)
  return Buffer.from(out)
}

const RED: [number, number, number] = [255, 0, 0]
const BLUE: [number, number, number] = [0, 0, 255]
const PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#4a7"/></svg>'

let server: Awaited<ReturnType<typeof servePage>>
let url: string
let browser: Browser
const pageErrors: Error[] = []

beforeAll(async () => {
  server = await servePage('rich-page.js', 'Media', {
    '/dance.gif': ['image/gif', animatedGif(40, 40, [RED, BLUE])],
    '/picture.svg': ['image/svg+xml', Buffer.from(PICTURE)]
  })
  url = server.url
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  server?.close()
  expect(pageErrors).toEqual([])
})

/** Start a conversation as the visitor, then post `posts` into it (see rich-page.js). */
const post = (page: Page, posts: unknown[]) => page.evaluate((list) => (window as unknown as { post(list: unknown[]): Promise<void> }).post(list), posts)

/** The widget on a backend whose transport takes uploads, its pane open on a conversation with `messages` from a bot. */
async function open(messages: MessageContent[] = [], options: BrowserContextOptions = {}): Promise<Page> {
  const page = await browser.newPage(options)
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(`${url}/?uploads`)
  await page.getByTestId('launcher').click()
  await page.getByTestId('attach').waitFor()
  const posts = messages.map((content) => ({ content, author: { role: 'bot', name: 'Bot' } }))
  await post(page, posts)
  await page.locator('[data-testid="message"]').nth(messages.length).waitFor()
  return page
}

/** What has focus in the widget's shadow root, by its test id, tag or class. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('[data-confab]')!.shadowRoot!.activeElement as HTMLElement | null
    return active ? active.dataset.testid ?? `${active.tagName.toLowerCase()}.${active.className}` : null
  })

/** A DataTransfer in the page holding an image of `width` × `height` named `name`, as a photo or a screenshot would be. */
const imageTransfer = (page: Page, name: string, type: string, width = 64, height = 48) =>
  page.evaluateHandle(
    async ({ name, type, width, height }) => {
      const canvas = new OffscreenCanvas(width, height)
      const context = canvas.getContext('2d')!
      context.fillStyle = '#36c'
      context.fillRect(0, 0, width, height)
      const data = new DataTransfer()
      data.items.add(new File([await canvas.convertToBlob({ type })], name, { type }))
      return data
    },
    { name, type, width, height }
  )

/** The composer's previews once there are `count`: each name, and whether its picture has loaded. */
async function previews(page: Page, count: number) {
  await page.locator('[data-testid="preview"]').nth(count - 1).waitFor()
  await page.waitForFunction(() => [...document.querySelector('[data-confab]')!.shadowRoot!.querySelectorAll<HTMLImageElement>('img.thumb')].every((img) => img.complete))
  return page.evaluate(() =>
    [...document.querySelector('[data-confab]')!.shadowRoot!.querySelectorAll('[data-testid="preview"]')].map((li) => ({
      name: li.querySelector('.name')!.textContent,
      picture: (li.querySelector<HTMLImageElement>('img.thumb')?.naturalWidth ?? 0) > 0
    }))
  )
}

describe('photos prepared on the device, in Chromium', () => {
  it('come out without their EXIF: no GPS position', async () => {
    const page = await open()
    const { before, after } = await prepareWithExif(page, 40, 20)
    expect(before.exif).toBe(true)
    expect(before.segments).toContainEqual({ marker: 'e1', starts: 'Exif', gps: true })
    expect(after.exif).toBe(false)
    expect(after.segments.filter((segment) => segment.marker === 'e1' || segment.gps)).toEqual([])
    await page.close()
  })

  it('come out turned as the camera recorded, measured as shown', async () => {
    const page = await open()
    const { prepared } = await prepareWithExif(page, 40, 20)
    expect(prepared).toEqual({ name: 'IMG_0001.jpg', type: 'image/jpeg', width: 20, height: 40 })
    await page.close()
  })

  it('come out with their longest side at 2048 pixels', async () => {
    const page = await open()
    const { prepared } = await prepareWithExif(page, 1500, 3000)
    // Turned a quarter by their orientation, as they show.
    expect([prepared.width, prepared.height]).toEqual([2048, 1024])
    await page.close()
  })

  it('that cannot be decoded are refused, by name', async () => {
    const page = await open()
    const message = await page.evaluate(() => {
      const prepareFiles = (window as unknown as { prepareFiles: typeof import('../../src/media/prepare.js').prepareFiles }).prepareFiles
      return prepareFiles([new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'broken.jpg', { type: 'image/jpeg' })]).then(
        () => 'prepared',
        (error: Error) => error.message
      )
    })
    expect(message).toBe('"broken.jpg" could not be read as an image; it may be damaged.')
    await page.close()
  })
})

describe('attaching images in Chromium', () => {
  it('takes an image pasted into the field', async () => {
    const page = await open()
    const data = await imageTransfer(page, 'image.png', 'image/png')
    const taken = await page.getByTestId('composer').evaluate(
      (field, data) => !field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data as DataTransfer, bubbles: true, cancelable: true })),
      data
    )
    expect(taken).toBe(true)
    expect(await previews(page, 1)).toEqual([{ name: 'image.png', picture: true }])
    await page.close()
  })

  it('takes images dropped on the pane, showing where to drop them meanwhile', async () => {
    const page = await open()
    const data: JSHandle = await imageTransfer(page, 'photo.jpg', 'image/jpeg', 800, 600)
    await page.getByTestId('composer').dispatchEvent('dragenter', { dataTransfer: data })
    const zone = page.getByTestId('drop-zone')
    await zone.waitFor()
    expect(await zone.textContent()).toBe('Drop files to attach them')
    await zone.dispatchEvent('dragover', { dataTransfer: data })
    await zone.dispatchEvent('drop', { dataTransfer: data })
    await zone.waitFor({ state: 'detached' })
    expect(await previews(page, 1)).toEqual([{ name: 'photo.jpg', picture: true }])
    await page.close()
  })
})

describe('sending a photo in Chromium', () => {
  it('shows it at once with its picture and its progress, then as an image of its size once sent', async () => {
    const page = await open()
    // The memory backend's files are not on the network: their URLs are answered with their bytes.
    await page.route('https://files.memory.invalid/**', async (route) => {
      const bytes = await page.evaluate(async (url) => {
        const blob = (window as unknown as { uploaded(url: string): { blob?: Blob } | undefined }).uploaded(url)?.blob
        return blob ? [...new Uint8Array(await blob.arrayBuffer())] : []
      }, route.request().url())
      await route.fulfill({ contentType: 'image/png', body: Buffer.from(bytes) })
    })
    await page.evaluate(() => {
      const page = window as unknown as { uploadGate?: Promise<void>; releaseUploads?: () => void }
      page.uploadGate = new Promise((resolve) => (page.releaseUploads = resolve))
    })
    const data = await imageTransfer(page, 'image.png', 'image/png', 640, 480)
    await page.getByTestId('composer').evaluate((field, data) => field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data as DataTransfer, bubbles: true, cancelable: true })), data)
    await previews(page, 1)
    await page.getByTestId('composer').fill('My screen')
    await page.keyboard.press('Enter')
    const outgoing = page.locator('[data-testid="outgoing-file"]')
    await outgoing.waitFor()
    await page.waitForFunction(() => (document.querySelector('[data-confab]')!.shadowRoot!.querySelector<HTMLImageElement>('[data-testid="outgoing-file"] img.thumb')?.naturalWidth ?? 0) === 640)
    expect(await outgoing.locator('progress').getAttribute('aria-label')).toBe('Uploading image.png')
    expect(await outgoing.getByTestId('cancel-file').textContent()).toBe('Cancel')
    expect(await axeViolations(page)).toEqual([])
    await page.evaluate(() => (window as unknown as { releaseUploads(): void }).releaseUploads())
    const sent = page.locator('[data-testid="message"][data-status="sent"] [data-testid="image"] img')
    await sent.waitFor()
    expect([await sent.getAttribute('width'), await sent.getAttribute('height'), await sent.getAttribute('alt')]).toEqual(['640', '480', 'image.png'])
    await page.waitForFunction(() => (document.querySelector('[data-confab]')!.shadowRoot!.querySelector<HTMLImageElement>('[data-status="sent"] [data-testid="image"] img')?.naturalWidth ?? 0) === 640)
    expect(await outgoing.count()).toBe(0)
    await page.close()
  })
})

describe('the image viewer in Chromium', () => {
  it('opens, keeps focus and closes by keyboard alone, giving focus back to the image', async () => {
    const page = await open([{ text: 'Your receipt', parts: [{ type: 'image', url: `${url}/picture.svg`, name: 'receipt.svg', width: 400, height: 300 }] }])
    await page.getByTestId('image').focus()
    await page.keyboard.press('Enter')
    const viewer = page.getByTestId('viewer')
    await viewer.waitFor()
    expect(await viewer.evaluate((dialog) => dialog.matches(':modal'))).toBe(true)
    expect(await focused(page)).toBe('viewer-close')
    const stops: (string | null)[] = []
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      stops.push(await focused(page))
    }
    expect(stops).toEqual(['a.', 'viewer-close', 'a.', 'viewer-close'])
    await page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('image')
    expect(await page.getByTestId('pane').isVisible()).toBe(true)
    await page.keyboard.press('Space')
    await viewer.waitFor()
    await page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('image')
    await page.close()
  })
})

describe('images in the thread, in Chromium', () => {
  it('keep their place while they load: nothing moves when they arrive', async () => {
    const page = await browser.newPage()
    page.on('pageerror', (error) => pageErrors.push(error))
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/slow.svg', async (route) => {
      await held
      await route.fulfill({ contentType: 'image/svg+xml', body: PICTURE })
    })
    await page.goto(`${url}/?uploads`)
    await page.getByTestId('launcher').click()
    await page.getByTestId('composer').waitFor()
    const posts = [{ content: { text: 'A photo', parts: [{ type: 'image', url: `${url}/slow.svg`, width: 400, height: 300 }] }, author: { role: 'bot' } }]
    await post(page, posts)
    const image = page.locator('[data-testid="image"] img')
    await image.waitFor()
    const box = () =>
      image.evaluate((img: HTMLImageElement) => {
        const { width, height } = img.getBoundingClientRect()
        const message = img.closest('.msg')!.getBoundingClientRect()
        return { width: Math.round(width), height: Math.round(height), message: Math.round(message.height), loaded: img.complete && img.naturalWidth > 0 }
      })
    const before = await box()
    expect(before.loaded).toBe(false)
    release()
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-confab]')!.shadowRoot!.querySelector<HTMLImageElement>('[data-testid="image"] img')
      return img?.complete && img.naturalWidth > 0
    })
    const after = await box()
    expect(before.height).toBe(Math.round((before.width * 3) / 4))
    expect({ ...after, loaded: false }).toEqual(before)
    await page.close()
  })

  it('show a GIF still behind Play where less motion is asked for, and let it move once asked', async () => {
    const page = await open([{ text: 'Dance', parts: [{ type: 'image', url: `${url}/dance.gif`, width: 40, height: 40 }] }], { reducedMotion: 'reduce' })
    const canvas = page.locator('[data-testid="image"] canvas')
    await page.waitForFunction(() => (document.querySelector('[data-confab]')!.shadowRoot!.querySelector('[data-testid="image"] canvas') as HTMLCanvasElement | null)?.width === 40)
    // Four frames' time: a moving GIF would have shown blue by now, more than once.
    await page.waitForTimeout(400)
    const still = () =>
      canvas.evaluate((board: HTMLCanvasElement) => ({
        pixel: [...board.getContext('2d')!.getImageData(20, 20, 1, 1).data.slice(0, 3)],
        canvas: getComputedStyle(board).display,
        image: getComputedStyle(board.previousElementSibling!).opacity
      }))
    expect(await still()).toEqual({ pixel: RED, canvas: 'block', image: '0' })
    await page.getByTestId('play').click()
    expect(await still()).toMatchObject({ canvas: 'none', image: '1' })
    expect(await page.getByTestId('play').textContent()).toBe('Pause')
    await page.close()
  })

  it('show Play over the still GIF, at its corner', async () => {
    const page = await open([{ text: 'Dance', parts: [{ type: 'image', url: `${url}/dance.gif`, width: 120, height: 80 }] }], { reducedMotion: 'reduce' })
    const picture = (await page.locator('[data-testid="image"]').boundingBox())!
    const play = (await page.getByTestId('play').boundingBox())!
    expect(play.x).toBeGreaterThanOrEqual(picture.x)
    expect(play.y).toBeGreaterThanOrEqual(picture.y)
    expect(play.x + play.width).toBeLessThanOrEqual(picture.x + picture.width)
    expect(play.y + play.height).toBeLessThanOrEqual(picture.y + picture.height)
    await page.close()
  })

  it('let a GIF move where no less motion is asked for', async () => {
    const page = await open([{ text: 'Dance', parts: [{ type: 'image', url: `${url}/dance.gif`, width: 40, height: 40 }] }], { reducedMotion: 'no-preference' })
    expect(await page.locator('[data-testid="image"] canvas, [data-testid="play"]').count()).toBe(0)
    await page.close()
  })
})

describe('media and axe in Chromium', () => {
  it('finds no violations with images, a GIF, files, players, files to send and the viewer on screen', async () => {
    const page = await open(
      [
        {
          text: 'All of it',
          parts: [
            { type: 'image', url: `${url}/picture.svg`, alt: 'A green rectangle', width: 400, height: 300 },
            { type: 'image', url: `${url}/dance.gif`, width: 40, height: 40 },
            { type: 'file', url: `${url}/files/invoice.pdf`, name: 'invoice\u202Efdp.exe', size: 120_000, mediaType: 'application/pdf' },
            { type: 'file', url: `${url}/files/hello.ogg`, name: 'hello.ogg', mediaType: 'audio/ogg' },
            { type: 'file', url: `${url}/files/clip.mp4`, name: 'clip.mp4', mediaType: 'video/mp4' }
          ]
        }
      ],
      { reducedMotion: 'reduce' }
    )
    const data = await imageTransfer(page, 'image.png', 'image/png')
    await page.getByTestId('composer').evaluate((field, data) => field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data as DataTransfer, bubbles: true, cancelable: true })), data)
    await previews(page, 1)
    expect(await axeViolations(page)).toEqual([])
    await page.getByTestId('image').first().click()
    await page.getByTestId('viewer').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })
})
