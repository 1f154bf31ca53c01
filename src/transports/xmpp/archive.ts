import { createError, isConfabError } from '../../errors/index.js'
import type { HistoryPage, HistoryQuery, Message } from '../types.js'
import type { Room, XmppContext } from './context.js'
import type { XmppConnection } from './connection.js'
import { conditionOf, connectionLost } from './errors.js'
import { noteStored, onMessage } from './live.js'
import { noteMarkers, place, readMarker } from './markers.js'
import { archiveQuery, delayOf, historyPage, readArchived, readFin, sliceOf, type ArchiveSlice, type Entry } from './messages.js'
import { child, NS } from './xml.js'
import { request } from './requests.js'
import { abortable } from './waiters.js'

/** The cursor of "the start of the archive": the `after` of an empty page. Archive ids never take this form. */
const START = '*'
/** Most messages read from the archive to catch up one room after a reconnect. */
const CATCH_UP_PAGES = 10
/** Page size the adapter reads with when it looks for stored client ids or missed messages. */
const SCAN = 50
/**
 * Most archive queries one `history()` page takes: the archive also keeps postbacks and read markers,
 * which no page shows, so a page is filled from the next slice until it holds what was asked.
 */
const FILL = 5

/** One page of `room`'s archive (MAM, paged with RSM). */
async function queryArchive(ctx: XmppContext, conn: XmppConnection, room: Room, slice: ArchiveSlice, max: number, label: string) {
  const queryId = ctx.newId()
  const results: Element[] = []
  ctx.archives.set(queryId, { jid: room.jid, results })
  try {
    const answer = await conn.iq('set', room.jid, archiveQuery(queryId, slice, max), label)
    const messages = results.flatMap((result) => readArchived(result, room, ctx.report) ?? [])
    // Stamps with whole seconds (Prosody) tie; never let a later message look older.
    for (let i = 1; i < messages.length; i++) {
      if (messages[i]!.createdAt < messages[i - 1]!.createdAt) messages[i]!.createdAt = messages[i - 1]!.createdAt
    }
    const markers = results.flatMap((result) => {
      const forwarded = child(result, 'forwarded', NS.forward)
      const inner = child(forwarded, 'message')
      return (inner && readMarker(inner, room, delayOf(forwarded) ?? delayOf(inner) ?? ctx.now())) || []
    })
    return { messages, markers, fin: readFin(answer) }
  } catch (error) {
    // An archive that no longer knows a cursor: like HTTP 410, the client reloads the thread.
    if (conditionOf(error) === 'item-not-found' && !('before' in slice && slice.before === null)) {
      throw createError('not-found', `${label}: the archive of ${room.jid} no longer knows this cursor`, { status: 410, retryable: false, cause: error })
    }
    throw error
  } finally {
    ctx.archives.delete(queryId)
  }
}

/** Read the newest `max` archived messages of `room` and keep what they tell (see `noteStored`, markers.ts). */
async function readNewest(ctx: XmppContext, conn: XmppConnection, room: Room, max: number, label: string) {
  const page = await queryArchive(ctx, conn, room, { before: null }, max, label)
  for (const message of page.messages) noteStored(ctx, room, message)
  place(room, page.messages)
  noteMarkers(ctx, room, page.markers)
  return page
}

/**
 * Read the newest archived stanzas of `room`: its latest activity, how far each side read, and where
 * catching up starts. A few, not one: the newest may be postbacks and read markers, which are no
 * conversation's last message.
 */
export async function loadNewest(ctx: XmppContext, conn: XmppConnection, room: Room): Promise<void> {
  const { fin } = await readNewest(ctx, conn, room, 10, `Reading the newest messages of ${room.jid}`)
  if (fin.last) room.lastId = fin.last
}

/**
 * Page `room`'s archive forward from `after`, handing each page to `take`, until the archive ends or
 * `take` answers true (resolves true), or `pages` pages were read (false).
 */
async function pageForward(
  ctx: XmppContext,
  conn: XmppConnection,
  room: Room,
  after: string | undefined,
  pages: number,
  label: string,
  take: (page: Awaited<ReturnType<typeof queryArchive>>) => boolean | void
): Promise<boolean> {
  for (let page = 0; page < pages; page++) {
    const read = await queryArchive(ctx, conn, room, { after: after ?? null }, SCAN, label)
    const { fin } = read
    if (take(read) || fin.complete || !fin.last) return true
    after = fin.last
  }
  return false
}

/** Deliver what `room`'s archive got after the newest message seen (a reconnect's gap). */
export async function catchUp(ctx: XmppContext, conn: XmppConnection, room: Room, session: number): Promise<void> {
  const label = `Catching up ${room.jid}`
  try {
    const done = await pageForward(ctx, conn, room, room.lastId, CATCH_UP_PAGES, label, ({ messages, markers, fin }) => {
      if (session !== ctx.generation) return true
      for (const message of messages) onMessage(ctx, room, message)
      noteMarkers(ctx, room, markers)
      // Only pages move the cursor while catching up (see `behind`).
      if (fin.last) room.lastId = fin.last
    })
    // Too far behind to replay: go on from the newest message, and the client reloads its threads.
    if (!done) await loadNewest(ctx, conn, room)
    if (session !== ctx.generation) return
    if (!done) ctx.emit({ type: 'reset' })
    room.behind = false
  } catch (error) {
    if (session === ctx.generation) ctx.report(isConfabError(error) ? error : connectionLost(label, error))
  }
}

/**
 * Read `room`'s archive after `after` (where it was when a send's answer was lost) until `found()`
 * holds or the archive ends: a busy room may have stored any number of messages since.
 */
export function readSince(ctx: XmppContext, room: Room, after: string | undefined, found: () => boolean): Promise<unknown> {
  const label = `Reading ${room.jid}`
  return request(ctx, label, (conn) =>
    pageForward(ctx, conn, room, after, Infinity, label, ({ messages }) => {
      for (const message of messages) noteStored(ctx, room, message)
      return found()
    })
  )
}

/** Read the newest page, so a send repeated after a reload finds the message it stored. */
export function index(ctx: XmppContext, room: Room): Promise<void> {
  if (room.indexed) return Promise.resolve()
  if (room.indexing) return room.indexing
  const label = `Reading ${room.jid}`
  const run = request(ctx, label, async (conn) => {
    await readNewest(ctx, conn, room, SCAN, label)
    room.indexed = true
  })
  room.indexing = run
  const clear = () => {
    if (room.indexing === run) room.indexing = undefined
  }
  run.then(clear, clear)
  return run
}

/**
 * A page of `room`'s history, as `history()` answers it. Postbacks and read markers are archived
 * too (so a repeated postback is found, and a new session learns how far each side read) but never
 * shown: the page goes on into the next slice of the archive until it holds `limit` messages (at
 * most {@link FILL} queries), so that a short page still means the end of the archive.
 */
export async function history(ctx: XmppContext, room: Room, { before, after, limit, signal }: HistoryQuery = {}): Promise<HistoryPage> {
  const max = Math.max(1, Math.min(100, Math.floor(limit ?? 30)))
  const asked = sliceOf({ before, after }, START)
  const back = 'before' in asked
  const label = `Reading the archive of ${room.jid}`
  const shown: Entry[] = []
  let slice = asked
  let fin: ReturnType<typeof readFin> | undefined
  for (let round = 0; round < FILL; round++) {
    const page = await abortable(request(ctx, label, (conn) => queryArchive(ctx, conn, room, slice, max - shown.length, label)), signal, label)
    for (const message of page.messages) noteStored(ctx, room, message)
    const older = back && (slice as { before: string | null }).before !== null
    place(room, page.messages, older)
    noteMarkers(ctx, room, page.markers, older)
    const kept = page.messages.filter((message) => !message.postback)
    if (back) shown.unshift(...kept)
    else shown.push(...kept)
    // The whole page's ends: its oldest slice's first id, its newest slice's last.
    const [oldest, newest] = back ? [page.fin, fin ?? page.fin] : [fin ?? page.fin, page.fin]
    fin = { complete: page.fin.complete, ...(oldest.first ? { first: oldest.first } : {}), ...(newest.last ? { last: newest.last } : {}) }
    const next = back ? page.fin.first : page.fin.last
    if (shown.length >= max || page.fin.complete || !next) break
    slice = back ? { before: next } : { after: next }
  }
  return historyPage(shown, fin!, asked, START)
}
