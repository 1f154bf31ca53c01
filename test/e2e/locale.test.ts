import type { Page } from 'playwright-core'
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
})
