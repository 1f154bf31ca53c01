/** What a request may carry. `searchParams` entries that are `undefined` are left out. */
export interface RequestOptions {
  method: 'get' | 'post'
  json?: unknown
  searchParams?: Record<string, string | number | undefined>
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** An answer outside 2xx; `response` holds the status, headers and body. */
export interface StatusError extends Error {
  name: 'StatusError'
  response: Response
}

/**
 * The few things the transport needs around `fetch`: a base URL, JSON bodies, query strings,
 * default headers, a timeout for the response headers (not the body, which may be a stream), and
 * non-2xx answers as errors. (A request library would add retries, hooks and progress events the
 * transport does not use, at a fifth of the widget's byte budget.)
 */
export function createFetcher(options: {
  url: string
  fetch?: typeof fetch
  timeout: number
  headers?: Record<string, string>
}): (path: string, init: RequestOptions) => Promise<Response> {
  const base = options.url.replace(/\/+$/, '')
  return async (path, { method, json, searchParams, headers, signal }) => {
    const query = new URLSearchParams()
    for (const [key, value] of Object.entries(searchParams ?? {})) if (value !== undefined) query.set(key, String(value))
    // A timed-out fetch rejects with the signal's reason, a DOMException named 'TimeoutError'. The
    // timeout ends with the headers: an aborted signal would also cut an event stream's body.
    const timeout = AbortSignal.timeout(options.timeout)
    const headersDue = new AbortController()
    const expire = () => headersDue.abort(timeout.reason)
    timeout.addEventListener('abort', expire)
    let response: Response
    try {
      // Called unbound: some browsers throw "Illegal invocation" when fetch gets another `this`.
      response = await (options.fetch ?? globalThis.fetch)(`${base}/${path}${query.size ? `?${query}` : ''}`, {
        method: method.toUpperCase(),
        headers: { ...options.headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: json === undefined ? null : JSON.stringify(json),
        signal: signal ? AbortSignal.any([signal, headersDue.signal]) : headersDue.signal
      })
    } finally {
      timeout.removeEventListener('abort', expire)
    }
    if (!response.ok) throw Object.assign(new Error(`answered ${response.status}`), { name: 'StatusError', response })
    return response
  }
}

/** Whether `error` is a non-2xx answer from {@link createFetcher}. */
export const isStatusError = (error: unknown): error is StatusError => (error as Error | null)?.name === 'StatusError'
