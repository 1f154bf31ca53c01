// @ts-check

/**
 * What a handler gets.
 * @typedef {object} Request
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {Record<string, string>} params The `:name` parts of the path, undecoded.
 * @property {URLSearchParams} query
 * @property {() => Promise<Record<string, unknown>>} body The JSON body (read once, on demand).
 */
/**
 * What a handler answers: JSON (or an empty body when `body` is undefined). A handler that wrote
 * the response itself (an event stream) returns nothing.
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} Reply
 */
/**
 * @typedef {object} Route
 * @property {string} method
 * @property {string} path e.g. `/v1/conversations/:id/messages`
 * @property {(request: Request) => Reply | void | Promise<Reply | void>} handle
 * @property {'visitor' | 'agent' | 'bot' | 'page'} api Which API it belongs to: decides CORS and fault injection.
 */

/**
 * A route table. `match` tells apart an unknown path (`null`) from a known path asked with another
 * method (`{ allowed }`).
 *
 * @param {Route[]} routes
 *
 * @example
 * const router = createRouter([{ method: 'GET', path: '/health', api: 'page', handle: () => ({ status: 200 }) }])
 * router.match('GET', '/health') // { route, params: {} }
 */
export function createRouter(routes) {
  const compiled = routes.map((route) => {
    /** @type {string[]} */
    const names = []
    const source = route.path.replace(/:(\w+)/g, (_, name) => {
      names.push(name)
      return '([^/]+)'
    })
    return { route, names, pattern: new RegExp(`^${source}$`) }
  })

  return {
    /**
     * @param {string} method
     * @param {string} pathname
     * @returns {{ route: Route, params: Record<string, string> } | { allowed: string[] } | null}
     */
    match(method, pathname) {
      /** @type {string[]} */
      const allowed = []
      for (const { route, names, pattern } of compiled) {
        const found = pattern.exec(pathname)
        if (!found) continue
        if (route.method !== method) {
          allowed.push(route.method)
          continue
        }
        /** @type {Record<string, string>} */
        const params = {}
        names.forEach((name, i) => (params[name] = found[i + 1] ?? ''))
        return { route, params }
      }
      return allowed.length > 0 ? { allowed } : null
    }
  }
}
