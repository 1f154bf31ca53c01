import type { EmojiData } from './types.js'

/**
 * The newest Emoji version the browser's fonts draw, found by measuring the first emoji of each
 * version the data marks, newest first, on a canvas: one drawn as a single emoji is as wide as 😀,
 * one the fonts lack shows as a narrow box or, for a sequence, as its parts side by side. Where
 * nothing can be measured (no canvas), every emoji is taken as drawn.
 *
 * @example
 * createEmojiIndex(data, supportedVersion(data, document)) // on an older phone: without Emoji 15's
 */
export function supportedVersion(data: EmojiData, doc: Document): number {
  let context: CanvasRenderingContext2D | null = null
  try {
    context = doc.createElement('canvas').getContext('2d')
  } catch {
    // No canvas (a test DOM): nothing to measure with.
  }
  if (!context?.measureText) return Infinity
  context.font = '20px sans-serif'
  const width = (emoji: string) => context.measureText(emoji).width
  const reference = width('😀')
  if (!reference) return Infinity
  const first = new Map<number, string>()
  for (const group of data.groups) for (const [emoji, , , , version] of group.emoji) if (version && !first.has(version)) first.set(version, emoji)
  const versions = [...first.keys()].sort((a, b) => b - a)
  for (const version of versions) if (Math.abs(width(first.get(version)!) - reference) <= reference * 0.2) return version
  // None of the marked ones is drawn: only the emoji older than all of them.
  return versions.length ? versions[versions.length - 1]! - 0.1 : Infinity
}
