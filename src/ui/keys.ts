/**
 * The arrow key of `event` as it moves in reading order: where the text runs right to left (the
 * pane in Arabic or Hebrew), ArrowLeft goes to the next item, as ArrowRight does in English, so a
 * grid or a row of tabs answers it as ArrowRight. Other keys as they are.
 *
 * @example
 * const key = readingKey(event) // 'ArrowRight' for ArrowLeft pressed in an Arabic pane
 */
export function readingKey(event: KeyboardEvent): string {
  const { key } = event
  if (key !== 'ArrowLeft' && key !== 'ArrowRight') return key
  return getComputedStyle(event.target as Element).direction === 'rtl' ? (key === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft') : key
}
