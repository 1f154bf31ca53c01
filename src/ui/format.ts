/** The last day's activity by the clock, older activity by its date. */
export const when = (at: number): string =>
  new Date(at).toLocaleString(undefined, at > Date.now() - 864e5 ? { timeStyle: 'short' } : { dateStyle: 'short' })

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const

/** A size in bytes as the visitor's language writes it: "820 byte", "12 kB", "1.2 MB". */
export function bytes(size: number): string {
  let unit = 0
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000
    unit++
  }
  return new Intl.NumberFormat(undefined, { style: 'unit', unit: UNITS[unit], maximumFractionDigits: unit ? 1 : 0 }).format(size)
}
