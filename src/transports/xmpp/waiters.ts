import { createError, type ConfabError } from '../../errors/index.js'
import type { Timers } from '../../util/timers.js'

/** A call waiting for an answer, and the timer that gives up on it. */
export type Waiter<T> = { resolve(value: T): void; reject(error: ConfabError): void; timer: unknown }

/** Calls waiting for answers, by key: a room's JID, a sent message's key, or any fresh object. */
export interface Waiters<K, T> {
  /** Wait until the answer for `key` is {@link Waiters.take}n and settled; after `ms`, fail with `timedOut()`. */
  wait(key: K, ms: number, timedOut: () => ConfabError): Promise<T>
  /** Like {@link Waiters.wait}, for the answer to what `send()` writes; if `send` throws, the wait fails with its error. */
  ask(key: K, ms: number, timedOut: () => ConfabError, send: () => void): Promise<T>
  /** The waiter of `key`, no longer waiting (its timer stopped), to settle; `undefined` when none waits. */
  take(key: K): Waiter<T> | undefined
  /** Every waiter, no longer waiting, to settle. */
  takeAll(): Waiter<T>[]
}

/** An empty set of {@link Waiters} whose timeouts run on `timers`. */
export function createWaiters<K, T>(timers: Timers): Waiters<K, T> {
  const waiting = new Map<K, Waiter<T>>()
  const take = (key: K) => {
    const waiter = waiting.get(key)
    if (waiter) timers.clearTimeout(waiter.timer)
    waiting.delete(key)
    return waiter
  }
  const wait = (key: K, ms: number, timedOut: () => ConfabError) =>
    new Promise<T>((resolve, reject) => {
      waiting.set(key, {
        resolve,
        reject,
        timer: timers.setTimeout(() => {
          waiting.delete(key)
          reject(timedOut())
        }, ms)
      })
    })
  return {
    wait,
    ask(key, ms, timedOut, send) {
      const answer = wait(key, ms, timedOut)
      try {
        send()
      } catch (error) {
        take(key)?.reject(error as ConfabError)
      }
      return answer
    },
    take,
    takeAll: () => [...waiting.keys()].map((key) => take(key)!)
  }
}

/** `promise`, or a `closed` error as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, label: string): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(createError('closed', `${label} was aborted`, { cause: signal.reason }))
    // Aborted already: the event will not come again.
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
