import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { FRAME_TOKENS, PANE_TOKENS } from '../../src/ui/tokens.js'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'

// The theme in real Chromium: light, dark and `auto` (following the visitor's system, live), forced
// colours, less motion and a right-to-left page (axe-core runs in both schemes in axe-states.test.ts).
// The colours expected are the token table's (src/ui/tokens.ts), which the stylesheets are written from.

const env = useBrowserAndServer({ bot: {} })

/** `#1c1c1e` as Chromium computes it: `rgb(28, 28, 30)`. */
function rgb(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : hex.slice(1).match(/../g)!
  return `rgb(${digits.map((d) => parseInt(d, 16)).join(', ')})`
}

const TOKENS = { ...FRAME_TOKENS, ...PANE_TOKENS }
const expected = (scheme: 'light' | 'dark') => {
  const value = (name: string) => rgb(scheme === 'light' ? TOKENS[name]![0] : TOKENS[name]![1]!)
  return { pane: value('surface'), text: value('text'), agent: value('bubble-agent'), bot: value('bubble-agent') }
}

const style = (locator: Locator, property: string) => locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property)

/** What the key elements show: the pane's background and text, an agent's and a bot's bubble. */
async function colours(page: Page) {
  const bubble = (author: string) => messages(page, author).last().locator('.bubble')
  const pane = page.getByTestId('pane')
  return { pane: await style(pane, 'background-color'), text: await style(pane, 'color'), agent: await style(bubble('agent'), 'background-color'), bot: await style(bubble('bot'), 'background-color') }
}

/** A customer whose pane holds a visitor's greeting, the bot's answer with its quick replies and an agent's message. */
async function conversation(query: string, colorScheme: 'light' | 'dark' = 'light') {
  const page = await openCustomer(env.browser, env.server.url, { query, beforeLoad: (p) => p.emulateMedia({ colorScheme }) })
  await send(page, 'Hello!')
  await page.getByTestId('quick-replies').waitFor()
  const { conversations } = await env.server.agent<{ conversations: { id: string }[] }>('GET', 'conversations')
  const text = `Maya here ${crypto.randomUUID().slice(0, 8)}: happy to help with **beans** and \`grind\` sizes.`
  for (const { id } of conversations) await env.server.agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), name: 'Maya', text })
  await messages(page, 'agent').filter({ hasText: text.slice(0, 18) }).waitFor()
  return page
}

/** The mean luminance (0–255) of a screenshot, decoded by the page itself. */
const brightness = (page: Page, png: Buffer) =>
  page.evaluate(async (data) => {
    const image = new Image()
    image.src = `data:image/png;base64,${data}`
    await image.decode()
    const canvas = new OffscreenCanvas(image.width, image.height)
    const context = canvas.getContext('2d')!
    context.drawImage(image, 0, 0)
    const { data: pixels } = context.getImageData(0, 0, image.width, image.height)
    let sum = 0
    for (let i = 0; i < pixels.length; i += 4) sum += 0.2126 * pixels[i]! + 0.7152 * pixels[i + 1]! + 0.0722 * pixels[i + 2]!
    return sum / (pixels.length / 4)
  }, png.toString('base64'))

describe('themes in real Chromium', () => {
  it('follows the visitor’s system live with theme auto, in colours and in the screenshot', async () => {
    const page = await conversation('?theme=auto')
    expect(await colours(page)).toEqual(expected('light'))
    const light = await page.getByTestId('pane').screenshot({ animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await colours(page)).toEqual(expected('dark'))
    const dark = await page.getByTestId('pane').screenshot({ animations: 'disabled' })
    expect(await brightness(page, dark)).toBeLessThan((await brightness(page, light)) - 100)
    await page.context().close()
  })

  it('shows the dark scheme with theme dark, and the light one with theme light, whatever the system', async () => {
    const dark = await conversation('?theme=dark', 'light')
    expect(await colours(dark)).toEqual(expected('dark'))
    await dark.context().close()
    const light = await conversation('?theme=light', 'dark')
    expect(await colours(light)).toEqual(expected('light'))
    await light.context().close()
  })

  it('keeps borders and the focus ring visible under forced colours', async () => {
    const page = await conversation('?theme=dark')
    await page.emulateMedia({ forcedColors: 'active' })
    const pane = page.getByTestId('pane')
    const visible = async (locator: Locator, side: 'border-top' | 'outline') => {
      const [width, line, color] = await Promise.all(['width', 'style', 'color'].map((part) => style(locator, `${side}-${part}`)))
      return { width: parseFloat(width!) >= 1, line, painted: !/rgba\(.*, 0\)|transparent/.test(color!) && color !== (await style(pane, 'background-color')) }
    }
    const shown = { width: true, line: 'solid', painted: true }
    expect(await visible(page.getByTestId('launcher'), 'border-top')).toEqual(shown)
    expect(await visible(pane, 'border-top')).toEqual(shown)
    expect(await visible(messages(page, 'agent').last().locator('.bubble'), 'border-top')).toEqual(shown)
    expect(await visible(messages(page, 'visitor').last().locator('.bubble'), 'border-top')).toEqual(shown)
    expect(await visible(page.getByTestId('composer'), 'border-top')).toEqual(shown)
    await page.getByTestId('composer').focus()
    expect(await visible(page.getByTestId('composer'), 'outline')).toEqual(shown)
    await page.keyboard.press('Shift+Tab')
    const focused = page.locator(':focus').last()
    expect(await visible(focused, 'outline')).toEqual(shown)
    await page.context().close()
  })

  it('takes every animation and transition away from visitors who ask for less motion', async () => {
    const page = await openCustomer(env.browser, env.server.url, { beforeLoad: (p) => p.emulateMedia({ reducedMotion: 'reduce' }) })
    const moving = await page.evaluate(() => {
      const root = document.querySelector('[data-confab]')!.shadowRoot!
      return [...root.querySelectorAll('*')]
        .map((element) => [element, getComputedStyle(element)] as const)
        .filter(([, computed]) => computed.animationName !== 'none' || !/^0s(, 0s)*$/.test(computed.transitionDuration))
        .map(([element]) => element.className || element.tagName)
    })
    expect(moving).toEqual([])
    await page.context().close()
  })

  it('puts the launcher and the pane at the end of the line, or its start with position left, mirrored in a right-to-left page, whatever language the pane speaks', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    const width = page.viewportSize()!.width
    const side = async (dir: 'ltr' | 'rtl', position?: 'left') => {
      await page.evaluate(([d, p]) => {
        document.documentElement.dir = d!
        const host = document.querySelector('[data-confab]')!
        if (p) host.setAttribute('data-position', p)
        else host.removeAttribute('data-position')
      }, [dir, position])
      const boxes = await Promise.all([page.getByTestId('launcher').boundingBox(), page.getByTestId('pane').boundingBox()])
      return boxes.map((box) => (box!.x + box!.width / 2 > width / 2 ? 'right' : 'left')).join(' ')
    }
    expect(await side('ltr')).toBe('right right')
    expect(await side('ltr', 'left')).toBe('left left')
    expect(await side('rtl')).toBe('left left')
    expect(await side('rtl', 'left')).toBe('right right')
    // The page's direction places them, whatever the direction of the language the pane speaks.
    await page.evaluate(() => (window as unknown as { Confab: (command: string, locale: string) => Promise<void> }).Confab('setLocale', 'ar'))
    await expect.poll(() => page.getByTestId('pane').getAttribute('dir')).toBe('rtl')
    expect(await side('ltr')).toBe('right right')
    expect(await side('rtl')).toBe('left left')
    await page.context().close()
  })

  it('refuses a colour Chromium does not take for one, naming the option, and shows nothing', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    const refused = await page.evaluate(async () => {
      const Confab = (window as unknown as { Confab: (...args: unknown[]) => Promise<unknown> }).Confab
      await Confab('shutdown')
      return Confab('boot', { url: location.origin, colors: { brand: '#0a7d4f', surface: 'light-grey' } }).then(
        () => 'booted',
        (error: Error) => error.message
      )
    })
    expect(refused).toBe("Confab('boot', options): colors.surface must be a CSS colour, not 'light-grey'")
    expect(await page.locator('[data-confab]').count()).toBe(0)
    await page.context().close()
  })
})
