import type { Page } from 'playwright-core'

/**
 * An EXIF segment (APP1): TIFF, big-endian, IFD0 at 8 (Orientation 6: turned a quarter clockwise, and
 * a pointer to the GPS IFD at 38), the GPS IFD (latitude reference N, latitude as three rationals at
 * 68), the rationals: 48°51'30".
 */
// prettier-ignore
const TIFF = [
  0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8,
  0, 2,
  0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0,
  0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38,
  0, 0, 0, 0,
  0, 2,
  0x00, 0x01, 0, 2, 0, 0, 0, 2, 0x4e, 0, 0, 0,
  0x00, 0x02, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68,
  0, 0, 0, 0,
  0, 0, 0, 48, 0, 0, 0, 1, 0, 0, 0, 51, 0, 0, 0, 1, 0, 0, 0, 30, 0, 0, 0, 1
]
const PAYLOAD = [0x45, 0x78, 0x69, 0x66, 0, 0, ...TIFF]
const APP1 = [0xff, 0xe1, (PAYLOAD.length + 2) >> 8, (PAYLOAD.length + 2) & 255, ...PAYLOAD]

/** The segments of a JPEG before its image data: each marker, its first bytes as text, whether it points at GPS data. */
function segments(bytes: Uint8Array) {
  const found: { marker: string; starts: string; gps: boolean }[] = []
  for (let at = 2; at < bytes.length && bytes[at] === 0xff && bytes[at + 1] !== 0xda; ) {
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!
    const body = bytes.subarray(at + 4, at + 2 + length)
    const gps = body.some((byte, i) => byte === 0x88 && body[i + 1] === 0x25)
    found.push({ marker: bytes[at + 1]!.toString(16), starts: String.fromCharCode(...body.subarray(0, 4)), gps })
    at += 2 + length
  }
  return found
}

/** Whether an EXIF header is anywhere in `bytes`. */
const hasExif = (bytes: Uint8Array) => Buffer.from(bytes).includes('Exif\0\0', 0, 'latin1')

/**
 * Make a JPEG of `width` × `height` in `page` (a canvas encodes it), splice in an EXIF segment after
 * its start (see {@link TIFF}: a turn and a GPS position), and prepare it with the page's
 * `window.prepareFiles`. What went in and what came out (EXIF anywhere, the segments before the image
 * data), and the prepared attachment's facts.
 *
 * @example
 * const { after } = await prepareWithExif(page, 40, 20)
 * expect(after.exif).toBe(false)
 */
export async function prepareWithExif(page: Page, width: number, height: number) {
  const plain = await page.evaluate(
    async ({ width, height }) => {
      const canvas = new OffscreenCanvas(width, height)
      const context = canvas.getContext('2d')!
      context.fillStyle = '#c33'
      context.fillRect(0, 0, width, height)
      return [...new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer())]
    },
    { width, height }
  )
  const jpeg = new Uint8Array([...plain.slice(0, 2), ...APP1, ...plain.slice(2)])
  const out = await page.evaluate(async (bytes) => {
    const prepareFiles = (window as unknown as { prepareFiles: typeof import('../../src/media/prepare.js').prepareFiles }).prepareFiles
    const [prepared] = await prepareFiles([new File([new Uint8Array(bytes)], 'IMG_0001.jpg', { type: 'image/jpeg' })])
    return {
      bytes: [...new Uint8Array(await prepared!.file.arrayBuffer())],
      prepared: { name: prepared!.name, type: prepared!.file.type, width: prepared!.width, height: prepared!.height }
    }
  }, [...jpeg])
  const bytes = new Uint8Array(out.bytes)
  return {
    before: { segments: segments(jpeg), exif: hasExif(jpeg) },
    after: { segments: segments(bytes), exif: hasExif(bytes) },
    prepared: out.prepared
  }
}
