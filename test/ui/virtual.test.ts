import { describe, expect, it } from 'vitest'
import { createSizes, heightOf, indexAt, layOut, scrollFor, spotAt, uncovered, windowAt } from '../../src/ui/virtual.js'

/** Keys `k0` … of a thread of `n` messages. */
const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`)

/** Sizes given by hand: `k{i}` is `size(i)` pixels tall. */
function given(n: number, size: (i: number) => number, guess = 50) {
  const sizes = createSizes(guess)
  for (let i = 0; i < n; i++) sizes.set(`k${i}`, size(i))
  return sizes
}

describe('the sizes of a thread’s messages', () => {
  it('guesses a message not measured yet as the mean of those measured', () => {
    const sizes = createSizes(64)
    expect(sizes.get('a')).toBe(64)
    sizes.set('a', 100)
    sizes.set('b', 200)
    expect(sizes.get('c')).toBe(150)
    expect(sizes.has('c')).toBe(false)
  })

  it('says whether a measure changed anything', () => {
    const sizes = createSizes(64)
    expect(sizes.set('a', 100)).toBe(true)
    expect(sizes.set('a', 100)).toBe(false)
    expect(sizes.set('a', 120)).toBe(true)
    expect(sizes.get('b')).toBe(120)
  })

  it('forgets every measure when cleared', () => {
    const sizes = createSizes(64)
    sizes.set('a', 100)
    sizes.clear()
    expect(sizes.has('a')).toBe(false)
    expect(sizes.get('a')).toBe(64)
  })
})

describe('laying a thread out', () => {
  it('starts each message where the one before it ends, measured or guessed', () => {
    const sizes = createSizes(50)
    sizes.set('k1', 200)
    const layout = layOut(keys(3), sizes)
    // k0 and k2 are guessed as the mean of what was measured: 200.
    expect([...layout.starts]).toEqual([0, 200, 400, 600])
    expect(heightOf(layout)).toBe(600)
  })

  it('finds the message at a position, and the first or last one outside the thread', () => {
    const layout = layOut(keys(4), given(4, (i) => (i + 1) * 10))
    // Starts: 0, 10, 30, 60; ends at 100.
    expect(indexAt(layout, 0)).toBe(0)
    expect(indexAt(layout, 29.5)).toBe(1)
    expect(indexAt(layout, 30)).toBe(2)
    expect(indexAt(layout, -5)).toBe(0)
    expect(indexAt(layout, 1_000)).toBe(3)
    expect(indexAt(layOut([], createSizes(10)), 0)).toBe(-1)
  })

  it('finds its way in 100,000 messages in a few steps', () => {
    const layout = layOut(keys(100_000), given(100_000, (i) => 40 + (i % 3) * 30))
    const started = performance.now()
    for (let y = 0; y < heightOf(layout); y += 997) indexAt(layout, y)
    expect(performance.now() - started).toBeLessThan(50)
    expect(indexAt(layout, layout.starts[77_777]! + 1)).toBe(77_777)
  })
})

describe('the window of messages drawn', () => {
  const layout = layOut(keys(1_000), given(1_000, () => 100))

  it('covers the view and a margin on either side', () => {
    // A view of 500 px at 50,000: messages 500 to 504 are in view; 200 px either side adds two each way.
    expect(windowAt(layout, 50_000, 500, 200)).toEqual([498, 507])
  })

  it('stops at the first and last message of the thread', () => {
    expect(windowAt(layout, 0, 500, 1_000)).toEqual([0, 15])
    expect(windowAt(layout, heightOf(layout) - 500, 500, 1_000)).toEqual([985, 999])
  })

  it('is drawn anew only once the view comes within a quarter of a view of its ends', () => {
    // Messages 490 to 519 drawn (49,000–52,000); a view of 400 px.
    expect(uncovered(layout, 50_000, 400, 490, 519)).toBe(false)
    expect(uncovered(layout, 49_050, 400, 490, 519)).toBe(true)
    expect(uncovered(layout, 51_600, 400, 490, 519)).toBe(true)
    expect(uncovered(layout, 50_000, 400, -1, -1)).toBe(true)
  })

  it('holds a hundred messages at most for a view of 1,000 px, whatever the thread’s length', () => {
    const long = layOut(keys(100_000), given(100_000, (i) => (i % 10 === 0 ? 400 : 40)))
    for (const y of [0, 1_000_000, heightOf(long) - 1_000]) {
      const [first, last] = windowAt(long, y, 1_000, 1_000)
      expect(last - first + 1).toBeLessThanOrEqual(100)
    }
  })
})

describe('the reader’s place', () => {
  const sizes = given(100, (i) => 50 + (i % 4) * 25)

  it('is the message at the top of the view and how far below the view’s top it starts', () => {
    const layout = layOut(keys(100), sizes)
    const spot = spotAt(layout, layout.starts[40]! + 10)
    expect(spot).toEqual({ index: 40, top: -10 })
  })

  it('comes back at the same scroll position when nothing changed', () => {
    const layout = layOut(keys(100), sizes)
    const y = 2_345
    const { index, top } = spotAt(layout, y)
    expect(scrollFor(layout, index, 500, top)).toBe(y)
  })

  it('moves the scroll position by the height of older messages put above it', () => {
    const before = layOut(keys(100), sizes)
    const { index, top } = spotAt(before, 2_345)
    // Thirty older messages come in above, 60 px each.
    const older = Array.from({ length: 30 }, (_, i) => `o${i}`)
    for (const key of older) sizes.set(key, 60)
    const after = layOut([...older, ...keys(100)], sizes)
    expect(scrollFor(after, index + 30, 500, top)).toBe(2_345 + 30 * 60)
  })

  it('keeps its message where it was when messages above it turn out taller than guessed', () => {
    const guessed = createSizes(50)
    const layout = layOut(keys(10), guessed)
    const place = spotAt(layout, layout.starts[8]! + 7)
    guessed.set('k2', 300)
    const measured = layOut(keys(10), guessed)
    // Message 8 starts as far from the view's top as before: 7 px above it.
    expect(measured.starts[8]! - scrollFor(measured, place.index, 500, place.top)).toBe(-7)
    expect(scrollFor(measured, place.index, 500, place.top)).toBeGreaterThan(scrollFor(layout, place.index, 500, place.top))
  })

  it('is at the bottom of the thread for a visitor following the newest messages', () => {
    const layout = layOut(keys(100), given(100, () => 100))
    expect(scrollFor(layout, -1, 600)).toBe(10_000 - 600)
  })

  it('centres a message to jump to in the view', () => {
    const layout = layOut(keys(100), given(100, () => 100))
    // Message 50 spans 5,000–5,100: its middle, 5,050, is the middle of a 600 px view starting at 4,750.
    expect(scrollFor(layout, 50, 600)).toBe(4_750)
  })
})
