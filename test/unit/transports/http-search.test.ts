import { http, HttpResponse, type JsonBodyType } from 'msw'
import { describe, expect, it } from 'vitest'
import { BASE, connected, failure, message, server, sessions, useServer } from './http-fixtures.js'

useServer()


/** `GET /v1/search` answering `body`, recording each request's query. */
function searchAnswers(body: JsonBodyType) {
  const queries: Record<string, string>[] = []
  server.use(
    http.get(`${BASE}/v1/search`, ({ request }) => {
      queries.push(Object.fromEntries(new URL(request.url).searchParams))
      return HttpResponse.json(body)
    })
  )
  return queries
}

describe('http transport: archive search', () => {
  it('declares search and sends the query, conversation and limit as parameters', async () => {
    sessions()
    const queries = searchAnswers({ hits: [] })
    const transport = await connected()
    expect(transport.capabilities.search).toBe(true)
    await transport.searchArchive!('crème "new order"', { conversationId: 'c 1', limit: 5 })
    expect(queries).toEqual([{ q: 'crème "new order"', conversationId: 'c 1', limit: '5' }])
  })

  it('sends only q when no options are given', async () => {
    sessions()
    const queries = searchAnswers({ hits: [] })
    const transport = await connected()
    await transport.searchArchive!('refund')
    expect(queries).toEqual([{ q: 'refund' }])
  })

  it('resolves with the hits, keeping only the fields the contract knows', async () => {
    sessions()
    const older = message({ id: 'm1', text: 'refund please' })
    const newer = message({ id: 'm9', seq: 9, text: 'refund done', author: { role: 'agent', name: 'Ada' } })
    searchAnswers({ hits: [{ message: { ...newer, extra: 1 }, score: 3 }, { message: older }], total: 2 })
    const transport = await connected()
    expect(await transport.searchArchive!('refund')).toEqual([{ message: newer }, { message: older }])
  })

  it('rejects hits with a bad message, and a body without hits, as malformed', async () => {
    sessions()
    const transport = await connected()
    for (const body of [{ hits: [{ message: message() }, { message: { ...message(), text: 7 } }] }, { hits: [null] }, { messages: [] }]) {
      searchAnswers(body)
      const error = await failure(transport.searchArchive!('hello'))
      expect(error).toMatchObject({ code: 'malformed-event', retryable: false, data: body })
      expect(error.message).toContain('GET /v1/search')
    }
  })

  it('rejects a refused query with a non-retryable http error quoting the server', async () => {
    sessions()
    server.use(
      http.get(`${BASE}/v1/search`, () =>
        HttpResponse.json({ error: { code: 'bad-request', message: '"q" is missing' } }, { status: 400 })
      )
    )
    const transport = await connected()
    const error = await failure(transport.searchArchive!(''))
    expect(error).toMatchObject({ code: 'http', status: 400, retryable: false })
    expect(error.message).toBe('GET /v1/search answered 400: "q" is missing')
  })
})
