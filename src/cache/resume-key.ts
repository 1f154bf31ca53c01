/**
 * Where the anonymous visitor's resume key lives: the one credential Confab keeps on the device.
 * Any object with these three methods will do (a cookie jar, an app's secure storage).
 */
export interface ResumeKeyStore {
  get(): string | null
  set(value: string): void
  remove(): void
}

/**
 * Keep the resume key in `localStorage` under `key`. Falls back to memory where `localStorage`
 * is missing or throws (or when `storage` is `null`) (Safari private mode, sandboxed iframes, storage disabled), so the widget
 * still works for this visit.
 *
 * @example
 * createClient({ transport, resumeKeyStore: createLocalResumeKeyStore('confab:acme:resume') })
 */
export function createLocalResumeKeyStore(
  key: string,
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null | undefined = safeLocalStorage()
): ResumeKeyStore {
  let memory: string | null = null
  const attempt = <T>(run: (s: NonNullable<typeof storage>) => T, fallback: T): T => {
    if (!storage) return fallback
    try {
      return run(storage)
    } catch {
      return fallback
    }
  }
  return {
    get: () => attempt((s) => s.getItem(key), null) ?? memory,
    set(value) {
      memory = value
      attempt((s) => s.setItem(key, value), undefined)
    },
    remove() {
      memory = null
      attempt((s) => s.removeItem(key), undefined)
    }
  }
}

/** `localStorage`, or `undefined` where reading the property itself throws or it does not exist. */
export function safeLocalStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined
  }
}
