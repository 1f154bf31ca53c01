/** The last day's activity by the clock, older activity by its date, as `locale` writes them. */
export const when = (at: number, locale: string): string =>
  new Date(at).toLocaleString(locale, at > Date.now() - 864e5 ? { timeStyle: 'short' } : { dateStyle: 'short' })

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const

/** A size in bytes as `locale` writes it: "820 byte", "12 kB", "1.2 MB" (`'en'`), "1,2 Mo" (`'fr'`). */
export function bytes(size: number, locale: string): string {
  let unit = 0
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000
    unit++
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: UNITS[unit], maximumFractionDigits: unit ? 1 : 0 }).format(size)
}
