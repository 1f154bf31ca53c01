import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { createServer, type ServerOptions } from '../../../examples/server/app.js'
import type { Conversation, Message } from '../../../src/transports/types.js'

export const AGENT_KEY = 'test-agent'

export type { Conversation, Message }

/** An answer: status, headers and the parsed JSON body (`undefined` when there is none). */
export interface Answer<T = any> {
  status: number
  headers: Headers
  body: T
}

export interface RequestOptions {
  /** Bearer token (visitor token or agent key). */
  token?: string
  /** Sent as JSON unless it is a string (sent as is). */
  body?: unknown
  headers?: Record<string, string>
}

export interface TestServer {
  url: string
  dataDir: string
  /** `fetch` against the server, JSON in and out. */
  call<T = any>(method: string, path: string, options?: RequestOptions): Promise<Answer<T>>
  /** Stop this server and start a new one on the same data folder (and a new port). */
  restart(options?: Partial<ServerOptions>): Promise<void>
  stop(): Promise<void>
}

/**
 * Start the reference server on 127.0.0.1, port 0, with a fresh data folder. It is stopped and the
 * folder removed when the test finishes.
 */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'confab-server-'))
  const make = (extra: Partial<ServerOptions> = {}) =>
    createServer({ agentKey: AGENT_KEY, widgetPath: join(dataDir, 'no-widget.js'), ...options, ...extra, dataDir })
  let server = make()
  let stopped = false
  const running: TestServer = {
    url: (await server.listen()).url,
    dataDir,
    call: (method, path, requestOptions) => call(running.url, method, path, requestOptions),
    async restart(extra) {
      await server.close()
      server = make(extra)
      stopped = false
      running.url = (await server.listen()).url
    },
    async stop() {
      if (stopped) return
      stopped = true
      await server.close()
    }
  }
  onTestFinished(async () => {
    await running.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return running
}

export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  { token, body, headers = {} }: RequestOptions = {}
): Promise<Answer<T>> {
  const init: RequestInit = { method, headers: { ...headers } }
  const sent = init.headers as Record<string, string>
  if (token !== undefined) sent.authorization = `Bearer ${token}`
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    sent['content-type'] ??= 'application/json'
  }
  const response = await fetch(base + path, init)
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) }
}

/** A visitor with a session and, for convenience, one conversation. */
export interface TestVisitor {
  visitorId: string
  resumeKey: string
  token: string
  conversation: Conversation
  /** Send as this visitor to its conversation (a fresh clientId unless given). */
  send(text: string, clientId?: string): Promise<Answer>
}

let clientIds = 0

export async function visitor(server: TestServer, mode: 'chat' | 'messaging' = 'messaging'): Promise<TestVisitor> {
  const session = await server.call('POST', '/v1/sessions', { body: {} })
  const { token } = session.body as { token: string }
  const created = await server.call<Conversation>('POST', '/v1/conversations', { token, body: { mode } })
  return {
    ...session.body,
    conversation: created.body,
    send: (text, clientId = `client-${++clientIds}`) =>
      server.call('POST', `/v1/conversations/${created.body.id}/messages`, { token, body: { clientId, text } })
  }
}

/** Send as the agent. */
export function agentSend(server: TestServer, conversationId: string, text: string, clientId = `agent-${++clientIds}`) {
  return server.call<Message>('POST', `/v1/agent/conversations/${conversationId}/messages`, {
    token: AGENT_KEY,
    body: { clientId, text }
  })
}

/** One server-sent event. `id` is the last id the stream set (as the SSE spec carries it over). */
export interface SseEvent {
  id: string
  event: string
  data: any
}

export interface EventReader {
  /** The next event (comments and `retry:` are skipped); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent>
  /** Resolve with whatever arrives within `ms` (to show that nothing does). */
  idle(ms: number): Promise<SseEvent[]>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

/** Open an event stream with streaming fetch and parse it. */
export async function openEvents(
  base: string,
  path: string,
  { token, lastEventId }: { token: string; lastEventId?: string }
): Promise<EventReader> {
  const controller = new AbortController()
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
  const response = await fetch(base + path, { headers, signal: controller.signal })
  if (response.status !== 200 || !response.body) throw new Error(`${path} answered ${response.status}`)
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  const queue: SseEvent[] = []
  const waiting: Array<(event: SseEvent) => void> = []
  let buffer = ''
  let id = lastEventId ?? ''
  let event = ''
  let data = ''

  function dispatch(line: string) {
    if (line === '') {
      if (data !== '') {
        const parsed = { id, event: event || 'message', data: JSON.parse(data) }
        const taker = waiting.shift()
        if (taker) taker(parsed)
        else queue.push(parsed)
      }
      event = ''
      data = ''
      return
    }
    const colon = line.indexOf(':')
    if (colon === 0) return
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') id = value
    else if (field === 'event') event = value
    else if (field === 'data') data += value
  }

  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += decoder.decode(value, { stream: true })
        const lines = buffer.split('\n')
        buffer = lines.pop() ?? ''
        lines.forEach(dispatch)
      }
    } catch {
      // Aborted by close().
    }
  })()

  return {
    next(timeoutMs = 2000) {
      const ready = queue.shift()
      if (ready) return Promise.resolve(ready)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(take), 1)
          reject(new Error(`no event within ${timeoutMs} ms`))
        }, timeoutMs)
        const take = (e: SseEvent) => {
          clearTimeout(timer)
          resolve(e)
        }
        waiting.push(take)
      })
    },
    async idle(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms))
      return queue.splice(0)
    },
    ended,
    close: () => controller.abort()
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A visitor with `count` stored messages of `size` characters each (about `count * size` bytes). */
export async function busyVisitor(count: number, size: number) {
  const server = await startServer()
  const someone = await visitor(server)
  for (let i = 0; i < count; i++) {
    const answer = await someone.send(`${i} ${'x'.repeat(size)}`)
    if (answer.status !== 201) throw new Error(`send answered ${answer.status}`)
  }
  return { server, someone }
}
