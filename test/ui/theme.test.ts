import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCommandRunner, readDataAttributes, toWidgetOptions } from '../../src/embed/commands.js'
import { createLoader, type StartCore } from '../../src/embed/loader.js'
import { bootWidget } from '../../src/embed/widget.js'
import { isConfabError } from '../../src/errors/index.js'
import { createMemoryTransport } from '../../src/testing/index.js'
import { createWidget, type Widget } from '../../src/ui/widget.js'
import { createMapStorage } from '../support/storage.js'
import { setup } from './setup.js'

// happy-dom takes anything for a colour: these tests give CSS.supports a browser's answer for the
// values they use (test/e2e/themes.test.ts asks real Chromium's).
const NOT_COLOURS = ['blu', 'var(--x)', '12px']
const realCss = globalThis.CSS
const withColours = () => vi.stubGlobal('CSS', { ...realCss, supports: (property: string, value: string) => property === 'color' && !NOT_COLOURS.includes(value) })

afterEach(() => {
  vi.unstubAllGlobals()
  for (const host of document.querySelectorAll('[data-confab]')) host.remove()
})

/** What `createWidget(options)` throws, as `code: message`. */
function refusal(make: () => unknown): string {
  try {
    make()
  } catch (error) {
    return isConfabError(error) ? `${error.code}: ${error.message}` : String(error)
  }
  return 'nothing refused'
}

describe('themes', () => {
  it('puts the colour scheme on the host as data-theme', () => {
    const { host } = setup({ theme: { colorScheme: 'auto' } })
    expect(host.getAttribute('data-theme')).toBe('auto')
  })

  it('leaves the host light, with no data-theme, when no scheme is asked for', () => {
    const { host } = setup()
    expect(host.hasAttribute('data-theme')).toBe(false)
  })

  it('sets colours for every scheme and for the dark one as custom properties of the host', () => {
    withColours()
    const { host } = setup({ theme: { brandColor: '#e11d48', colors: { bubbleAgent: '#eef6f1', onBubbleAgent: '#102a1c' }, darkColors: { accent: '#6fd3a6' } } })
    expect(host.style.getPropertyValue('--confab-brand')).toBe('#e11d48')
    expect(host.style.getPropertyValue('--confab-bubble-agent')).toBe('#eef6f1')
    expect(host.style.getPropertyValue('--confab-on-bubble-agent')).toBe('#102a1c')
    expect(host.style.getPropertyValue('--confab-dark-accent')).toBe('#6fd3a6')
  })

  it('lets colors.brand win over brandColor', () => {
    const { host } = setup({ theme: { brandColor: '#e11d48', colors: { brand: '#0a7d4f' } } })
    expect(host.style.getPropertyValue('--confab-brand')).toBe('#0a7d4f')
  })

  it('refuses a colour that is not one, naming the option', () => {
    withColours()
    const make = (theme: object) => () => createWidget({ transport: createMemoryTransport(), theme })
    expect(refusal(make({ colors: { surface: 'blu' } }))).toBe("invalid-argument: createWidget(options): theme.colors.surface must be a CSS colour, not 'blu'")
    expect(refusal(make({ darkColors: { text: 12 } }))).toBe('invalid-argument: createWidget(options): theme.darkColors.text must be a CSS colour, not number')
    expect(refusal(make({ brandColor: 'var(--x)' }))).toBe("invalid-argument: createWidget(options): theme.brandColor must be a CSS colour, not 'var(--x)'")
    expect(refusal(make({ colors: { brand: '#0a7d4f', onBrand: 'white', focus: 'color-mix(in srgb,red 50%,blue)' } }))).toBe('nothing refused')
  })

  it('refuses a scheme it does not know, and colours given as anything but an object', () => {
    const make = (theme: object) => () => createWidget({ transport: createMemoryTransport(), theme })
    expect(refusal(make({ colors: '#0a7d4f' }))).toBe("invalid-argument: createWidget(options): theme.colors must be an object of colours, not '#0a7d4f'")
    expect(refusal(make({ colorScheme: 'night' }))).toBe("invalid-argument: createWidget(options): theme.colorScheme must be 'light', 'dark' or 'auto', not 'night'")
  })

  it('takes theme, colors and darkColors as boot options, refusing them by the names the page wrote', () => {
    withColours()
    expect(toWidgetOptions({ url: 'https://x.example', theme: 'dark', colors: { brand: '#0a7d4f' }, darkColors: { brand: '#3cb97f' } }).theme).toEqual({
      colorScheme: 'dark',
      colors: { brand: '#0a7d4f' },
      darkColors: { brand: '#3cb97f' }
    })
    expect(refusal(() => toWidgetOptions({ url: 'https://x.example', colors: { brand: 'blu' } }))).toBe("invalid-argument: Confab('boot', options): colors.brand must be a CSS colour, not 'blu'")
    expect(refusal(() => toWidgetOptions({ url: 'https://x.example', theme: 'sepia' as never }))).toBe("invalid-argument: Confab('boot', options): theme must be 'light', 'dark' or 'auto', not 'sepia'")
  })

  it('reads data-theme from the script element, leaving out a scheme it does not know', () => {
    const script = (theme: string) => {
      const element = document.createElement('script')
      element.setAttribute('data-url', 'https://x.example')
      element.setAttribute('data-theme', theme)
      return element
    }
    expect(readDataAttributes(script('auto'))).toEqual({ url: 'https://x.example', theme: 'auto' })
    expect(readDataAttributes(script('sepia'))).toEqual({ url: 'https://x.example' })
  })

  it('reports a refused boot once and takes down the launcher the loader drew', async () => {
    withColours()
    const reported: unknown[] = []
    const made: Widget[] = []
    const start: StartCore = (drawn) =>
      createCommandRunner({ createWidget: (options) => (made.push(bootWidget(options, drawn)), made.at(-1)!), report: (error) => reported.push(error) })
    const Confab = createLoader({ loadCore: async () => start, idle: (load) => load(), storage: createMapStorage() })
    const answer = Confab('boot', { url: 'https://chat.example.com', theme: 'dark', colors: { surface: 'blu' } }) as Promise<unknown>
    // The loader draws at once, in the scheme asked for.
    expect(document.querySelector('[data-confab]')?.getAttribute('data-theme')).toBe('dark')
    await expect(answer).rejects.toMatchObject({ code: 'invalid-argument', message: "Confab('boot', options): colors.surface must be a CSS colour, not 'blu'" })
    expect(reported).toHaveLength(1)
    expect(made).toEqual([])
    expect(document.querySelector('[data-confab]')).toBeNull()
  })
})
