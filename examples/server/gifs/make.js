// @ts-check
// Draws the reference server's own GIFs (public/gifs/) and their index, gifs.json: a word in a
// pixel font and a small animation, a few KB each. Run once after changing a GIF here, and commit
// what it writes: `node examples/server/gifs/make.js`. The GIF encoder is the minimum the format
// needs (GIF89a, one global palette, LZW, looping), so no package is involved.
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const out = fileURLToPath(new URL('../public/gifs/', import.meta.url))

const WIDTH = 120
const HEIGHT = 80
/** Hundredths of a second per frame. */
const DELAY = 10

/**
 * The GIFs: id (also the file name), title, tags to search by, colours (background, word, motif as
 * RGB hex) and the animation.
 * @typedef {'pulse' | 'bounce' | 'wave' | 'check' | 'cross' | 'confetti' | 'dots' | 'ring' | 'spin' | 'slide'} Motion
 * @type {{ id: string, title: string, word: string, tags: string[], colors: [string, string, string], motion: Motion }[]}
 */
const GIFS = [
  { id: 'thanks', title: 'Thanks with a beating heart', word: 'THANKS', tags: ['thanks', 'thank you', 'grateful', 'love', 'heart'], colors: ['fde8ef', 'b0174e', 'e8336d'], motion: 'pulse' },
  { id: 'hello', title: 'Hello, bouncing', word: 'HELLO', tags: ['hello', 'hi', 'hey', 'greeting'], colors: ['e6f4ff', '0b4f8a', '2d8fe0'], motion: 'bounce' },
  { id: 'wave', title: 'A friendly wave', word: 'WAVE', tags: ['wave', 'hi', 'hello', 'bye'], colors: ['e8f8f1', '0a6b47', '20b27a'], motion: 'wave' },
  { id: 'yes', title: 'Yes with a tick', word: 'YES', tags: ['yes', 'agree', 'correct', 'done', 'ok'], colors: ['eafaea', '1c6b1c', '3cb43c'], motion: 'check' },
  { id: 'no', title: 'No with a cross', word: 'NO', tags: ['no', 'nope', 'disagree', 'wrong'], colors: ['fdecea', '9b1c12', 'e0442f'], motion: 'cross' },
  { id: 'party', title: 'Party confetti', word: 'PARTY', tags: ['party', 'celebrate', 'yay', 'congrats', 'hooray'], colors: ['2a1c4a', 'ffd84d', 'ff6fb5'], motion: 'confetti' },
  { id: 'thinking', title: 'Thinking…', word: 'HMM', tags: ['thinking', 'hmm', 'wait', 'pondering'], colors: ['f3f0fa', '4b3a82', '8c73d9'], motion: 'dots' },
  { id: 'ok', title: 'OK in a ring', word: 'OK', tags: ['ok', 'okay', 'fine', 'sure', 'yes'], colors: ['fff6e0', '8a5a00', 'f0a500'], motion: 'ring' },
  { id: 'wow', title: 'Wow with a spinning star', word: 'WOW', tags: ['wow', 'amazing', 'surprised', 'omg'], colors: ['fff9d6', '7a5c00', 'f2c200'], motion: 'spin' },
  { id: 'bye', title: 'Bye, sliding away', word: 'BYE', tags: ['bye', 'goodbye', 'see you', 'wave'], colors: ['eef1f5', '33404f', '7a8ba0'], motion: 'slide' }
]

/** A 5×7 pixel font: each letter is seven rows of five bits. */
const FONT = /** @type {Record<string, number[]>} */ ({
  A: [14, 17, 17, 31, 17, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], E: [31, 16, 16, 30, 16, 16, 31],
  H: [17, 17, 17, 31, 17, 17, 17], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 25, 21, 19, 17, 17, 17], O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16], R: [30, 17, 17, 30, 20, 18, 17], S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4], V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 27, 17],
  Y: [17, 17, 10, 4, 4, 4, 4]
})

/** Palette indexes: 0 background, 1 word, 2 motif, 3 to 7 confetti. */
const CONFETTI = ['ff6fb5', '4dd2ff', 'ffd84d', '7cff6b', 'ffffff']

/** A frame: one palette index per pixel. */
const blank = () => new Uint8Array(WIDTH * HEIGHT)

/** @param {Uint8Array} frame @param {number} x @param {number} y @param {number} color */
function dot(frame, x, y, color) {
  x = Math.round(x)
  y = Math.round(y)
  if (x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT) frame[y * WIDTH + x] = color
}

/** @param {Uint8Array} frame @param {number} x @param {number} y @param {number} w @param {number} h @param {number} color */
function box(frame, x, y, w, h, color) {
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) dot(frame, x + i, y + j, color)
}

/** Draw `word` centred on (cx, cy) at `scale` pixels a font pixel. @param {Uint8Array} frame @param {string} word @param {number} cx @param {number} cy @param {number} scale */
function write(frame, word, cx, cy, scale) {
  const width = word.length * 6 - 1
  const left = Math.round(cx - (width * scale) / 2)
  const top = Math.round(cy - (7 * scale) / 2)
  ;[...word].forEach((letter, n) => {
    const rows = FONT[letter] ?? []
    rows.forEach((bits, row) => {
      for (let col = 0; col < 5; col++) if (bits & (16 >> col)) box(frame, left + (n * 6 + col) * scale, top + row * scale, scale, scale, 1)
    })
  })
}

/** A thick line from (x0, y0) to (x1, y1). @param {Uint8Array} frame @param {number} x0 @param {number} y0 @param {number} x1 @param {number} y1 @param {number} color */
function line(frame, x0, y0, x1, y1, color) {
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)))
  for (let s = 0; s <= steps; s++) box(frame, x0 + ((x1 - x0) * s) / steps - 1, y0 + ((y1 - y0) * s) / steps - 1, 3, 3, color)
}

/** A filled heart centred on (cx, cy), `r` its half width. @param {Uint8Array} frame @param {number} cx @param {number} cy @param {number} r */
function heart(frame, cx, cy, r) {
  for (let y = -r; y <= r; y++) {
    for (let x = -r; x <= r; x++) {
      const u = x / r
      const v = -y / r + 0.25
      if ((u * u + v * v - 1) ** 3 - u * u * v * v * v <= 0) dot(frame, cx + x, cy + y, 2)
    }
  }
}

/** A five-pointed star turned by `turn` radians. @param {Uint8Array} frame @param {number} cx @param {number} cy @param {number} r @param {number} turn */
function star(frame, cx, cy, r, turn) {
  const points = Array.from({ length: 10 }, (_, i) => {
    const a = turn + (i * Math.PI) / 5 - Math.PI / 2
    const d = i % 2 ? r * 0.45 : r
    return /** @type {[number, number]} */ ([cx + d * Math.cos(a), cy + d * Math.sin(a)])
  })
  for (let y = cy - r; y <= cy + r; y++) {
    for (let x = cx - r; x <= cx + r; x++) {
      let inside = false
      for (let i = 0, j = 9; i < 10; j = i++) {
        const [xi, yi] = /** @type {[number, number]} */ (points[i])
        const [xj, yj] = /** @type {[number, number]} */ (points[j])
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
      }
      if (inside) dot(frame, x, y, 2)
    }
  }
}

/** A small deterministic random number generator, so the same GIFs come out each run. @param {number} seed */
function random(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
}

/**
 * The frames of one animation.
 * @param {string} word @param {Motion} motion
 * @returns {Uint8Array[]}
 */
function animate(word, motion) {
  const count = 12
  const scale = word.length > 4 ? 3 : 4
  return Array.from({ length: count }, (_, n) => {
    const t = n / count
    const wave = Math.sin(t * 2 * Math.PI)
    const frame = blank()
    if (motion === 'pulse') {
      heart(frame, 60, 22, Math.round(12 + 4 * wave))
      write(frame, word, 60, 60, scale)
    } else if (motion === 'bounce') {
      write(frame, word, 60, 40 - Math.abs(wave) * 14 + 6, scale)
      box(frame, 30, 72, 60, 2, 2)
    } else if (motion === 'wave') {
      write(frame, word, 60, 28, scale)
      for (let x = 0; x < WIDTH; x++) box(frame, x, 58 + 8 * Math.sin((x / WIDTH) * 4 * Math.PI - t * 2 * Math.PI), 1, 3, 2)
    } else if (motion === 'check') {
      write(frame, word, 60, 58, scale)
      const drawn = Math.min(1, (n + 1) / (count * 0.6))
      const a = Math.min(1, drawn * 3)
      line(frame, 44, 22, 44 + 10 * a, 22 + 10 * a, 2)
      if (drawn > 1 / 3) {
        const b = (drawn - 1 / 3) * 1.5
        line(frame, 54, 32, 54 + 24 * b, 32 - 24 * b, 2)
      }
    } else if (motion === 'cross') {
      write(frame, word, 60 + (n < count / 2 ? wave * 6 : 0), 58, scale)
      line(frame, 46, 8, 74, 36, 2)
      line(frame, 74, 8, 46, 36, 2)
    } else if (motion === 'confetti') {
      const next = random(7)
      for (let i = 0; i < 40; i++) {
        const x = next() * WIDTH
        const speed = 0.5 + next()
        const y = ((next() * HEIGHT + t * HEIGHT * speed) % (HEIGHT + 4)) - 4
        box(frame, x, y, 3, 3, 3 + (i % CONFETTI.length))
      }
      write(frame, word, 60, 40, scale)
    } else if (motion === 'dots') {
      write(frame, word, 60, 30, scale)
      const shown = Math.floor(t * 4)
      for (let d = 0; d < shown; d++) box(frame, 44 + d * 14, 56, 6, 6, 2)
    } else if (motion === 'ring') {
      const r = 10 + Math.round(30 * t)
      for (let a = 0; a < 360; a += 2) box(frame, 60 + r * Math.cos((a * Math.PI) / 180), 40 + r * Math.sin((a * Math.PI) / 180), 2, 2, 2)
      write(frame, word, 60, 40, scale)
    } else if (motion === 'spin') {
      star(frame, 60, 22, 16, t * ((2 * Math.PI) / 5))
      write(frame, word, 60, 62, scale)
    } else {
      write(frame, word, 60 + Math.round(t * 80) - (t > 0.5 ? 80 : 0), 40, scale)
    }
    return frame
  })
}

/**
 * LZW-compress palette indexes as GIF asks (variable code sizes from `minimum + 1` bits up to 12,
 * a clear code when the table is full), packed least significant bit first.
 * @param {Uint8Array} pixels @param {number} minimum
 */
function lzw(pixels, minimum) {
  const clear = 1 << minimum
  const end = clear + 1
  /** @type {number[]} */
  const bytes = []
  let size = minimum + 1
  let next = end + 1
  let table = new Map()
  let buffer = 0
  let bits = 0
  /** @param {number} code */
  const emit = (code) => {
    buffer |= code << bits
    bits += size
    while (bits >= 8) {
      bytes.push(buffer & 255)
      buffer >>>= 8
      bits -= 8
    }
  }
  emit(clear)
  let prefix = /** @type {number} */ (pixels[0])
  for (let i = 1; i < pixels.length; i++) {
    const pixel = /** @type {number} */ (pixels[i])
    const key = prefix * 256 + pixel
    const known = table.get(key)
    if (known !== undefined) {
      prefix = known
      continue
    }
    emit(prefix)
    if (next === 4096) {
      emit(clear)
      table = new Map()
      size = minimum + 1
      next = end + 1
    } else {
      if (next >= 1 << size) size++
      table.set(key, next++)
    }
    prefix = pixel
  }
  emit(prefix)
  emit(end)
  if (bits > 0) bytes.push(buffer & 255)
  return bytes
}

/** Data in sub-blocks of at most 255 bytes, then the block terminator. @param {number[]} data */
function blocks(data) {
  /** @type {number[]} */
  const out = []
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.slice(i, i + 255)
    out.push(chunk.length, ...chunk)
  }
  out.push(0)
  return out
}

/** @param {number} value */
const word16 = (value) => [value & 255, value >> 8]

/**
 * A GIF89a of `frames` (palette indexes) over a palette of 8 colours, looping for ever.
 * @param {Uint8Array[]} frames @param {string[]} palette RGB hex, at most 8
 */
function encode(frames, palette) {
  const colors = [...palette, ...Array(8 - palette.length).fill('000000')]
  /** @type {number[]} */
  const bytes = [...Buffer.from('GIF89a'), ...word16(WIDTH), ...word16(HEIGHT), 0xf2, 0, 0]
  for (const hex of colors) bytes.push(parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16))
  if (frames.length > 1) bytes.push(0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0)
  for (const frame of frames) {
    if (frames.length > 1) bytes.push(0x21, 0xf9, 4, 0x04, ...word16(DELAY), 0, 0)
    bytes.push(0x2c, 0, 0, 0, 0, ...word16(WIDTH), ...word16(HEIGHT), 0)
    bytes.push(3, ...blocks(lzw(frame, 3)))
  }
  bytes.push(0x3b)
  return Buffer.from(bytes)
}

mkdirSync(out, { recursive: true })
const index = GIFS.map(({ id, title, word, tags, colors, motion }) => {
  const palette = [...colors, ...CONFETTI]
  const frames = animate(word, motion)
  writeFileSync(`${out}${id}.gif`, encode(frames, palette))
  // The still: the last frame, where each animation shows all it draws.
  writeFileSync(`${out}${id}-still.gif`, encode([/** @type {Uint8Array} */ (frames[frames.length - 1])], palette))
  return { id, title, tags, file: `${id}.gif`, still: `${id}-still.gif`, width: WIDTH, height: HEIGHT }
})
writeFileSync(`${out}gifs.json`, `${JSON.stringify(index, null, 2)}\n`)
process.stdout.write(`Wrote ${index.length} GIFs and gifs.json to ${out}\n`)
