/**
 * Files in real Chromium: a 20 MB file kept in IndexedDB with its message and put with the client's
 * own XMLHttpRequest to an upload host on a slow network, through a reload and an outage, stored and
 * sent exactly once. The messages go to the reference server; the slots come from the test's host.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverMessages, sleep } from './chaos-helpers.js'
import { servePage } from './page-server.js'
import { pageErrors, useBrowserAndServer } from './pages.js'
import { startUploadHost } from './upload-host.js'

const env = useBrowserAndServer()
/** 20 MB at 4 MB/s: five seconds a put, time enough to act in the middle of one. */
const SIZE_MB = 20
let host: Awaited<ReturnType<typeof startUploadHost>>
let site: Awaited<ReturnType<typeof servePage>>

beforeAll(async () => {
  host = await startUploadHost({ bytesPerSecond: 4 * 2 ** 20 })
  site = await servePage('uploads-page.js', 'Uploads')
})
afterAll(async () => {
  site?.close()
  await host?.close()
})

type Shown = { text: string; status: string; files?: { id: string; loaded?: number; url?: string }[]; parts: number }

/** A page of the site in a fresh browser profile, its conversation open. */
async function openPage(): Promise<{ page: Page; conversationId: string }> {
  const context = await env.browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(`${site.url}/?server=${encodeURIComponent(env.server.url)}&host=${encodeURIComponent(host.url)}`)
  const conversationId = await page.evaluate(() => (window as unknown as { ready: Promise<string> }).ready)
  return { page, conversationId }
}

const shown = (page: Page) => page.evaluate(() => (window as unknown as { shown: () => Shown[] }).shown())
const sendFile = (page: Page, text: string) =>
  page.evaluate(([body, megabytes]) => (window as unknown as { sendFile: (t: string, mb: number) => void }).sendFile(body, megabytes), [text, SIZE_MB] as const)

/** The host's record of the file of the message `conversationId` holds, once the host has seen `bytes` of a put. */
async function putUnderWay(conversationId: string, bytes: number) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
    const file = host.files().find((f) => f.conversationId === conversationId && f.received >= bytes)
    if (file) return file
  }
  throw new Error(`no put of ${bytes} bytes began for conversation ${conversationId}`)
}

/** The server's messages of the conversation, once one says `text` (or after 60 s). */
async function storedOnce(conversationId: string, text: string) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    const found = (await serverMessages(env.server, conversationId)).filter((m) => m.text === text)
    if (found.length) return found
  }
  return []
}

describe('a file sent in real Chromium', () => {
  it('completes a 20 MB upload cut off by a reload exactly once, from the bytes kept in IndexedDB', async () => {
    const { page, conversationId } = await openPage()
    await sendFile(page, 'Before the reload')
    const [echo] = await shown(page)
    const first = await putUnderWay(conversationId, 4 * 2 ** 20)
    expect(first.received).toBeLessThan(SIZE_MB * 2 ** 20)
    await page.reload()
    await page.evaluate(() => (window as unknown as { ready: Promise<string> }).ready)

    const stored = await storedOnce(conversationId, 'Before the reload')
    expect(stored).toHaveLength(1)
    expect(stored[0]!.parts).toEqual([expect.objectContaining({ type: 'file', name: 'big.bin', size: SIZE_MB * 2 ** 20 })])
    const [file] = host.files().filter((f) => f.conversationId === conversationId)
    expect(file).toMatchObject({ clientId: echo!.files![0]!.id, puts: 1, attempts: 2 })
    await expect.poll(async () => (await shown(page)).map((m) => m.status)).toEqual(['sent'])
    await page.context().close()
  })

  it('waits out an outage that cut an upload midway, then puts the file again and stores it once', async () => {
    const { page, conversationId } = await openPage()
    await sendFile(page, 'Through the outage')
    await putUnderWay(conversationId, 4 * 2 ** 20)
    // Chromium's offline mode fails new requests only: the connection of the put under way is cut too.
    await page.context().setOffline(true)
    host.cutPuts()
    await sleep(1500)
    expect(await serverMessages(env.server, conversationId)).toEqual([])
    await page.context().setOffline(false)

    const stored = await storedOnce(conversationId, 'Through the outage')
    expect(stored).toHaveLength(1)
    // The cut put brought part of the bytes; a later one (the browser's own retry of a PUT on a reset
    // connection, or the client's once online) all of them, once.
    const [file] = host.files().filter((f) => f.conversationId === conversationId)
    expect(file!.attempts).toBeGreaterThanOrEqual(2)
    expect(file!.puts).toBe(1)
    await expect.poll(async () => (await shown(page)).map((m) => m.status)).toEqual(['sent'])
    await page.context().close()
  })
})
