/** Remove the listener that the call which returned this function added. */
export type Unsubscribe = () => void

/** A tiny typed event emitter; `on` returns its own unsubscribe. */
export interface Emitter<Events extends Record<string, unknown>> {
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): Unsubscribe
  off<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): void
  emit<K extends keyof Events>(name: K, payload: Events[K]): void
  clear(): void
}

/**
 * Make an emitter. A listener that throws does not stop the others: the error is rethrown on a
 * microtask so it still reaches the page's error reporting.
 */
export function createEmitter<Events extends Record<string, unknown>>(): Emitter<Events> {
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
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          ;(listener as (payload: Events[typeof name]) => void)(payload)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    clear() {
      listeners = new Map()
    }
  }
}
