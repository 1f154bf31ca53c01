import { http, HttpResponse } from 'msw'
import { server } from '../transports/http-fixtures.js'

/** Answer GET `endpoint` with `body` (a fixture) and keep the URLs asked, query and all. */
export function answer(endpoint: string, body: unknown, init?: ResponseInit): URL[] {
  const asked: URL[] = []
  server.use(
    http.get(endpoint, ({ request }) => {
      asked.push(new URL(request.url))
      return HttpResponse.json(body as object, init)
    })
  )
  return asked
}
