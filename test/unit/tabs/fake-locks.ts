/**
 * An in-memory Web Locks origin: each `tab()` is one tab's `navigator.locks`. Exclusive locks only,
 * granted in request order; a lock is released when its callback's promise settles, or when its
 * tab crashes (the browser's job), which also forgets that tab's queued requests.
 * Supports `ifAvailable` and `signal`; `mode: 'shared'` and `steal` are refused.
 */
export interface FakeTabLocks extends LockManager {
  /** The tab is gone: release what it holds, drop what it waits for, settle nothing. */
  crash(): void
}

interface Pending {
  tab: number
  grant(): void
  drop(): void
}

export function createFakeLocks() {
  const held = new Map<string, number>()
  const queues = new Map<string, Pending[]>()
  let tabs = 0

  const queue = (name: string) => {
    let list = queues.get(name)
    if (!list) queues.set(name, (list = []))
    return list
  }
  const next = (name: string) => {
    if (held.has(name)) return
    const first = queue(name).shift()
    if (first) first.grant()
  }
  const release = (name: string, tab: number) => {
    if (held.get(name) !== tab) return
    held.delete(name)
    next(name)
  }

  function tab(): FakeTabLocks {
    const me = ++tabs
    let alive = true
    const mine = new Set<string>()

    function request(name: string, ...rest: unknown[]): Promise<unknown> {
      const callback = rest.pop() as (lock: Lock | null) => unknown
      const options = (rest[0] ?? {}) as LockOptions
      if (options.mode === 'shared' || options.steal) throw new Error('fake-locks: only exclusive requests')
      return new Promise((resolve, reject) => {
        const run = (lock: Lock | null) => {
          // Like the browser, the callback runs in a later task and its result settles the request.
          queueMicrotask(() => {
            let result: Promise<unknown>
            try {
              result = Promise.resolve(callback(lock))
            } catch (error) {
              result = Promise.reject(error)
            }
            result
              .finally(() => {
                if (!lock || !alive) return
                mine.delete(name)
                release(name, me)
              })
              .then(
                (value) => alive && resolve(value),
                (error) => alive && reject(error)
              )
          })
        }
        if (options.signal?.aborted) return reject(new DOMException('aborted', 'AbortError'))
        if (options.ifAvailable && (held.has(name) || queue(name).length > 0)) return run(null)
        const pending: Pending = {
          tab: me,
          grant() {
            options.signal?.removeEventListener('abort', onAbort)
            held.set(name, me)
            mine.add(name)
            run({ name, mode: 'exclusive' } as Lock)
          },
          drop() {
            options.signal?.removeEventListener('abort', onAbort)
          }
        }
        const onAbort = () => {
          const list = queue(name)
          list.splice(list.indexOf(pending), 1)
          reject(new DOMException('aborted', 'AbortError'))
        }
        options.signal?.addEventListener('abort', onAbort)
        queue(name).push(pending)
        next(name)
      })
    }

    return {
      request: request as LockManager['request'],
      async query() {
        return {
          held: [...held].map(([name, tab]) => ({ name, mode: 'exclusive', clientId: String(tab) }) as LockInfo),
          pending: [...queues].flatMap(([name, list]) =>
            list.map((p) => ({ name, mode: 'exclusive', clientId: String(p.tab) }) as LockInfo)
          )
        }
      },
      crash() {
        alive = false
        for (const [name, list] of queues) {
          for (const p of list.filter((p) => p.tab === me)) p.drop()
          queues.set(
            name,
            list.filter((p) => p.tab !== me)
          )
        }
        for (const name of mine) release(name, me)
        mine.clear()
      }
    }
  }

  return { tab }
}
