import { describe, expect, it } from 'vitest'
import { isConfabError } from '../../../src/errors/index.js'
import { gifSize } from '../../../src/media/gif.js'
import { checkFile } from '../../../src/media/limits.js'
import { prepareFiles, type PrepareOptions } from '../../../src/media/prepare.js'

// The pure parts of preparing files, in Node, the browser's decoder and canvas replaced by fakes that
// record what they were asked. That a real photo loses its EXIF is checked in Chromium
// (test/e2e/media.test.ts).

/** A GIF header of `width` × `height`, then `rest`. */
const gif = (width: number, height: number, rest: number[] = []) =>
  new Uint8Array([...'GIF89a'].map((c) => c.charCodeAt(0)).concat([width & 255, width >> 8, height & 255, height >> 8], rest))

/** A decoder that reads every image as `width` × `height`, and a canvas that encodes to a blob of the asked type. */
function fakeBrowser(width: number, height: number, { broken = [] as string[], encodes = (type: string) => type } = {}) {
  const drawn: { width: number; height: number; type?: string; quality?: number }[] = []
  let closed = 0
  class Canvas {
    constructor(
      readonly width: number,
      readonly height: number
    ) {}
    getContext() {
      return { drawImage: (_image: unknown, _x: number, _y: number, w: number, h: number) => drawn.push({ width: w, height: h }) }
    }
    async convertToBlob({ type, quality }: { type: string; quality: number }) {
      Object.assign(drawn.at(-1)!, { type, quality })
      return new Blob([new Uint8Array(100)], { type: encodes(type) })
    }
  }
  const options: PrepareOptions = {
    createImageBitmap: async (blob) => {
      if (broken.includes((blob as File).name)) throw new DOMException('The source image could not be decoded.', 'InvalidStateError')
      return { width, height, close: () => closed++ } as ImageBitmap
    },
    OffscreenCanvas: Canvas as unknown as typeof OffscreenCanvas
  }
  return { options, drawn, closed: () => closed }
}

const file = (name: string, type: string, size = 1000) => new File([new Uint8Array(size)], name, { type })

describe('a GIF header', () => {
  it('gives the size it declares', () => {
    expect(gifSize(gif(480, 270))).toEqual({ width: 480, height: 270 })
  })

  it('of the older GIF87a gives its size too', () => {
    const bytes = gif(2, 3)
    bytes[4] = '7'.charCodeAt(0)
    expect(gifSize(bytes)).toEqual({ width: 2, height: 3 })
  })

  it('that is not one gives nothing', () => {
    expect(gifSize(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeUndefined()
    expect(gifSize(gif(480, 270).subarray(0, 8))).toBeUndefined()
    expect(gifSize(gif(0, 270))).toBeUndefined()
  })
})

describe('upload limits', () => {
  const MB = 2 ** 20

  it('refuse a file too large, naming the file and the limit as client.send does', () => {
    const check = () => checkFile('holiday.mov', 31 * MB, 'video/quicktime', { maxBytes: 25 * MB, types: [] })
    expect(check).toThrow(expect.objectContaining({ code: 'invalid-argument', message: '"holiday.mov" is larger than 25 MB' }))
  })

  it('refuse a type not listed, naming the file and its type', () => {
    const check = () => checkFile('setup.exe', 10, 'application/x-msdownload', { maxBytes: MB, types: ['image/*', 'application/pdf'] })
    expect(check).toThrow('"setup.exe" is of a type this chat does not accept (application/x-msdownload)')
  })

  it('let a file within them pass', () => {
    expect(() => checkFile('a.pdf', 25 * MB, 'application/pdf', { maxBytes: 25 * MB, types: ['application/pdf'] })).not.toThrow()
  })

  it('refuse nothing while none are known', () => {
    expect(() => checkFile('holiday.mov', 31 * MB, 'video/quicktime', undefined)).not.toThrow()
  })
})

describe('preparing files', () => {
  it('scales a large photo so its longest side is 2048 pixels, as JPEG at 0.85', async () => {
    const browser = fakeBrowser(4032, 3024)
    const [photo] = await prepareFiles([file('IMG_1.jpg', 'image/jpeg', 3_000_000)], browser.options)
    expect(browser.drawn).toEqual([{ width: 2048, height: 1536, type: 'image/jpeg', quality: 0.85 }])
    expect(photo).toMatchObject({ name: 'IMG_1.jpg', width: 2048, height: 1536 })
    expect(photo!.file.size).toBe(100)
    expect(browser.closed()).toBe(1)
  })

  it('encodes a small photo anew too, at its own size', async () => {
    const browser = fakeBrowser(640, 480)
    const [photo] = await prepareFiles([file('small.jpg', 'image/jpeg')], browser.options)
    expect(browser.drawn).toEqual([{ width: 640, height: 480, type: 'image/jpeg', quality: 0.85 }])
    expect(photo).toMatchObject({ width: 640, height: 480 })
  })

  it('keeps a PNG a PNG and a WebP a WebP', async () => {
    const browser = fakeBrowser(100, 50)
    const prepared = await prepareFiles([file('shot.png', 'image/png'), file('pic.webp', 'image/webp')], browser.options)
    expect(browser.drawn.map((d) => d.type)).toEqual(['image/png', 'image/webp'])
    expect(prepared.map((p) => [p.name, p.file.type])).toEqual([
      ['shot.png', 'image/png'],
      ['pic.webp', 'image/webp']
    ])
  })

  it('turns a HEIC photo the browser decodes into a JPEG, and says so in its name', async () => {
    const browser = fakeBrowser(3000, 4000)
    const [photo] = await prepareFiles([file('IMG_2.HEIC', '')], browser.options)
    expect(photo).toMatchObject({ name: 'IMG_2.jpg', width: 1536, height: 2048 })
    expect(photo!.file.type).toBe('image/jpeg')
  })

  it('sends a HEIC photo the browser cannot decode as it is', async () => {
    const browser = fakeBrowser(10, 10, { broken: ['IMG_3.heic'] })
    const original = file('IMG_3.heic', 'image/heic')
    const [photo] = await prepareFiles([original], browser.options)
    expect(photo).toEqual({ file: original, name: 'IMG_3.heic' })
  })

  it('renames a WebP the browser could only encode as PNG', async () => {
    const browser = fakeBrowser(10, 10, { encodes: () => 'image/png' })
    const [photo] = await prepareFiles([file('pic.webp', 'image/webp')], browser.options)
    expect(photo!.name).toBe('pic.png')
  })

  it('measures but keeps the original when asked to', async () => {
    const browser = fakeBrowser(4032, 3024)
    const original = file('IMG_1.jpg', 'image/jpeg')
    const [photo] = await prepareFiles([original], { ...browser.options, keepOriginals: true })
    expect(browser.drawn).toEqual([])
    expect(photo).toEqual({ file: original, name: 'IMG_1.jpg', width: 2048, height: 1536 })
  })

  it('scales to the longest side asked for', async () => {
    const browser = fakeBrowser(1000, 500)
    const [photo] = await prepareFiles([file('a.png', 'image/png')], { ...browser.options, maxSide: 100 })
    expect(photo).toMatchObject({ width: 100, height: 50 })
  })

  it('passes a GIF unchanged, measured from its header', async () => {
    const browser = fakeBrowser(1, 1)
    const original = new File([gif(320, 240, [0, 0, 0])], 'dance.gif', { type: 'image/gif' })
    const [prepared] = await prepareFiles([original], browser.options)
    expect(prepared).toEqual({ file: original, name: 'dance.gif', width: 320, height: 240 })
    expect(browser.drawn).toEqual([])
  })

  it('passes other files unchanged', async () => {
    const browser = fakeBrowser(1, 1)
    const pdf = file('report.pdf', 'application/pdf')
    expect(await prepareFiles([pdf], browser.options)).toEqual([{ file: pdf, name: 'report.pdf' }])
  })

  it('cleans the name a file goes by', async () => {
    const pdf = file('report\u202Efdp.exe', 'application/octet-stream')
    expect((await prepareFiles([pdf], fakeBrowser(1, 1).options))[0]!.name).toBe('reportfdp.exe')
  })

  it('refuses a photo that cannot be decoded, naming it', async () => {
    const browser = fakeBrowser(1, 1, { broken: ['broken.jpg'] })
    const error = await prepareFiles([file('broken.jpg', 'image/jpeg')], browser.options).catch((e: unknown) => e)
    expect(isConfabError(error) && error.code).toBe('invalid-argument')
    expect((error as Error).message).toBe('"broken.jpg" could not be read as an image; it may be damaged.')
  })

  it('refuses a GIF whose header is not one', async () => {
    const fake = new File(['<svg onload=alert(1)>'], 'fake.gif', { type: 'image/gif' })
    await expect(prepareFiles([fake], fakeBrowser(1, 1).options)).rejects.toThrow('"fake.gif" could not be read as an image')
  })

  it('refuses a file over the size limit, naming the limit', async () => {
    const big = file('big.pdf', 'application/pdf', 2_000_000)
    await expect(prepareFiles([big], { ...fakeBrowser(1, 1).options, limits: { maxBytes: 1_000_000, types: [] } })).rejects.toThrow('"big.pdf" is larger than 976.6 KB')
  })

  it('lets a photo over the size limit through once scaling brought it under', async () => {
    const browser = fakeBrowser(8000, 6000)
    const [photo] = await prepareFiles([file('huge.jpg', 'image/jpeg', 30_000_000)], { ...browser.options, limits: { maxBytes: 1_000_000, types: ['image/*'] } })
    expect(photo!.file.size).toBe(100)
  })

  it('refuses a disguised file by the name it really has', async () => {
    const exe = file('photo\u202Egpj.exe', 'application/x-msdownload')
    await expect(prepareFiles([exe], { ...fakeBrowser(1, 1).options, limits: { maxBytes: 1e6, types: ['image/*'] } })).rejects.toThrow(/^"photogpj\.exe" is of a type/)
  })

  it('refuses a type outside the limits', async () => {
    const exe = file('setup.exe', 'application/x-msdownload')
    await expect(prepareFiles([exe], { ...fakeBrowser(1, 1).options, limits: { maxBytes: 1e6, types: ['image/*'] } })).rejects.toThrow('"setup.exe" is of a type this chat does not accept (application/x-msdownload)')
  })

  it('sends photos unmeasured where the browser cannot decode images', async () => {
    const photo = file('a.jpg', 'image/jpeg')
    expect(await prepareFiles([photo], { createImageBitmap: undefined })).toEqual([{ file: photo, name: 'a.jpg' }])
  })
})
