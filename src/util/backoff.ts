/** How long to wait before retry number `attempt`, with full jitter. */
export interface BackoffOptions {
  /** First delay's upper bound in ms. Default 500. */
  base?: number
  /** Largest delay in ms. Default 30 000. */
  cap?: number
  /** Random source in [0, 1). Default `Math.random`. */
  random?: () => number
}

/**
 * Exponential backoff with full jitter: a uniform draw in `[0, min(cap, base * 2^attempt))`.
 * Full jitter spreads a crowd of clients that failed together, so they do not reconnect in one burst
 * (see the AWS architecture note "Exponential Backoff And Jitter").
 *
 * @example
 * setTimeout(reconnect, backoffDelay(attempt++))
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { base = 500, cap = 30_000, random = Math.random } = options
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}
