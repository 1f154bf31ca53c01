/** Remove the listener that the call which returned this function added. */
export type Unsubscribe = () => void

/** A tiny typed event emitter; `on` returns its own unsubscribe. */
export interface Emitter<Events extends Record<string, unknown>> {
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): Unsubscribe
  off<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): void
  /** Call the listeners of `name`; answers whether there was any. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): boolean
  clear(): void
}

/**
 * Make an emitter. A listener that throws does not stop the others: the error goes to `thrown`,
 * which answers whether it reported it; when it did not (or there is no `thrown`), the error is
 * rethrown on a microtask so it still reaches the page's error reporting.
 *
 * @example
 * const emitter = createEmitter<{ ready: undefined; error: Error }>((error, name) => name !== 'error' && emitter.emit('error', error as Error))
 */
export function createEmitter<Events extends Record<string, unknown>>(thrown?: (error: unknown, name: keyof Events) => boolean): Emitter<Events> {
  let listeners = new Map<keyof Events, Set<(payload: never) => void>>()
  const off: Emitter<Events>['off'] = (name, listener) => {
    listeners.get(name)?.delete(listener as (payload: never) => void)
  }
  return {
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener as (payload: never) => void)
      return () => off(name, listener)
    },
    off,
    emit(name, payload) {
      const called = [...(listeners.get(name) ?? [])]
      for (const listener of called) {
        try {
          ;(listener as (payload: Events[typeof name]) => void)(payload)
        } catch (error) {
          if (!thrown?.(error, name)) {
            queueMicrotask(() => {
              throw error
            })
          }
        }
      }
      return called.length > 0
    },
    clear() {
      listeners = new Map()
    }
  }
}
