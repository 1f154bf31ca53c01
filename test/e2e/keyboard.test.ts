import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ringOf } from './focus.js'
import { messages, send, useBrowserAndServer } from './pages.js'
import { agentSays, conversationOf, focused, openSite } from './site.js'

// The widget by keyboard alone, in real Chromium: focus goes into the pane as it opens and back to
// the launcher as it closes; Escape closes only the innermost popover; Tab and Shift+Tab reach
// every control in order, each with a focus ring that shows, each working with Enter or Space; no
// trap but the image viewer's, which traps properly.

const env = useBrowserAndServer()

/** Press `key` until `done` says so, at most `limit` times; the names of what had focus after each press. */
async function walk(page: Page, key: string, done: (name: string) => boolean, limit = 40) {
  const seen: string[] = []
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key)
    const name = await focused(page)
    seen.push(name)
    if (done(name)) return seen
  }
  throw new Error(`${key} never got there: ${seen.join(' → ')}`)
}

/**
 * A live chat by keyboard: the pane opened with Enter on the launcher, the visitor's message, and
 * the agent's answer with a link in its text, a link button, a button and quick replies.
 */
async function richChat() {
  const page = await openSite(env.browser, env.server, { mode: 'chat', closed: true })
  await page.getByTestId('launcher').focus()
  await page.keyboard.press('Enter')
  await page.getByTestId('pane').waitFor()
  await send(page, 'Hello, can you help?')
  await agentSays(env.server, await conversationOf(env.server), {
    text: 'Sure! See [our guide](https://example.com/guide) first.',
    actions: [
      { type: 'link', id: 'docs', label: 'Shipping docs', url: 'https://example.com/docs' },
      { type: 'reply', id: 'call', label: 'Call me' }
    ],
    replies: [
      { type: 'reply', id: 'yes', label: 'Yes please' },
      { type: 'reply', id: 'no', label: 'No thanks' }
    ]
  })
  await page.getByTestId('quick-replies').waitFor()
  return page
}

/** Wait until the visitor's message saying `text` is delivered. */
const delivered = (page: Page, text: string) => messages(page, 'visitor').filter({ hasText: text }).and(page.locator('[data-status="sent"]')).waitFor()

/** The visitor's next message fails for good (the backend answers 400): it shows as failed, with Retry. */
async function failOne(page: Page, text: string) {
  await page.route('**/v1/conversations/*/messages', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 400, body: '{"error":"bad"}' }) : route.fallback()))
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
  await messages(page, 'visitor').filter({ hasText: text }).getByTestId('retry').waitFor()
  await page.unroute('**/v1/conversations/*/messages')
}

/** The stops of the pane above, in Tab order. */
const STOPS = [
  'end-chat',
  'search-open',
  'close',
  'log',
  'a:our guide',
  'action:Shipping docs',
  'action:Call me',
  'action:Yes please',
  'action:No thanks',
  'attach',
  'emoji-open',
  'gif-open',
  'composer',
  'send'
]

/** Focus the control named `name` (as `focused` names it) by pressing `key` (Tab or Shift+Tab) from where focus is. */
const reach = (page: Page, name: string, key = 'Tab') => walk(page, key, (now) => now === name)

describe('the pane by keyboard in real Chromium', () => {
  it('reaches every control with Tab, in order, Shift+Tab goes back the same way, and neither is trapped', async () => {
    const page = await richChat()
    // Opened with Enter on the launcher: the keys are in the message field.
    expect(await focused(page)).toBe('composer')
    const back = await walk(page, 'Shift+Tab', (name) => name === 'launcher')
    expect(back).toEqual([...STOPS.slice(0, -2).reverse(), 'launcher'])
    // Before the launcher, the page's own link: focus leaves the widget backwards too.
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe('page:a')
    await page.keyboard.press('Tab')
    const forward = await walk(page, 'Tab', (name) => !STOPS.includes(name) && name !== 'launcher')
    expect(forward.slice(0, -1)).toEqual(['launcher', ...STOPS].slice(1))
    // After Send, focus leaves the widget: beside the page, the pane is not modal.
    expect(forward.at(-1)).toMatch(/^(body|page:)/)
    expect(await page.getByTestId('pane').getAttribute('aria-modal')).toBe('false')
    await page.context().close()
  })

  it('shows a focus ring on every control, wholly visible inside the pane', async () => {
    const page = await richChat()
    await walk(page, 'Shift+Tab', (name) => name === 'launcher')
    const rings: Record<string, unknown> = {}
    for (const stop of STOPS) {
      await page.keyboard.press('Tab')
      expect(await focused(page)).toBe(stop)
      rings[stop] = await ringOf(page)
    }
    for (const stop of STOPS) expect({ stop, ...(rings[stop] as object) }).toMatchObject({ stop, drawn: true, clipped: '' })
    await page.context().close()
  })

  it('works every control with Enter or Space', async () => {
    const page = await richChat()
    const context = page.context()
    // Links open outside the widget: a page of their own, answered here (there is no outside network).
    await context.route('https://example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Elsewhere</title>' }))
    const composer = page.getByTestId('composer')

    // End chat asks, with the focus on Cancel; Escape answers Cancel.
    await reach(page, 'end-chat', 'Shift+Tab')
    await page.keyboard.press('Enter')
    expect(await focused(page)).toBe('end-chat-cancel')
    await page.keyboard.press('Escape')
    expect(await focused(page)).toBe('end-chat')
    // Search opens on Space, with the keys in its field; Escape goes back to the button.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    await page.getByTestId('search-input').waitFor()
    expect(await focused(page)).toBe('search-input')
    await page.keyboard.press('Escape')
    expect(await focused(page)).toBe('search-open')

    // Links open in a new tab with Enter.
    await reach(page, 'a:our guide')
    let opened = context.waitForEvent('page')
    await page.keyboard.press('Enter')
    expect((await opened).url()).toBe('https://example.com/guide')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('action:Shipping docs')
    opened = context.waitForEvent('page')
    await page.keyboard.press('Enter')
    expect((await opened).url()).toBe('https://example.com/docs')
    // The tabs the links opened go, so the page is the browser's only one again, in front (a file
    // chooser opens only for the page in front).
    for (const other of context.pages()) if (other !== page) await other.close()
    await page.bringToFront()

    // A quick reply answers with Space, and the keys go on to the message field; a button with Enter.
    await reach(page, 'action:Yes please')
    await page.keyboard.press('Space')
    await delivered(page, 'Yes please')
    expect(await focused(page)).toBe('composer')
    await reach(page, 'action:Call me', 'Shift+Tab')
    await page.keyboard.press('Enter')
    await delivered(page, 'Call me')

    // The paperclip opens the file chooser.
    await composer.focus()
    await reach(page, 'attach', 'Shift+Tab')
    // Enter clicks the file input, which asks the browser for its chooser (whether headless Chromium
    // shows one after the tabs the links opened is the browser's business; test/e2e/media.test.ts
    // picks files through it).
    await page.evaluate(() => {
      const input = document.querySelector('[data-confab]')!.shadowRoot!.querySelector<HTMLInputElement>('[data-testid="file-input"]')!
      input.addEventListener('click', () => ((window as unknown as { picked: boolean }).picked = input.multiple), { once: true })
    })
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => (window as unknown as { picked?: boolean }).picked)).toBe(true)

    // The emoji picker opens with Enter, searches, and Enter puts the best match in the field.
    await reach(page, 'emoji-open')
    await page.keyboard.press('Enter')
    await page.getByTestId('emoji-search').waitFor()
    await page.keyboard.type('heart')
    await page.getByRole('grid', { name: 'Emoji found' }).waitFor()
    await page.keyboard.press('Enter')
    expect(await focused(page)).toBe('composer')
    expect(await composer.inputValue()).toMatch(/^\p{Extended_Pictographic}/u)
    await composer.fill('')

    // The GIF picker opens with Space; the arrow keys and Enter send one.
    await reach(page, 'gif-open', 'Shift+Tab')
    await page.keyboard.press('Space')
    await page.getByTestId('gif').first().waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await messages(page, 'visitor').filter({ hasText: 'GIF:' }).and(page.locator('[data-status="sent"]')).waitFor()
    expect(await focused(page)).toBe('composer')

    // Enter in the field sends; so does Space on Send.
    await page.keyboard.type('Typed and sent with Enter')
    await page.keyboard.press('Enter')
    await delivered(page, 'Typed and sent with Enter')
    await page.keyboard.type('Sent with Space on Send')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('send')
    await page.keyboard.press('Space')
    await delivered(page, 'Sent with Space on Send')

    // A failed message: Retry with Enter sends it; Discard with Space takes another away.
    await failOne(page, 'Retried with Enter')
    await composer.focus()
    await reach(page, 'retry', 'Shift+Tab')
    await page.keyboard.press('Enter')
    await messages(page, 'visitor').filter({ hasText: 'Retried with Enter' }).and(page.locator('[data-status="sent"]')).waitFor()
    await failOne(page, 'Discarded with Space')
    await composer.focus()
    await reach(page, 'discard', 'Shift+Tab')
    await page.keyboard.press('Space')
    await messages(page, 'visitor').filter({ hasText: 'Discarded with Space' }).waitFor({ state: 'detached' })

    // Close with Enter: the launcher has the focus back, and Space on it opens the pane again.
    await reach(page, 'close', 'Shift+Tab')
    await page.keyboard.press('Enter')
    await page.getByTestId('pane').waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('launcher')
    await page.keyboard.press('Space')
    await page.getByTestId('pane').waitFor()
    expect(await focused(page)).toBe('composer')
    await context.close()
  })

  it('closes only the innermost popover on Escape, focus back on its opener, and the pane last, focus back on the launcher', async () => {
    const page = await richChat()
    const composer = page.getByTestId('composer')
    const still = async (opener: string) => {
      expect(await focused(page)).toBe(opener)
      expect(await page.getByTestId('pane').count()).toBe(1)
    }
    await page.getByTestId('emoji-open').press('Enter')
    await page.getByTestId('emoji-search').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('emoji-picker').waitFor({ state: 'detached' })
    await still('emoji-open')

    await page.getByTestId('gif-open').press('Enter')
    await page.getByTestId('gif-search').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('gifs').waitFor({ state: 'detached' })
    await still('gif-open')

    await page.getByTestId('end-chat').press('Enter')
    await page.getByTestId('end-chat-cancel').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('end-chat-confirm').waitFor({ state: 'detached' })
    await still('end-chat')

    await page.getByTestId('search-open').press('Enter')
    await page.getByTestId('search-input').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('search-input').waitFor({ state: 'detached' })
    await still('search-open')

    // The image viewer is modal: Tab goes round its two controls and no further.
    await page.getByTestId('gif-open').press('Enter')
    await page.getByTestId('gif').first().waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    const image = messages(page, 'visitor').filter({ hasText: 'GIF:' }).getByTestId('image')
    await image.focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('viewer').waitFor()
    expect(await focused(page)).toBe('viewer-close')
    expect(await walk(page, 'Tab', () => false, 4).catch((error: Error) => error.message)).toMatch(/a:Download → viewer-close → a:Download → viewer-close$/)
    expect(await walk(page, 'Shift+Tab', () => false, 2).catch((error: Error) => error.message)).toMatch(/a:Download → viewer-close$/)
    await page.keyboard.press('Escape')
    await page.getByTestId('viewer').waitFor({ state: 'detached' })
    expect(await image.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true)
    expect(await page.getByTestId('pane').count()).toBe(1)

    // Nothing open inside: Escape closes the pane, and the launcher has the focus.
    await composer.focus()
    await page.keyboard.press('Escape')
    await page.getByTestId('pane').waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('launcher')
    await page.context().close()
  })

  it('puts the focus on the newest conversation when the pane opens on the list, and on the launcher as it closes', async () => {
    const page = await openSite(env.browser, env.server)
    await send(page, 'A thread for the list')
    await page.getByTestId('back').click()
    await page.getByTestId('conversation').first().waitFor()
    await page.getByTestId('close').click()
    expect(await focused(page)).toBe('launcher')
    await page.keyboard.press('Enter')
    await page.getByTestId('conversation').first().waitFor()
    expect(await focused(page)).toBe('conversation')
    await page.keyboard.press('Escape')
    await page.getByTestId('pane').waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('launcher')
    await page.context().close()
  })
})
