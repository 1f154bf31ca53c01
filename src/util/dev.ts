/** The warnings said in this page already. */
const said = new Set<string>()

/**
 * Say `message` on the console once per page. For development builds' warnings: call it behind
 * `process.env.NODE_ENV !== 'production'`, which production builds turn into `false`, dropping the
 * call and its words.
 *
 * @example
 * if (process.env.NODE_ENV !== 'production') warnOnce(`Confab speaks no ${locale}: it shows en`)
 */
export function warnOnce(message: string): void {
  if (said.has(message)) return
  said.add(message)
  console.warn(message)
}
