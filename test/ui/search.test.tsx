import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLocalResumeKeyStore } from '../../src/cache/resume-key.js'
import { createClient } from '../../src/client/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import type { ArchiveHit } from '../../src/transports/types.js'
import { loadSearchView } from '../../src/ui/search/load.js'
import { press, setup, typeAndEnter } from './setup.js'

// The real loader, wrapped so one test can make it fail.
vi.mock('../../src/ui/search/load.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/ui/search/load.js')>()
  return { loadSearchView: vi.fn(actual.loadSearchView) }
})

afterEach(() => {
  vi.restoreAllMocks()
})

type View = ReturnType<typeof setup>

/** A backend whose clock moves a second per reading, so activity has a clear order. */
function backendWithClock() {
  let now = Date.now()
  return createMemoryBackend({ now: () => (now += 1000) })
}

/**
 * A visitor with two threads, the pane open on the newest: "Coffee" (an answer about the Café
 * Décaféiné) and an untitled one about a parcel.
 */
async function twoThreads(options: Parameters<typeof setup>[0] = {}) {
  const backend = options.backend ?? backendWithClock()
  const view = setup({ ...options, backend })
  const { client } = view
  const coffee = await client.startConversation({ subject: 'Coffee' })
  await client.send('Do you sell decaf? And is the order page down?')
  backend.reply(coffee.id, 'Yes: our Café Décaféiné is in the shop. Your order went out today.', { role: 'agent', name: 'Ana' })
  const parcel = await client.startConversation()
  await client.send('Where is my parcel? The order number is 77.')
  await vi.waitFor(() => expect(client.$messages.get()[coffee.id]).toHaveLength(2))
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  return { ...view, backend, coffee, parcel }
}

/** Open the search with its header button and wait for the field. */
async function openSearch(view: View) {
  view.find('search-open')!.click()
  await vi.waitFor(() => expect(view.find('search-input')).not.toBeNull())
  return view.find<HTMLInputElement>('search-input')!
}

/** Type into the search field as a person does (the view searches after a short pause). */
function type(field: HTMLInputElement, text: string) {
  field.value = text
  field.dispatchEvent(new InputEvent('input', { bubbles: true }))
}

/** Search for `text` and wait until the results for it are shown. */
async function search(view: View, text: string) {
  const field = await openSearch(view)
  type(field, text)
  await vi.waitFor(() => {
    expect(view.client.$search.get()).toMatchObject({ query: text, status: 'done' })
    // …and on screen: a count, or the words that nothing matches.
    expect(view.find('search-status')!.textContent).toMatch(/results?$|^No messages/)
  })
  return field
}

const texts = (elements: Element[]) => elements.map((element) => element.textContent)

describe('opening the search', () => {
  it('opens with the header button, with the field focused and labelled', async () => {
    const view = await twoThreads()
    const button = view.find('search-open')!
    expect(button.getAttribute('aria-label')).toBe('Search')
    const field = await openSearch(view)
    expect(field.type).toBe('search')
    expect(field.getAttribute('aria-label')).toBe('Search')
    await vi.waitFor(() => expect(view.root.activeElement).toBe(field))
    // The thread is hidden while searching, not gone.
    expect(view.find('composer')).not.toBeNull()
  })

  it('opens with Ctrl+K and with Cmd+K anywhere in the pane', async () => {
    const view = await twoThreads()
    const composer = view.find('composer')!
    expect(press(composer, 'k', { ctrlKey: true })).toBe(false)
    await vi.waitFor(() => expect(view.find('search-input')).not.toBeNull())
    press(view.find('search-input')!, 'Escape')
    await vi.waitFor(() => expect(view.find('search')).toBeNull())
    press(view.find('close')!, 'k', { metaKey: true })
    await vi.waitFor(() => expect(view.find('search-input')).not.toBeNull())
  })

  it('opens with "/" outside a text field, but "/" typed in the composer is just text', async () => {
    const view = await twoThreads()
    expect(press(view.find('composer')!, '/')).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(view.find('search')).toBeNull()
    expect(press(view.find('close')!, '/')).toBe(false)
    await vi.waitFor(() => expect(view.find('search-input')).not.toBeNull())
  })

  it('shows the hint while the field is empty', async () => {
    const view = await twoThreads()
    await openSearch(view)
    await vi.waitFor(() => expect(view.find('search-empty')!.textContent).toBe('Search your conversations'))
    expect(view.findAll('search-result')).toHaveLength(0)
  })

  it('says so when the view cannot be loaded, and Retry loads it', async () => {
    vi.mocked(loadSearchView).mockRejectedValueOnce(new Error('offline'))
    const view = await twoThreads()
    view.find('search-open')!.click()
    await vi.waitFor(() => expect(view.root.querySelector('[role="alert"]')!.textContent).toContain('Search could not be loaded.'))
    // The thread stays as it was meanwhile.
    expect(view.find('composer')).not.toBeNull()
    view.root.querySelector<HTMLButtonElement>('[role="alert"] button')!.click()
    await vi.waitFor(() => expect(view.find('search-input')).not.toBeNull())
    expect(view.root.querySelector('[role="alert"]')).toBeNull()
  })
})

describe('search results', () => {
  it('finds a message of another thread, under its thread, with the words in <mark>, accents and case aside', async () => {
    const view = await twoThreads()
    await search(view, 'cafe')
    const groups = view.findAll('search-group')
    expect(groups).toHaveLength(1)
    expect(groups[0]!.dataset.conversationId).toBe(view.coffee.id)
    expect(groups[0]!.querySelector('[role="presentation"]')!.textContent).toBe('Coffee')
    const [result] = view.findAll('search-result')
    expect(result!.getAttribute('role')).toBe('option')
    expect(result!.dataset.source).toBe('device')
    expect(result!.textContent).toContain('Ana')
    expect(result!.querySelector('time')).not.toBeNull()
    expect(texts([...result!.querySelectorAll('mark')])).toEqual(['Café'])
    expect(result!.querySelector('.snip')!.textContent).toBe('Yes: our Café Décaféiné is in the shop. Your order went out today.')
    expect(view.find('search-status')!.textContent).toBe('1 result')
    expect(view.find('search-status')!.getAttribute('aria-live')).toBe('polite')
  })

  it('groups results by thread, best thread first, and names the visitor "You"', async () => {
    const view = await twoThreads()
    await search(view, 'order')
    const groups = view.findAll('search-group')
    expect(groups.map((group) => group.dataset.conversationId).sort()).toEqual([view.coffee.id, view.parcel.id].sort())
    const untitled = groups.find((group) => group.dataset.conversationId === view.parcel.id)!
    expect(untitled.querySelector('[role="presentation"]')!.textContent).toBe('Conversation')
    expect(untitled.querySelector('[data-testid="search-result"] b')!.textContent).toBe('You')
    expect(view.findAll('search-result')).toHaveLength(3)
    expect(view.find('search-status')!.textContent).toBe('3 results')
    // The thread of the best result comes first.
    const best = view.client.$search.get().results[0]!
    expect(groups[0]!.dataset.conversationId).toBe(best.message.conversationId)
    expect(groups[0]!.querySelector<HTMLElement>('[data-testid="search-result"]')!.dataset.messageId).toBe(best.message.id)
  })

  it('quotes the query when nothing matches', async () => {
    const view = await twoThreads()
    await search(view, 'zebra')
    expect(view.find('search-none')!.textContent).toBe('No messages match “zebra”')
    expect(view.findAll('search-group')).toHaveLength(0)
    expect(view.find('search-empty')).toBeNull()
  })

  it('quotes a query holding "$" patterns as typed', async () => {
    const view = await twoThreads()
    for (const query of ['zq$&', 'zq$`', "zq$'", 'zq$$']) {
      await search(view, query)
      expect(view.find('search-none')!.textContent).toBe(`No messages match “${query}”`)
    }
  })

  it('goes back to the hint when the field is emptied', async () => {
    const view = await twoThreads()
    const field = await search(view, 'cafe')
    type(field, '')
    await vi.waitFor(() => expect(view.find('search-empty')).not.toBeNull())
    expect(view.findAll('search-result')).toHaveLength(0)
    expect(view.client.$search.get().status).toBe('idle')
  })

  it('renders message text as text, never as markup', async () => {
    const view = await twoThreads()
    view.backend.reply(view.coffee.id, '<img src=x onerror=alert(1)> cafe menu')
    await vi.waitFor(() => expect(view.client.$messages.get()[view.coffee.id]).toHaveLength(3))
    await search(view, 'menu')
    const [result] = view.findAll('search-result')
    expect(result!.querySelector('img')).toBeNull()
    expect(result!.querySelector('.snip')!.textContent).toBe('<img src=x onerror=alert(1)> cafe menu')
  })
})

describe('a search that cannot run', () => {
  it('says so when the search engine cannot be loaded', async () => {
    const view = await twoThreads({ loadSearch: () => Promise.reject(new Error('offline')) })
    type(await openSearch(view), 'cafe')
    await vi.waitFor(() => expect(view.find('search-status')!.textContent).toBe('Search could not be loaded.'))
  })
})

describe('moving through results', () => {
  it('moves the active result with the arrow keys while focus stays in the field', async () => {
    const view = await twoThreads()
    const field = await search(view, 'order')
    const results = view.findAll('search-result')
    const active = () => field.getAttribute('aria-activedescendant')
    const listbox = view.root.querySelector('[role="listbox"]')!
    expect(field.getAttribute('aria-controls')).toBe(listbox.id)
    expect(active()).toBe(results[0]!.id)
    expect(results[0]!.getAttribute('aria-selected')).toBe('true')

    expect(press(field, 'ArrowDown')).toBe(false)
    await vi.waitFor(() => expect(active()).toBe(results[1]!.id))
    expect(results[1]!.getAttribute('aria-selected')).toBe('true')
    expect(results[0]!.getAttribute('aria-selected')).toBe('false')
    press(field, 'ArrowDown')
    press(field, 'ArrowDown')
    await vi.waitFor(() => expect(active()).toBe(results[2]!.id))
    press(field, 'ArrowUp')
    await vi.waitFor(() => expect(active()).toBe(results[1]!.id))
    expect(view.root.activeElement).toBe(field)
  })
})

describe('jumping to a result', () => {
  it('Enter opens the thread at the hit, marked and scrolled to the middle, and closes the search', async () => {
    const scroll = vi.spyOn(HTMLElement.prototype, 'scrollIntoView')
    const view = await twoThreads()
    const field = await search(view, 'cafe')
    const jump = vi.spyOn(view.client, 'jumpTo')
    press(field, 'Enter')
    await vi.waitFor(() => expect(view.find('search')).toBeNull())
    expect(jump).toHaveBeenCalledOnce()
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')).not.toBeNull())
    expect(view.client.$activeId.get()).toBe(view.coffee.id)
    const hit = view.root.querySelector<HTMLElement>('[data-highlight]')!
    expect(hit.textContent).toContain('Café Décaféiné')
    expect(view.root.querySelectorAll('[data-highlight]')).toHaveLength(1)
    expect(scroll.mock.contexts.filter((element) => element === hit)).toHaveLength(1)
    expect(scroll).toHaveBeenCalledWith({ block: 'center' })
  })

  it('leaves focus in the thread’s composer, ready for a reply', async () => {
    const view = await twoThreads()
    press(await search(view, 'cafe'), 'Enter')
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')).not.toBeNull())
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
  })

  it('Enter right after typing searches at once instead of jumping to older results', async () => {
    const view = await twoThreads()
    const field = await search(view, 'cafe')
    const jump = vi.spyOn(view.client, 'jumpTo')
    const searched = vi.spyOn(view.client, 'search')
    type(field, 'parcel')
    press(field, 'Enter')
    await vi.waitFor(() => expect(searched).toHaveBeenCalledWith('parcel'))
    expect(jump).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(view.find('search-status')!.textContent).toBe('1 result'))
    press(field, 'Enter')
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')!.textContent).toContain('Where is my parcel?'))
    expect(searched).toHaveBeenCalledOnce()
  })

  it('a click on a result jumps too', async () => {
    const view = await twoThreads()
    await search(view, 'parcel')
    view.findAll('search-result')[0]!.click()
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')!.textContent).toContain('Where is my parcel?'))
    expect(view.find('search')).toBeNull()
  })

  it('scrolls to the hit once: new messages after it do not pull the thread back', async () => {
    const scroll = vi.spyOn(HTMLElement.prototype, 'scrollIntoView')
    const view = await twoThreads()
    press(await search(view, 'cafe'), 'Enter')
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')).not.toBeNull())
    const calls = scroll.mock.calls.length
    view.backend.reply(view.coffee.id, 'Anything else?')
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(3))
    expect(scroll.mock.calls.length).toBe(calls)
    expect(view.root.querySelector('[data-highlight]')).not.toBeNull()
  })

  it('drops the mark when the visitor sends a message', async () => {
    const view = await twoThreads()
    press(await search(view, 'cafe'), 'Enter')
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')).not.toBeNull())
    typeAndEnter(view.find<HTMLTextAreaElement>('composer')!, 'Thanks!')
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')).toBeNull())
    expect(view.client.$highlight.get()).toBeNull()
  })

  it('drops the mark when another thread opens', async () => {
    const view = await twoThreads()
    press(await search(view, 'cafe'), 'Enter')
    await vi.waitFor(() => expect(view.root.querySelector('[data-highlight]')).not.toBeNull())
    await view.client.openConversation(view.parcel.id)
    await vi.waitFor(() => expect(view.client.$highlight.get()).toBeNull())
    await view.client.openConversation(view.coffee.id)
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
    expect(view.root.querySelector('[data-highlight]')).toBeNull()
  })
})

describe('closing the search', () => {
  it('Escape closes it, gives focus back to the search button and keeps the pane open where it was', async () => {
    const view = await twoThreads()
    const field = await search(view, 'cafe')
    press(field, 'Escape')
    await vi.waitFor(() => expect(view.find('search')).toBeNull())
    expect(view.root.activeElement).toBe(view.find('search-open'))
    expect(view.find('pane')).not.toBeNull()
    expect(view.client.$activeId.get()).toBe(view.parcel.id)
    expect(view.find<HTMLElement>('composer')).not.toBeNull()
    // A second Escape closes the pane, as before.
    press(view.find('search-open')!, 'Escape')
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
  })

  it('opens again on the last search', async () => {
    const view = await twoThreads()
    press(await search(view, 'cafe'), 'Escape')
    await vi.waitFor(() => expect(view.find('search')).toBeNull())
    const field = await openSearch(view)
    expect(field.value).toBe('cafe')
    expect(view.findAll('search-result')).toHaveLength(1)
  })
})

describe('the archive', () => {
  /** A deferred archive answer, to see the view while it is awaited. */
  function stubArchive() {
    const backend = backendWithClock()
    const transport = createMemoryTransport({ backend })
    let answer!: { resolve: (hits: ArchiveHit[]) => void; reject: (error: Error) => void }
    transport.searchArchive = () => new Promise((resolve, reject) => (answer = { resolve, reject }))
    return { backend, transport, answer: () => answer }
  }

  it('marks results found only in the archive', async () => {
    const backend = backendWithClock()
    const keys = createLocalResumeKeyStore('k', null)
    // An earlier visit on another device: the same visitor asked about the warranty.
    const earlier = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: keys, cache: null })
    const warranty = await earlier.startConversation({ subject: 'Warranty' })
    await earlier.send('How long is the warranty?')
    backend.reply(warranty.id, 'The warranty lasts two years.', { role: 'agent', name: 'Ana' })
    await earlier.startConversation({ subject: 'Delivery' })
    await earlier.send('Where is my parcel?')
    earlier.transport.close()
    // This device loads only the newest thread.
    const view = setup({ backend, resumeKeyStore: keys })
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.client.$conversations.get()).toHaveLength(2))
    await search(view, 'warranty')
    await vi.waitFor(() => expect(view.client.$search.get().archive).toBe('done'))
    await vi.waitFor(() => expect(view.findAll('search-result')).toHaveLength(2))
    for (const result of view.findAll('search-result')) {
      expect(result.dataset.source).toBe('server')
      expect(result.querySelector('[data-testid="search-archived"]')!.textContent).toBe('From the archive')
    }
    expect(view.findAll('search-group')[0]!.querySelector('[role="presentation"]')!.textContent).toBe('Warranty')
    expect(view.find('search-archive')).toBeNull()
  })

  it('keeps the active result while archive results join', async () => {
    const { backend, transport, answer } = stubArchive()
    const view = await twoThreads({ backend, transport })
    const field = await search(view, 'order')
    press(field, 'ArrowDown')
    press(field, 'ArrowDown')
    const third = view.findAll('search-result')[2]!
    await vi.waitFor(() => expect(field.getAttribute('aria-activedescendant')).toBe(third.id))
    const old = { ...view.client.$messages.get()[view.coffee.id]![0]!, id: 'm_old', text: 'An old order question' }
    answer().resolve([{ message: old }])
    await vi.waitFor(() => expect(view.findAll('search-result')).toHaveLength(4))
    const active = view.root.getElementById(field.getAttribute('aria-activedescendant')!)!
    expect(active.textContent).toBe(third.textContent)
    expect(active.getAttribute('aria-selected')).toBe('true')
  })

  it('says while older history is being searched, and when it cannot be', async () => {
    const { backend, transport, answer } = stubArchive()
    const view = await twoThreads({ backend, transport })
    const field = await openSearch(view)
    type(field, 'cafe')
    await vi.waitFor(() => expect(view.find('search-archive')!.textContent).toBe('Searching older history…'))
    // What the device found shows meanwhile.
    expect(view.findAll('search-result')).toHaveLength(1)
    answer().reject(new Error('offline'))
    await vi.waitFor(() => expect(view.find('search-archive')!.textContent).toBe('Older history is not available right now'))
    expect(view.findAll('search-result')).toHaveLength(1)
  })
})

describe('the strings', () => {
  it('can be replaced, the search view’s too', async () => {
    const view = await twoThreads({ strings: { search: 'Suchen', searchHint: 'Gespräche durchsuchen', you: 'Sie' } })
    expect(view.find('search-open')!.getAttribute('aria-label')).toBe('Suchen')
    await openSearch(view)
    await vi.waitFor(() => expect(view.find('search-empty')!.textContent).toBe('Gespräche durchsuchen'))
    type(view.find<HTMLInputElement>('search-input')!, 'parcel')
    await vi.waitFor(() => expect(view.findAll('search-result')[0]!.querySelector('b')!.textContent).toBe('Sie'))
  })
})
