/**
 * Where the browser announces `online` and `offline` (the `window`). Any object with these two
 * methods works, so tests and non-window runtimes can drive it.
 */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void
  removeEventListener(type: 'online' | 'offline', listener: () => void): void
}

/**
 * Follow the device's network: `events` when given, `null` for none, and by default `globalThis`
 * when it has `addEventListener` (the `window`; Node has none). Returns what stops following.
 *
 * @example
 * const stop = watchOnline(undefined, { offline: () => drop(), online: () => reconnect() })
 */
export function watchOnline(
  events: NetworkEvents | null | undefined,
  handlers: { offline(): void; online(): void }
): (() => void) | undefined {
  const target =
    events === null
      ? undefined
      : events ?? (typeof (globalThis as Partial<NetworkEvents>).addEventListener === 'function' ? (globalThis as unknown as NetworkEvents) : undefined)
  if (!target) return undefined
  const offline = () => handlers.offline()
  const online = () => handlers.online()
  target.addEventListener('offline', offline)
  target.addEventListener('online', online)
  return () => {
    target.removeEventListener('offline', offline)
    target.removeEventListener('online', online)
  }
}
