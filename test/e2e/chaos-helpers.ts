import type { BrowserContext, Page } from 'playwright-core'
import { AGENT_KEY, type RunningServer } from './server.js'
import { confabDatabases, messages } from './pages.js'

export { seededRandom } from '../support/random.js'

/**
 * Shared pieces of the chaos tests (chaos.test.ts, tabs.test.ts): a seeded schedule, the reference
 * server's fault switches, reading what the server and the device hold, and one-line metrics.
 */

/** The seed of a chaos run: `CONFAB_CHAOS_SEED`, or a fixed default so `npm test` repeats itself. */
export function chaosSeed(fallback = 20240611): number {
  const given = process.env.CONFAB_CHAOS_SEED
  if (given === undefined || given === '') return fallback
  const seed = Number(given)
  if (!Number.isSafeInteger(seed)) throw new Error(`CONFAB_CHAOS_SEED must be an integer, not "${given}"`)
  return seed
}

/** Print one measured figure as a JSON line, e.g. `{"metric":"chaos.sends.duration","value":41.2,"unit":"s"}`. */
export function metric(name: string, value: number, unit: string): void {
  console.log(JSON.stringify({ metric: name, value, unit }))
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function faultCall<T>(server: RunningServer, path: string, body: unknown): Promise<T> {
  const answer = await fetch(`${server.url}/v1/_faults${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  if (!answer.ok) throw new Error(`POST /v1/_faults${path} answered ${answer.status}: ${await answer.text()}`)
  return answer.json() as Promise<T>
}

/** Replace the server's global faults (`{}` turns every fault off, visitors' included). */
export const setFaults = (server: RunningServer, faults: { dropAfterCommit?: number; fail503?: number; seed?: number }) =>
  faultCall(server, '', faults)

/**
 * Aim faults at one visitor; answers the visitor's faults as they now stand (how many lost answers
 * are still due …) and how many of its open event connections a stream action reached.
 */
export const aimAtVisitor = (
  server: RunningServer,
  visitorId: string,
  change: { endStreams?: boolean; sendRaw?: string; refuseNext?: number; dropNext?: number; dropNextPostbacks?: number }
) => faultCall<{ streams: number; dropNext: number; dropNextPostbacks: number }>(server, `/visitors/${visitorId}`, change)

/**
 * How many realtime connections (WebSockets, event streams) the server holds open for a visitor.
 * Counted through the fault switch's existing `sendRaw` report, with a frame every client ignores:
 * an application pong on a WebSocket, and on an event stream a line of an unknown field, ended
 * before the next event begins.
 */
export async function openConnections(server: RunningServer, visitorId: string): Promise<number> {
  return (await aimAtVisitor(server, visitorId, { sendRaw: '{"type":"pong"}\n' })).streams
}

/** The anonymous visitor a page shows, read from the name of its database (`confab-<site>-v-<id>`). */
export async function visitorIdOf(page: Page): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const found = (await confabDatabases(page)).map((name) => /^confab-[^-]+-v-(.+)$/.exec(name)?.[1]).find(Boolean)
    if (found) return decodeURIComponent(found)
    await sleep(50)
  }
  throw new Error('the page never opened a visitor database')
}

export interface ServerMessage {
  id: string
  clientId?: string
  seq: number
  text: string
  author: { role: string; id?: string }
  parts?: { type: string; [field: string]: unknown }[]
}

/** Every message of a conversation as the server holds it, oldest first, read page by page. */
export async function serverMessages(server: RunningServer, conversationId: string): Promise<ServerMessage[]> {
  const all: ServerMessage[] = []
  let after = '0'
  for (;;) {
    const page = await server.agent<{ messages: ServerMessage[]; after: string }>(
      'GET',
      `conversations/${conversationId}/messages?after=${after}&limit=100`
    )
    if (page.messages.length === 0) return all
    all.push(...page.messages)
    after = page.after
  }
}

/**
 * The conversation's messages once the server holds `count` of them, or once it stored none for
 * `stallMs`: on a loaded device delivery may be slow, but it must never stop.
 */
export async function waitForStored(server: RunningServer, conversationId: string, count: number, stallMs = 60_000): Promise<ServerMessage[]> {
  let stored = await serverMessages(server, conversationId)
  for (let progress = Date.now(), held = stored.length; stored.length < count && Date.now() - progress < stallMs; ) {
    await sleep(250)
    stored = await serverMessages(server, conversationId)
    if (stored.length > held) [held, progress] = [stored.length, Date.now()]
  }
  return stored
}

/** The only conversation a visitor has, as the agent API lists it. */
export async function conversationOf(server: RunningServer, visitorId: string): Promise<string> {
  const { conversations } = await server.agent<{ conversations: { id: string; visitorId: string }[] }>('GET', 'conversations')
  const mine = conversations.filter((c) => c.visitorId === visitorId)
  if (mine.length !== 1) throw new Error(`visitor ${visitorId} has ${mine.length} conversations, expected 1`)
  return mine[0]!.id
}

/** Hand a message to the page's widget as the site would: `Confab('send', text)`, not waiting for delivery. */
export function handOver(page: Page, text: string): Promise<void> {
  return page.evaluate((body) => {
    void (window as unknown as { Confab: (command: string, text: string) => unknown }).Confab('send', body)
  }, text)
}

/** How many entries the `outbox` store of each of the page's Confab databases holds. */
export function outboxSizes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const sizes: Record<string, number> = {}
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('confab-')) continue
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      try {
        if (!db.objectStoreNames.contains('outbox')) continue
        const count = db.transaction('outbox').objectStore('outbox').count()
        sizes[name] = await new Promise<number>((resolve, reject) => {
          count.onsuccess = () => resolve(count.result)
          count.onerror = () => reject(count.error)
        })
      } finally {
        db.close()
      }
    }
    return sizes
  })
}

/** The texts of the messages the open thread shows, with their `data-status`. */
export function shownMessages(page: Page): Promise<{ id: string; text: string; status: string }[]> {
  return messages(page).evaluateAll((nodes) =>
    nodes.map((node) => ({
      id: node.getAttribute('data-id') ?? '',
      text: node.querySelector('.bubble')?.textContent ?? '',
      status: node.getAttribute('data-status') ?? ''
    }))
  )
}

/**
 * Every message of the thread, top to bottom, as the visitor would read it: the thread is drawn
 * virtually (only the messages near the view are in the DOM), so it is scrolled to its start until
 * `first` is drawn (each scroll loads an older page), then walked down a screen at a time, each
 * message taken once by its id.
 */
export async function readThread(page: Page, first: string, timeoutMs = 60_000): Promise<{ id: string; text: string; status: string }[]> {
  const log = page.getByRole('log')
  const started = Date.now()
  // The thread draws the messages near the view on the frame after a scroll: wait for that frame and
  // the next, so a throttled, busy page is read as it shows, not as it showed before the scroll.
  const scroll = (to: 'top' | 'down') =>
    log.evaluate(async (el, to) => {
      el.scrollTop = to === 'top' ? 0 : el.scrollTop + el.clientHeight * 0.8
      el.dispatchEvent(new Event('scroll'))
      await new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))
      return el.scrollHeight - el.scrollTop - el.clientHeight < 2
    }, to)
  while ((await shownMessages(page))[0]?.text !== first && Date.now() - started < timeoutMs) {
    await scroll('top')
    await sleep(100)
  }
  const seen = new Map<string, { id: string; text: string; status: string }>()
  for (;;) {
    await sleep(50)
    for (const message of await shownMessages(page)) if (!seen.has(message.id)) seen.set(message.id, message)
    if ((await scroll('down')) && Date.now() - started < timeoutMs) {
      await sleep(100)
      for (const message of await shownMessages(page)) if (!seen.has(message.id)) seen.set(message.id, message)
      break
    }
    if (Date.now() - started > timeoutMs) break
  }
  return [...seen.values()]
}

/**
 * Stamp, in every page of `context`, the moment (ms since the epoch, the page's own clock) it last
 * opened a realtime connection: a WebSocket to `/v1/ws` or an event stream from `/v1/events`. Read it
 * with {@link connectedAt}. The page's clock, because the moment the test process hears of a
 * connection lags behind it by as much as a second when the machine is loaded (the same process runs
 * the server and drives five throttled tabs).
 */
export async function stampConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const stamp = (url: string | URL, path: string) => {
      if (new URL(url, location.href).pathname.endsWith(path)) (window as { confabConnectedAt?: number }).confabConnectedAt = Date.now()
    }
    const { WebSocket: Socket, EventSource: Source } = window
    window.WebSocket = class extends Socket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols)
        stamp(url, '/v1/ws')
      }
    }
    window.EventSource = class extends Source {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init)
        stamp(url, '/v1/events')
      }
    }
  })
}

/** When `page` last opened a realtime connection, by its own clock (see {@link stampConnections}). */
export const connectedAt = (page: Page): Promise<number | undefined> =>
  page.evaluate(() => (window as { confabConnectedAt?: number }).confabConnectedAt)

/**
 * Follow which pages of a context hold a realtime connection, as the browser sees them: WebSockets
 * to `/v1/ws`, and requests to `/v1/events` (event streams) or `/v1/poll` (long polls) still open.
 */
export function watchConnections(context: BrowserContext) {
  const open = new Map<Page, Set<object>>()
  const openedAt = new Map<Page, number>()
  const track = (page: Page) => {
    open.set(page, new Set())
    const opened = (connection: object) => {
      open.get(page)?.add(connection)
      openedAt.set(page, Date.now())
    }
    const closed = (connection: object) => open.get(page)?.delete(connection)
    page.on('websocket', (ws) => {
      if (!new URL(ws.url()).pathname.endsWith('/v1/ws')) return
      opened(ws)
      ws.on('close', () => closed(ws))
    })
    const streaming = (url: string) => /\/v1\/(events|poll)$/.test(new URL(url).pathname)
    page.on('request', (request) => streaming(request.url()) && opened(request))
    page.on('requestfinished', closed)
    page.on('requestfailed', closed)
    page.on('close', () => open.delete(page))
  }
  for (const page of context.pages()) track(page)
  context.on('page', track)
  return {
    /** The pages with a connection open now. */
    holders: () => [...open].filter(([, connections]) => connections.size > 0).map(([page]) => page),
    /** When `page` last opened a connection (ms since the epoch), if ever. */
    openedAt: (page: Page) => openedAt.get(page)
  }
}

/**
 * Make every page of `context` a loaded device: its CPU slowed `cpu` times (CDP
 * `Emulation.setCPUThrottlingRate`, `CONFAB_CPU_THROTTLE`, default 4) and each write to the
 * IndexedDB outbox committed `outboxDelayMs` late (`CONFAB_OUTBOX_DELAY_MS`, default 10; a page can
 * change it with `window.confabOutboxDelay`): the transaction is kept open with reads until then, as
 * a busy device keeps it, so a page that goes away meanwhile aborts it.
 */
export async function underLoad(
  context: BrowserContext,
  { cpu = Number(process.env.CONFAB_CPU_THROTTLE ?? 4), outboxDelayMs = Number(process.env.CONFAB_OUTBOX_DELAY_MS ?? 10) } = {}
): Promise<BrowserContext> {
  await context.addInitScript((delay: number) => {
    const slow = window as unknown as { confabOutboxDelay?: number }
    slow.confabOutboxDelay ??= delay
    const transaction = IDBDatabase.prototype.transaction
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, names: string | string[], mode?: IDBTransactionMode, ...rest: unknown[]) {
      const tx = (transaction as (...args: unknown[]) => IDBTransaction).call(this, names, mode, ...rest)
      if (mode === 'readwrite' && [names].flat().includes('outbox') && (slow.confabOutboxDelay ?? 0) > 0) {
        const until = performance.now() + slow.confabOutboxDelay!
        const store = tx.objectStore('outbox')
        const keepOpen = () => {
          if (performance.now() < until) store.count().onsuccess = keepOpen
        }
        keepOpen()
      }
      return tx
    } as typeof transaction
  }, outboxDelayMs)
  const throttle = async (page: Page) => {
    if (cpu <= 1) return
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu })
  }
  context.on('page', (page) => void throttle(page).catch(() => undefined))
  return context
}
