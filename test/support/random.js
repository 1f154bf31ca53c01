// @ts-check
// Plain JavaScript, so that the benchmarks (run by node, and bundled for Chromium) can share it with
// the tests.

/**
 * A small seeded generator of numbers in [0, 1): mulberry32, as the reference server's faults use
 * (examples/server/faults.js keeps its own, so the server stays free of test code).
 *
 * @example
 * const random = seededRandom(42)
 * random() // the same sequence on every run
 *
 * @param {number} seed
 * @returns {() => number}
 */
export function seededRandom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
