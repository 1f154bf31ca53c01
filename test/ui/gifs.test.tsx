import { afterEach, describe, expect, it, vi } from 'vitest'
import { readDataAttributes, toWidgetOptions } from '../../src/embed/commands.js'
import type { Gif, GifPage, GifProvider, GifSearchOptions } from '../../src/gifs/types.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import { loadGifPicker } from '../../src/ui/gifs/load.js'
import { press, setup } from './setup.js'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const gif = (id: string, title: string, height = 75): Gif => ({
  id,
  title,
  provider: 'test',
  url: `https://media.example.com/${id}.gif`,
  width: 200,
  height: height * 2,
  preview: { url: `https://media.example.com/${id}-small.gif`, width: 100, height },
  still: { url: `https://media.example.com/${id}-still.gif`, width: 100, height },
  source: `https://gifs.example.com/view/${id}`
})

const THANKS = [gif('t1', 'Thanks a lot'), gif('t2', 'Thank *you*', 50), gif('t3', 'Cheers', 100), gif('t4', 'Grateful')]
const TRENDING = [gif('p1', 'Party'), gif('p2', 'Hello')]

/**
 * A provider that keeps what it was asked, answering from `answer` (default: THANKS for any query,
 * TRENDING before one). `hold` keeps every request waiting until it is aborted.
 */
function testProvider({ answer, hold = false }: { answer?: (query: string, options: GifSearchOptions) => Promise<GifPage>; hold?: boolean } = {}) {
  const asked: { query: string; options: GifSearchOptions }[] = []
  const reply = (query: string, options: GifSearchOptions = {}): Promise<GifPage> => {
    asked.push({ query, options })
    if (hold) {
      return new Promise((_, reject) =>
        options.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))
      )
    }
    return answer ? answer(query, options) : Promise.resolve({ results: query ? THANKS : TRENDING, next: null })
  }
  const provider: GifProvider = {
    name: 'test',
    attribution: 'Powered by Test',
    search: (query, options) => reply(query, options),
    trending: (options) => reply('', options)
  }
  return { provider, asked }
}

/** The widget with `gifs`, its pane open on a new conversation. */
async function openPane(gifs?: GifProvider | (() => Promise<GifProvider>), options: Parameters<typeof setup>[0] = {}) {
  const view = setup({ ...options, gifs })
  await view.client.startConversation()
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  return view
}

/** Open the picker with the composer's GIF button, and wait for its field. */
async function openPicker(view: Awaited<ReturnType<typeof openPane>>) {
  view.find('gif-open')!.click()
  await vi.waitFor(() => expect(view.find('gif-search')).not.toBeNull())
  return view.find<HTMLInputElement>('gif-search')!
}

function type(field: HTMLInputElement, text: string) {
  field.value = text
  field.dispatchEvent(new InputEvent('input', { bubbles: true }))
}

const active = (view: { root: ShadowRoot }) => view.root.activeElement as HTMLElement | null
const shownIds = (view: { findAll: (id: string) => HTMLElement[] }) => view.findAll('gif').map((button) => button.dataset.id)

describe('the composer’s GIF button', () => {
  it('is not there without a provider', async () => {
    const view = await openPane()
    expect(view.find('gif-open')).toBeNull()
  })

  it('is not there when the transport carries no images', async () => {
    const transport = createMemoryTransport({ backend: createMemoryBackend() })
    const textOnly = { ...transport, capabilities: { ...transport.capabilities, content: [] } }
    const view = await openPane(testProvider().provider, { transport: textOnly })
    expect(view.find('gif-open')).toBeNull()
  })

  it('opens the picker with its field focused, popular GIFs shown and the provider credited', async () => {
    const view = await openPane(testProvider().provider)
    const button = view.find('gif-open')!
    expect(button.getAttribute('aria-label')).toBe('Send a GIF')
    const field = await openPicker(view)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(active(view)).toBe(field)
    expect(field.getAttribute('aria-label')).toBe('Search GIFs')
    await vi.waitFor(() => expect(shownIds(view)).toEqual(['p1', 'p2']))
    expect(view.find('gif-grid')!.getAttribute('aria-label')).toBe('Popular GIFs')
    expect(view.find('gif-attribution')!.textContent).toBe('Powered by Test')
  })

  it('makes a provider given as a function when the picker first opens, not before', async () => {
    const { provider } = testProvider()
    const make = vi.fn(async () => provider)
    const view = await openPane(make)
    expect(make).not.toHaveBeenCalled()
    await openPicker(view)
    await vi.waitFor(() => expect(shownIds(view)).toEqual(['p1', 'p2']))
    expect(make).toHaveBeenCalledOnce()
  })
})

describe('searching GIFs', () => {
  it('searches once typing pauses: one request for what was typed, none per letter', async () => {
    const { provider, asked } = testProvider()
    const view = await openPane(provider)
    const field = await openPicker(view)
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(2))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    for (const text of ['t', 'th', 'tha', 'thanks']) type(field, text)
    vi.advanceTimersByTime(299)
    expect(asked.map(({ query }) => query)).toEqual([''])
    vi.advanceTimersByTime(1)
    expect(asked.map(({ query }) => query)).toEqual(['', 'thanks'])
    vi.useRealTimers()
    await vi.waitFor(() => expect(shownIds(view).sort()).toEqual(['t1', 't2', 't3', 't4']))
    expect(view.find('gif-grid')!.getAttribute('aria-label')).toBe('GIFs for “thanks”')
    expect(view.find('gif-status')!.textContent).toBe('4 GIFs')
  })

  it('aborts the request for what was typed before, as soon as the visitor types on', async () => {
    const { provider, asked } = testProvider({ hold: true })
    const view = await openPane(provider)
    const field = await openPicker(view)
    type(field, 'cat')
    await vi.waitFor(() => expect(asked.map(({ query }) => query)).toContain('cat'))
    const cat = asked.find(({ query }) => query === 'cat')!
    expect(cat.options.signal!.aborted).toBe(false)
    expect(view.find('gif-status')!.textContent).toBe('Loading GIFs…')
    type(field, 'cats')
    expect(cat.options.signal!.aborted).toBe(true)
    // An aborted search is no failure.
    expect(view.find('gif-error')).toBeNull()
  })

  it('searches at once on Enter', async () => {
    const { provider, asked } = testProvider()
    const view = await openPane(provider)
    const field = await openPicker(view)
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(2))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    type(field, 'cheers')
    press(field, 'Enter')
    vi.advanceTimersByTime(0)
    expect(asked.map(({ query }) => query)).toEqual(['', 'cheers'])
  })

  it('says when nothing matches', async () => {
    const { provider } = testProvider({ answer: async () => ({ results: [], next: null }) })
    const view = await openPane(provider)
    type(await openPicker(view), 'zebra')
    await vi.waitFor(() => expect(view.find('gif-status')!.textContent).toBe('No GIFs for “zebra”'))
  })

  it('says when the provider fails, and Retry asks again', async () => {
    let fail = true
    const { provider, asked } = testProvider({
      answer: async (query) => {
        if (fail) throw Object.assign(new Error('GET … answered 503'), { code: 'http' })
        return { results: query ? THANKS : TRENDING, next: null }
      }
    })
    const view = await openPane(provider)
    await openPicker(view)
    await vi.waitFor(() => expect(view.find('gif-error')!.textContent).toContain('GIFs could not be loaded.'))
    fail = false
    view.find('gif-retry')!.click()
    await vi.waitFor(() => expect(shownIds(view)).toEqual(['p1', 'p2']))
    expect(asked).toHaveLength(2)
    expect(view.find('gif-error')).toBeNull()
  })

  it('asks for the next page at the end of the grid and adds it', async () => {
    const { provider, asked } = testProvider({
      answer: async (_, { cursor }) => (cursor ? { results: [gif('n1', 'More'), THANKS[0]!], next: null } : { results: THANKS, next: 'page-2' })
    })
    const view = await openPane(provider)
    await openPicker(view)
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(4))
    view.find('gif-grid')!.dispatchEvent(new Event('scroll'))
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(5))
    expect(asked[1]!.options.cursor).toBe('page-2')
    // A GIF the next page repeats shows once.
    expect(shownIds(view).filter((id) => id === 't1')).toHaveLength(1)
  })

  it('shows previews, or their stills when the visitor prefers reduced motion', async () => {
    const view = await openPane(testProvider().provider)
    await openPicker(view)
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(2))
    const image = view.find('gif')!.querySelector('img')!
    expect(image.getAttribute('src')).toBe('https://media.example.com/p1-small.gif')
    expect(image.getAttribute('alt')).toBe('Party')
    expect([image.getAttribute('width'), image.getAttribute('height'), image.getAttribute('loading')]).toEqual(['100', '75', 'lazy'])
    view.find('gifs-close')!.click()
    await vi.waitFor(() => expect(view.find('gifs')).toBeNull())

    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('prefers-reduced-motion: reduce') }))
    await openPicker(view)
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(2))
    expect(view.find('gif')!.querySelector('img')!.getAttribute('src')).toBe('https://media.example.com/p1-still.gif')
  })
})

describe('choosing a GIF with the keyboard', () => {
  it('goes from the field into the grid with ArrowDown, and through it with the arrows', async () => {
    const view = await openPane(testProvider().provider)
    const field = await openPicker(view)
    type(field, 'thanks')
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(4))
    // Columns: t1 (tall) left, t2 right; t3 goes right (shorter), t4 left.
    press(field, 'ArrowDown')
    expect(active(view)!.dataset.id).toBe('t1')
    expect(active(view)!.tabIndex).toBe(0)
    press(active(view)!, 'ArrowRight')
    expect(active(view)!.dataset.id).toBe('t2')
    press(active(view)!, 'ArrowDown')
    expect(active(view)!.dataset.id).toBe('t3')
    press(active(view)!, 'End')
    expect(active(view)!.dataset.id).toBe('t4')
    press(active(view)!, 'ArrowUp')
    expect(active(view)!.dataset.id).toBe('t1')
    press(active(view)!, 'ArrowUp')
    expect(active(view)).toBe(field)
  })

  it('closes on Escape, giving focus back to the GIF button, the pane still open', async () => {
    const view = await openPane(testProvider().provider)
    const field = await openPicker(view)
    press(field, 'Escape')
    await vi.waitFor(() => expect(view.find('gifs')).toBeNull())
    expect(active(view)).toBe(view.find('gif-open'))
    expect(view.find('gif-open')!.getAttribute('aria-expanded')).toBe('false')
    expect(view.find('pane')).not.toBeNull()
  })
})

describe('sending a GIF', () => {
  it('sends the GIF picked as an image part with its title, and its source page in the text', async () => {
    const view = await openPane(testProvider().provider)
    type(await openPicker(view), 'thanks')
    await vi.waitFor(() => expect(shownIds(view)).toHaveLength(4))
    view.root.querySelector<HTMLElement>('[data-testid="gif"][data-id="t2"]')!.click()
    const id = view.client.$activeId.get()!
    await vi.waitFor(() => expect(view.client.$messages.get()[id]?.at(-1)?.status).toBe('sent'))
    const sent = view.client.$messages.get()[id]!.at(-1)!
    expect(sent.text).toBe('GIF: [Thank \\*you\\*](https://gifs.example.com/view/t2)')
    expect(sent.parts).toEqual([{ type: 'image', url: 'https://media.example.com/t2.gif', width: 200, height: 100, alt: 'Thank *you*', mediaType: 'image/gif' }])
    // The picker closes and the keys go back to the message field; the GIF shows in the thread.
    expect(view.find('gifs')).toBeNull()
    expect(active(view)).toBe(view.find('composer'))
    await vi.waitFor(() => expect(view.find('image')?.querySelector('img')?.getAttribute('alt')).toBe('Thank *you*'))
  })

  it('says so, with Retry, when the picker or its provider cannot be loaded', async () => {
    const { provider } = testProvider()
    const make = vi.fn<() => Promise<GifProvider>>().mockRejectedValueOnce(new Error('blocked')).mockResolvedValue(provider)
    const view = await openPane(make)
    view.find('gif-open')!.click()
    await vi.waitFor(() => expect(view.find('gif-failed')!.textContent).toContain('GIFs could not be loaded.'))
    view.find('gif-failed')!.querySelector('button')!.click()
    await vi.waitFor(() => expect(shownIds(view)).toEqual(['p1', 'p2']))
  })
})

describe('the script tag’s gifs option', () => {
  it('becomes a provider made on first use, searching the widget’s backend for { provider: "confab" }', async () => {
    const options = toWidgetOptions({ url: 'https://chat.example.com', gifs: { provider: 'confab' } })
    expect(typeof options.gifs).toBe('function')
    const provider = await (options.gifs as () => Promise<GifProvider>)()
    expect(provider.name).toBe('confab')
  })

  it('is read from data-gifs and data-gifs-key', () => {
    const script = document.createElement('script')
    script.dataset.url = 'https://chat.example.com'
    script.dataset.gifs = 'giphy'
    script.dataset.gifsKey = 'SITE_KEY'
    expect(readDataAttributes(script)?.gifs).toEqual({ provider: 'giphy', key: 'SITE_KEY' })
    script.dataset.gifs = 'imgur'
    expect(readDataAttributes(script)?.gifs).toBeUndefined()
  })

  it('loads the picker with the providers, apart from the widget', async () => {
    expect((await loadGifPicker()).GifPanel).toBeTypeOf('function')
  })
})
