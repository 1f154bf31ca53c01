/**
 * The arithmetic of a virtualized thread, apart from the DOM so that it can be checked with sizes
 * given by hand: where each message starts in the scrolled content, which messages a view needs,
 * and where a reader is. Positions are in pixels from the top of the first message; a message's
 * size is its height plus the gap after it.
 */

/** What is known of a thread's message sizes: measured ones by key, a guess for the others. */
export interface Sizes {
  /** The measured size of `key`, or the guess for one not measured yet. */
  get(key: string): number
  /** Whether `key` was measured. */
  has(key: string): boolean
  /** Record a measured size; `true` when it changed anything. */
  set(key: string, size: number): boolean
  /** Forget every measure (the thread's width changed, so every height may have). */
  clear(): void
  /** The width of the thread and the gap between messages the sizes were measured with. */
  width: number
  gap: number
}

/**
 * Sizes measured so far, and for a message not measured yet the mean of those that were (`guess`
 * before any was): a guess close to the truth keeps the scrollbar from jumping as messages are met.
 *
 * @example
 * const sizes = createSizes(64)
 * sizes.set('m1', 120)
 * sizes.get('m2') // 120
 */
export function createSizes(guess: number): Sizes {
  const measured = new Map<string, number>()
  let sum = 0
  return {
    get: (key) => measured.get(key) ?? (measured.size ? sum / measured.size : guess),
    has: (key) => measured.has(key),
    set(key, size) {
      const old = measured.get(key)
      if (old === size) return false
      sum += size - (old ?? 0)
      measured.set(key, size)
      return true
    },
    clear() {
      measured.clear()
      sum = 0
    },
    width: 0,
    gap: 0
  }
}

/** Where each message of a thread starts: `starts[i]`, and `starts[keys.length]` is the whole height. */
export interface Layout {
  keys: readonly string[]
  starts: Float64Array
}

/** Lay a thread's messages out one under the other. */
export function layOut(keys: readonly string[], sizes: Pick<Sizes, 'get'>): Layout {
  const starts = new Float64Array(keys.length + 1)
  for (let i = 0; i < keys.length; i++) starts[i + 1] = starts[i]! + sizes.get(keys[i]!)
  return { keys, starts }
}

/** The whole height of a layout. */
export const heightOf = ({ keys, starts }: Layout) => starts[keys.length]!

/** The message at `y` (the first or last one when `y` is outside the thread); -1 in an empty thread. */
export function indexAt({ keys, starts }: Layout, y: number): number {
  let lo = 0
  let hi = keys.length - 1
  // The last message starting at or above `y`, by halving: a thread may hold tens of thousands.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= y) lo = mid
    else hi = mid - 1
  }
  return hi
}

/** The first and last message (inclusive) that cover `[top - margin, top + height + margin]`; `[0, -1]` for none. */
export function windowAt(layout: Layout, top: number, height: number, margin: number): [number, number] {
  return [Math.max(0, indexAt(layout, top - margin)), indexAt(layout, top + height + margin)]
}

/**
 * Where a reader is: the view's top at `y` (the scroll position, in the layout's pixels) hits
 * message `index`, which starts `top` pixels below the view's top edge (negative: above it).
 */
export interface Spot {
  index: number
  top: number
}

/** The message at the top of a view scrolled to `y`, and where it starts against the view. */
export function spotAt(layout: Layout, y: number): Spot {
  const index = Math.max(0, indexAt(layout, y))
  return { index, top: layout.starts[index]! - y }
}

/**
 * The scroll position (in the layout's pixels) that shows message `index` as the reader left it:
 * `top` pixels below the view's top edge, or, without `top`, in the middle of a view `height` high.
 * With `index` -1, the view at the bottom of the thread.
 */
export function scrollFor(layout: Layout, index: number, height: number, top?: number): number {
  if (index < 0) return heightOf(layout) - height
  const start = layout.starts[index]!
  return top === undefined ? start + (layout.starts[index + 1]! - start) / 2 - height / 2 : start - top
}

/**
 * Whether the messages drawn, `first` to `last`, leave part of a view `height` high at `y`, or less
 * than a quarter of a view beyond it, undrawn: then it is time to draw others.
 */
export function uncovered(layout: Layout, y: number, height: number, first: number, last: number): boolean {
  const [needFirst, needLast] = windowAt(layout, y, height, height / 4)
  return first < 0 || needFirst < first || needLast > last
}
