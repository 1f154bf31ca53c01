import type { Page } from 'playwright-core'
import { describe, expect, it, onTestFailed } from 'vitest'
import {
  aimAtVisitor,
  chaosSeed,
  conversationOf,
  handOver,
  metric,
  outboxSizes,
  readThread,
  seededRandom,
  serverMessages,
  setFaults,
  sleep,
  underLoad,
  waitForStored,
  visitorIdOf
} from './chaos-helpers.js'
import { confabDatabases, messages, openCustomer, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

const SENDS = 500
/** 20 sends a second. */
const EVERY_MS = 50
const text = (i: number) => `msg-${String(i).padStart(4, '0')}`

/**
 * When things go wrong during the run, by the index of the send they come before. Seeded, so a
 * failing run can be repeated with `CONFAB_CHAOS_SEED`.
 */
function schedule(seed: number) {
  const random = seededRandom(seed)
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1))
  const reloads = [between(160, 190), between(340, 360)]
  const length = () => between(40, 55)
  // Five offline spells of 40 to 55 sends (2 to 2.75 s), apart from each other. Two end right before
  // a reload, so the page goes away with its outbox full.
  const spell = (from: number): [number, number] => [from, from + length()]
  const endingAt = (to: number): [number, number] => [to - length() - between(0, 5), to]
  const offline = [spell(between(25, 35)), endingAt(reloads[0]!), spell(between(205, 215)), endingAt(reloads[1]!), spell(between(400, 420))]
  // Ten cuts of the visitor's event stream, one in each stretch of 48 sends.
  const streamCuts = Array.from({ length: 10 }, (_, k) => 10 + k * 48 + between(0, 40))
  return { reloads, offline, streamCuts }
}

const unsent = (page: Page) => page.locator('[data-testid="message"]:not([data-status="sent"])')

/** Reload the page and open the pane again; the stub queues `Confab()` calls until the bundle runs. */
async function reload(page: Page) {
  await page.reload()
  await page.getByTestId('launcher').click()
  await page.getByTestId('pane').waitFor()
}

describe('delivery under chaos in real Chromium', () => {
  it(
    'delivers 500 messages exactly once and in order through lost responses, 503s, stream cuts, offline spells and two reloads',
    async () => {
      const seed = chaosSeed()
      onTestFailed(() => console.error(`chaos seed ${seed}: repeat with CONFAB_CHAOS_SEED=${seed}`))
      const plan = schedule(seed)
      const { server, browser } = env

      // A loaded device: slow CPU and slow IndexedDB commits (see `underLoad`).
      const context = await underLoad(await browser.newContext())
      const page = await openCustomer(browser, server.url, { context })
      // The conversation exists before the faults start: a first message's conversation is created
      // by the page, not by the outbox.
      await send(page, text(0))
      const visitorId = await visitorIdOf(page)
      const conversationId = await conversationOf(server, visitorId)
      await setFaults(server, { dropAfterCommit: 0.1, fail503: 0.05, seed })

      const started = Date.now()
      const unsentAtReload: number[] = []
      let cutsReached = 0
      let offline = false
      let next = Date.now()
      for (let i = 1; i < SENDS; i++) {
        if (plan.offline.some(([from]) => from === i)) {
          await context.setOffline(true)
          offline = true
        }
        if (plan.offline.some(([, to]) => to === i)) {
          await context.setOffline(false)
          offline = false
        }
        if (plan.streamCuts.includes(i)) cutsReached += (await aimAtVisitor(server, visitorId, { endStreams: true })).streams
        if (plan.reloads.includes(i)) {
          expect(offline).toBe(false)
          // What the page holds unsent goes with it into the reload: only the outbox keeps it.
          unsentAtReload.push(await unsent(page).count())
          await reload(page)
          next = Date.now()
        }
        const wait = next - Date.now()
        if (wait > 0) await sleep(wait)
        next += EVERY_MS
        await handOver(page, text(i))
      }
      const handedOver = (Date.now() - started) / 1000

      // Everything reaches the server while the faults stay on.
      const expected = Array.from({ length: SENDS }, (_, i) => text(i))
      const stored = await waitForStored(server, conversationId, SENDS)
      const delivered = (Date.now() - started) / 1000
      const missing = expected.filter((t) => !stored.some((m) => m.text === t))
      expect(missing, `never stored (reloads before ${plan.reloads.map(text).join(', ')})`).toEqual([])
      expect(stored.map((m) => m.text)).toEqual(expected)
      expect(new Set(stored.map((m) => m.clientId)).size).toBe(SENDS)
      expect(stored.every((m) => m.author.role === 'visitor' && m.author.id === visitorId)).toBe(true)

      metric('chaos.sends.handover', handedOver, 's')
      metric('chaos.sends.duration', delivered, 's')
      for (const [k, count] of unsentAtReload.entries()) metric(`chaos.sends.unsentAtReload${k + 1}`, count, 'messages')
      metric('chaos.sends.streamCutsReached', cutsReached, 'connections')

      // The device keeps nothing in its outbox, and the page shows each message once, confirmed, in order.
      await setFaults(server, {})
      await expect.poll(() => unsent(page).count(), { timeout: 20_000 }).toBe(0)
      const databases = await confabDatabases(page)
      expect(databases).toEqual([`confab-default-v-${visitorId}`])
      await expect.poll(() => outboxSizes(page), { timeout: 10_000 }).toEqual({ [databases[0]!]: 0 })
      const shown = await readThread(page, expected[0]!)
      const shownTexts = shown.map((m) => m.text)
      expect(shownTexts.filter((t, i) => shownTexts.indexOf(t) !== i), 'shown twice').toEqual([])
      expect(shown.filter((m) => m.status !== 'sent'), 'not shown as sent').toEqual([])
      expect(shownTexts, `the thread shows ${shown.length} of ${SENDS} after scrolling to its start`).toEqual(expected)

      await context.close()
    },
    600_000
  )

  it('keeps a message written while the widget is still connecting, and sends it after a reload', async () => {
    const { server, browser } = env
    const page = await openCustomer(browser, server.url)
    await send(page, 'Before the reload')
    const conversationId = await conversationOf(server, await visitorIdOf(page))
    // The backend does not answer the new page's session yet: the thread shows from the device.
    await page.route('**/v1/sessions', (route) => route.abort('internetdisconnected'))
    await reload(page)
    await messages(page).filter({ hasText: 'Before the reload' }).waitFor()
    await handOver(page, 'Written while connecting')
    await messages(page).filter({ hasText: 'Written while connecting' }).and(page.locator('[data-status="queued"]')).waitFor()
    // Shown as on its way, so it must be on the device, not only in the page's memory.
    await expect.poll(async () => Object.values(await outboxSizes(page)), { timeout: 5000 }).toEqual([1])

    await page.unroute('**/v1/sessions')
    await reload(page)
    await messages(page).filter({ hasText: 'Written while connecting' }).and(page.locator('[data-status="sent"]')).waitFor({ timeout: 10_000 })
    expect((await serverMessages(server, conversationId)).map((m) => m.text)).toEqual(['Before the reload', 'Written while connecting'])
    await page.context().close()
  })
})
