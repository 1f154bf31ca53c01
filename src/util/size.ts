/**
 * A number of bytes as a person reads it: `25 MB`, `1.5 MB`, `300 KB`, `12 bytes` (binary units,
 * as file managers count).
 *
 * @example
 * sizeText(25 * 1024 * 1024) // '25 MB'
 */
export function sizeText(bytes: number): string {
  const units = [
    ['GB', 2 ** 30],
    ['MB', 2 ** 20],
    ['KB', 2 ** 10]
  ] as const
  for (const [unit, size] of units) if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`
  return `${bytes} bytes`
}
