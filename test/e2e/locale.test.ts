import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

/** The demo page in `locale` with the pane open, and the language files it has asked for so far. */
async function openIn(locale: string) {
  const asked: string[] = []
  const page = await openCustomer(env.browser, env.server.url, {
    query: `?locale=${locale}`,
    beforeLoad: async (page) => void page.on('request', (request) => /\/confab-locale-/.test(request.url()) && asked.push(new URL(request.url()).pathname))
  })
  return { page, asked }
}

/** An agent answers the conversation whose last message is `asked` with `text`; resolves once it shows. */
async function agentAnswers(page: Page, asked: string, text: string) {
  const { conversations } = await env.server.agent<{ conversations: { id: string; lastMessage?: { text: string } }[] }>('GET', 'conversations')
  const { id } = conversations.find((conversation) => conversation.lastMessage?.text === asked)!
  await env.server.agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), text })
  await messages(page, 'agent').filter({ hasText: text.split('\n')[0]! }).waitFor()
}

/** The directions the browser lays the elements of `selector` out in, inside the widget's shadow root. */
const directions = (page: Page, selector: string) => page.locator(selector).evaluateAll((all) => all.map((element) => getComputedStyle(element).direction))

/**
 * A place in the layout the mirror test compares. `edges`: the inline edges to compare, both or only
 * the side the box hugs in English (`left`, `right`) when its width follows its text. `pixels`: how
 * it looks in Arabic, the English drawing mirrored (`mirror`: symmetric icons and those that point
 * the way text goes) or the same way round (`same`: icons that keep their drawing, such as the
 * magnifier and the paperclip); absent for text.
 */
interface Landmark {
  name: string
  find: (page: Page) => Locator
  edges: 'both' | 'left' | 'right'
  pixels?: 'mirror' | 'same'
}

type Mode = 'messaging' | 'chat'
const testid = (id: string) => (page: Page) => page.getByTestId(id)
/** The boxes compared inside the pane, in messaging mode (with Back) and in chat mode (with End chat). */
const PANE_LANDMARKS = (mode: Mode): Landmark[] => [
  mode === 'messaging' ? { name: 'back', find: testid('back'), edges: 'both', pixels: 'mirror' } : { name: 'end chat', find: testid('end-chat'), edges: 'right' },
  { name: 'title', find: (page) => page.locator('.head h2'), edges: 'left' },
  { name: 'search', find: testid('search-open'), edges: 'both', pixels: 'same' },
  { name: 'close', find: testid('close'), edges: 'both', pixels: 'mirror' },
  { name: 'attach', find: testid('attach'), edges: 'both', pixels: 'same' },
  { name: 'emoji', find: testid('emoji-open'), edges: 'both', pixels: 'mirror' },
  // Its label is Latin text, at a fraction of a pixel in Arabic (its antialiasing differs): boxes only.
  { name: 'GIF', find: testid('gif-open'), edges: 'both' },
  { name: 'field', find: testid('composer'), edges: 'both' },
  { name: 'send', find: testid('send'), edges: 'both', pixels: 'mirror' },
  { name: 'visitor bubble', find: (page) => messages(page, 'visitor').locator('.bubble'), edges: 'right' },
  { name: 'agent bubble', find: (page) => messages(page, 'agent').locator('.bubble'), edges: 'left' }
]
/** The boxes compared in the viewport. */
const PAGE_LANDMARKS: Landmark[] = [
  { name: 'launcher', find: testid('launcher'), edges: 'both' },
  { name: 'pane', find: testid('pane'), edges: 'both' }
]

type Box = { x: number; y: number; width: number; height: number }
type Layout = Awaited<ReturnType<typeof layout>>

/** Each landmark's box, from the pane's top left corner (or the viewport's), with the pane's screenshot. */
async function layout(page: Page, mode: Mode) {
  // The attach button comes with the media module, loaded as the composer shows; the fonts as text
  // shows. The pointer leaves the launcher it clicked, which grows under it.
  await page.getByTestId('attach').waitFor()
  await page.evaluate(() => document.fonts.ready)
  await page.mouse.move(0, 0)
  const pane = (await page.getByTestId('pane').boundingBox())!
  const boxes = async (landmarks: Landmark[], origin: { x: number; y: number }) =>
    Object.fromEntries(
      await Promise.all(
        landmarks.map(async ({ name, find }) => {
          const box = (await find(page).boundingBox())!
          return [name, { ...box, x: box.x - origin.x, y: box.y - origin.y }] as const
        })
      )
    )
  return {
    width: { pane: pane.width, page: page.viewportSize()!.width },
    inPane: await boxes(PANE_LANDMARKS(mode), pane),
    inPage: await boxes(PAGE_LANDMARKS, { x: 0, y: 0 }),
    shot: (await page.getByTestId('pane').screenshot({ animations: 'disabled' })).toString('base64')
  }
}

/**
 * Where the Arabic boxes are not the English ones mirrored (x' = width - x - boxWidth), by more than
 * `slack` pixels: `send: English left edge mirrored 46.0, Arabic 50.0`.
 */
function unmirrored(landmarks: Landmark[], english: Record<string, Box>, arabic: Record<string, Box>, width: number, slack = 2) {
  return landmarks.flatMap(({ name, edges }) => {
    const en = english[name]!
    const ar = arabic[name]!
    // English's left edge is Arabic's right one, seen from the other side.
    const pairs = [
      ...(edges !== 'right' ? [['left', width - en.x, ar.x + ar.width] as const] : []),
      ...(edges !== 'left' ? [['right', width - en.x - en.width, ar.x] as const] : [])
    ]
    return pairs
      .filter(([, want, got]) => Math.abs(want - got) > slack)
      .map(([edge, want, got]) => `${name}: English ${edge} edge mirrored ${want.toFixed(1)}, Arabic ${got.toFixed(1)}`)
  })
}

/**
 * The share of pixels (0–1) that differ, in each landmark's box and `margin` pixels of background
 * around it, between the English pane's screenshot and the Arabic one's at the mirrored place, drawn
 * mirrored or the same way round as the landmark says. Decoded and compared by the page itself.
 */
function pixelsApart(page: Page, english: Layout, arabic: Layout, landmarks: Landmark[], margin = 4) {
  const regions = landmarks.flatMap(({ name, pixels }) => (pixels ? [{ name, mirror: pixels === 'mirror', en: english.inPane[name]!, ar: arabic.inPane[name]! }] : []))
  return page.evaluate(
    async ({ shots, regions, margin }) => {
      const decode = async (data: string) => {
        const image = new Image()
        image.src = `data:image/png;base64,${data}`
        await image.decode()
        const canvas = new OffscreenCanvas(image.width, image.height)
        const context = canvas.getContext('2d')!
        context.drawImage(image, 0, 0)
        return context.getImageData(0, 0, image.width, image.height)
      }
      const [en, ar] = await Promise.all(shots.map(decode))
      const at = (image: ImageData, x: number, y: number) => (y * image.width + x) * 4
      return Object.fromEntries(
        regions.map(({ name, mirror, en: box, ar: other }) => {
          const [x0, y0, x1, y1] = [box.x, box.y, other.x, other.y].map((edge) => Math.round(edge) - margin) as [number, number, number, number]
          const [width, height] = [box.width, box.height].map((size) => Math.round(size) + 2 * margin) as [number, number]
          let apart = 0
          for (let y = 0; y < height; y++)
            for (let x = 0; x < width; x++) {
              const a = at(en!, x0 + x, y0 + y)
              const b = at(ar!, x1 + (mirror ? width - 1 - x : x), y1 + y)
              if ([0, 1, 2].some((c) => Math.abs(en!.data[a + c]! - ar!.data[b + c]!) > 48)) apart++
            }
          return [name, apart / (width * height)]
        })
      )
    },
    { shots: [english.shot, arabic.shot], regions, margin }
  )
}

describe('the widget’s languages in real Chromium', () => {
  it('shows Arabic right to left, loading the Arabic text and no other, with the icons that point mirrored, accessibly', async () => {
    const { page, asked } = await openIn('ar')
    const pane = page.getByTestId('pane')
    expect(await pane.evaluate((element) => [element.getAttribute('lang'), element.getAttribute('dir'), getComputedStyle(element).direction])).toEqual(['ar', 'rtl', 'rtl'])
    expect(await page.getByTestId('composer').getAttribute('placeholder')).toBe('اكتب رسالة…')
    expect(await page.getByTestId('launcher').getAttribute('aria-label')).toBe('تحدّث معنا')
    expect(asked).toEqual(['/confab-locale-ar.js'])
    expect(await page.getByTestId('send').locator('svg').evaluate((svg) => getComputedStyle(svg).transform)).toBe('matrix(-1, 0, 0, 1, 0, 0)')
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('loads no language file for English, and the one asked for when the page switches', async () => {
    const { page, asked } = await openIn('en')
    expect(await page.getByTestId('send').locator('svg').evaluate((svg) => getComputedStyle(svg).transform)).toBe('none')
    expect(asked).toEqual([])
    await page.evaluate(() => Confab('setLocale', 'he'))
    await expect.poll(() => page.getByTestId('pane').getAttribute('dir')).toBe('rtl')
    expect(await page.getByTestId('composer').getAttribute('placeholder')).toBe('כאן כותבים הודעה…')
    expect(asked).toEqual(['/confab-locale-he.js'])
    await page.context().close()
  })

  it('moves through the emoji grid in reading order: ArrowLeft goes on in Arabic, as the grid runs right to left', async () => {
    const { page } = await openIn('ar')
    await page.getByTestId('emoji-open').click()
    await page.getByTestId('emoji-picker').waitFor()
    const active = () => page.evaluate(() => document.querySelector('[data-confab]')!.shadowRoot!.activeElement?.getAttribute('aria-label'))
    await page.keyboard.press('ArrowDown')
    await expect.poll(active).toBe('grinning face')
    await page.keyboard.press('ArrowLeft')
    await expect.poll(active).toBe('grinning face with big eyes')
    await page.keyboard.press('ArrowRight')
    await expect.poll(active).toBe('grinning face')
    await page.context().close()
  })

  it('lays each message out in its own direction: Arabic in an English pane, English in an Arabic one', async () => {
    const { page } = await openIn('en')
    await send(page, 'مرحبا، أين طلبي؟')
    await agentAnswers(page, 'مرحبا، أين طلبي؟', 'Your order shipped yesterday.\n\nتم شحن طلبك أمس.')
    expect(await directions(page, '[data-testid="pane"]')).toEqual(['ltr'])
    expect(await directions(page, '[data-author="visitor"] .bubble p')).toEqual(['rtl'])
    // Each paragraph of a mixed message reads its own way.
    expect(await directions(page, '[data-author="agent"] .bubble p')).toEqual(['ltr', 'rtl'])
    await page.evaluate(() => Confab('setLocale', 'ar'))
    await expect.poll(() => directions(page, '[data-testid="pane"]')).toEqual(['rtl'])
    expect(await directions(page, '[data-author="agent"] .bubble p')).toEqual(['ltr', 'rtl'])
    expect(await directions(page, '[data-author="visitor"] .bubble p')).toEqual(['rtl'])
    await page.context().close()
  })

  for (const mode of ['messaging', 'chat'] as const) {
    it(`lays the Arabic pane out as the English one mirrored in a right-to-left page, in ${mode} mode: header, composer, bubbles, launcher, and the icons' pixels`, async () => {
      // One visitor and one thread, seen in English in a left-to-right page, then in Arabic in a
      // right-to-left one. Less motion: no slide or hover transition to catch halfway.
      const context = await env.browser.newContext({ reducedMotion: 'reduce' })
      const query = `?mode=${mode}&theme=light`
      const english = await openCustomer(env.browser, env.server.url, { context, query })
      await send(english, 'Where is my order?')
      await agentAnswers(english, 'Where is my order?', 'It shipped yesterday.')
      const en = await layout(english, mode)
      await english.close()
      const arabic = await openCustomer(env.browser, env.server.url, { context, query: `${query}&locale=ar` })
      await arabic.evaluate(() => (document.documentElement.dir = 'rtl'))
      await messages(arabic, 'agent').waitFor()
      expect(await arabic.getByTestId('pane').getAttribute('dir')).toBe('rtl')
      const ar = await layout(arabic, mode)
      expect(unmirrored(PANE_LANDMARKS(mode), en.inPane, ar.inPane, en.width.pane)).toEqual([])
      expect(unmirrored(PAGE_LANDMARKS, en.inPage, ar.inPage, en.width.page)).toEqual([])
      // Icons at whole pixels match exactly; one pixel off, 2 to 11 % of their pixels differ.
      const apart = await pixelsApart(arabic, en, ar, PANE_LANDMARKS(mode))
      expect(Object.entries(apart).filter(([, share]) => share > 0.01)).toEqual([])
      await context.close()
    })
  }
})
