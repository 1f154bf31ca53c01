/** What the page's Trusted Types API offers, where it has one. */
type TrustedTypes = { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown } }

/** Where the one policy lives once made: `confab.js` and `confab-core.js` both load scripts, and a name can be used once. */
const POLICY = Symbol.for('confab.policy')

/** A companion of `confab.js`, beside it: `confab-core.js`, `confab-pane.js` … */
const COMPANION = /\/confab-[a-z-]+\.js$/

/**
 * `src` as a page that enforces Trusted Types (`require-trusted-types-for 'script'`) accepts it: made by
 * the policy named `confab` (the page lists it in `trusted-types confab`), which lets through only
 * companion scripts in the folder of the script that made it. Elsewhere, `src` as it is.
 */
function trusted(src: string): unknown {
  const global = globalThis as unknown as { trustedTypes?: TrustedTypes; [POLICY]?: { createScriptURL(url: string): unknown } }
  const types = global.trustedTypes
  if (!types) return src
  if (!global[POLICY]) {
    const folder = new URL('.', src).href
    try {
      global[POLICY] = types.createPolicy('confab', {
        createScriptURL: (url) => {
          if (new URL('.', url).href !== folder || !COMPANION.test(new URL(url).pathname)) throw new TypeError(`Confab loads only its own scripts, not ${url}`)
          return url
        }
      })
    } catch {
      // A page whose policy does not name `confab`: the script goes as it is, and the page decides.
      return src
    }
  }
  return global[POLICY].createScriptURL(src)
}

/**
 * Add a `tag` element with `props` (its DOM properties) to the page's `<head>`; returns it.
 *
 * @example
 * addToHead('link', { rel: 'preload', as: 'script', href, nonce })
 */
export const addToHead = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]>): HTMLElementTagNameMap[K] =>
  document.head.appendChild(Object.assign(document.createElement(tag), props))

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
    const settle = () => {
      const value = global[name]
      if (value) return resolve(value)
      script.remove()
      reject()
    }
    // Scripts made by a script load async, without blocking the page.
    const script = addToHead('script', { src: trusted(src) as string, nonce, onload: settle, onerror: settle })
  })

/**
 * The address of `file` beside the script loaded from `base` (the script tag's `src`), or relative
 * to the page where that is not known (an inline script).
 *
 * @example
 * besideScript('confab-core.js', 'https://cdn.example.com/confab.js') // 'https://cdn.example.com/confab-core.js'
 */
export const besideScript = (file: string, base: string): string => new URL(file, base || document.baseURI).href
