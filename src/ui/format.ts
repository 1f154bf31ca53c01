/** The last day's activity by the clock, older activity by its date. */
export const when = (at: number): string =>
  new Date(at).toLocaleString(undefined, at > Date.now() - 864e5 ? { timeStyle: 'short' } : { dateStyle: 'short' })
