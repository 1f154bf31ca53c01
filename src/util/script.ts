/**
 * Add the script `src` to the page, with the CSP `nonce` the page gave its own script, and resolve
 * with what it defines on `globalThis[name]`. Rejects (with nothing: the caller knows the script)
 * when it cannot be loaded, or loads but defines nothing (a page served in its place); the failed
 * element goes, so calling again retries. Imports nothing: the script tag's loader uses it too.
 *
 * @example
 * const core = await loadScript<Core>('https://cdn.example.com/confab-core.js', nonce, 'ConfabCore')
 */
export const loadScript = <T>(src: string, nonce: string, name: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const global = globalThis as unknown as Record<string, T | undefined>
    // Scripts made by a script load async, without blocking the page.
    const script = document.createElement('script')
    script.src = src
    if (nonce) script.nonce = nonce
    script.onload = script.onerror = () => {
      const value = global[name]
      if (value) return resolve(value)
      script.remove()
      reject()
    }
    document.head.appendChild(script)
  })

/**
 * The address of `file` beside the script loaded from `base` (the script tag's `src`), or relative
 * to the page where that is not known (an inline script).
 *
 * @example
 * besideScript('confab-core.js', 'https://cdn.example.com/confab.js') // 'https://cdn.example.com/confab-core.js'
 */
export const besideScript = (file: string, base: string): string => new URL(file, base || document.baseURI).href
