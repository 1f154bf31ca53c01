import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadEmojiData } from '../../src/ui/emoji/load.js'
import data from '../support/emoji-data.js'
import { createRichBackend } from '../support/rich-backend.js'
import { press, setup, typeAndEnter } from './setup.js'

// The data module holds what the build puts in it; the real loader of it is wrapped so that tests
// see when it is asked, and can make it fail.
vi.mock('../../src/ui/emoji/data.js', async () => ({ default: (await import('../support/emoji-data.js')).default }))
vi.mock('../../src/ui/emoji/load.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/ui/emoji/load.js')>()
  return { ...actual, loadEmojiData: vi.fn(actual.loadEmojiData) }
})

afterEach(() => {
  vi.mocked(loadEmojiData).mockClear()
  localStorage.clear()
})

type View = Awaited<ReturnType<typeof openPane>>

/** Long enough for the emoji to load and be indexed on a busy machine. */
const LOADED = { timeout: 5000 }

/** A widget with its pane open and the composer ready. */
async function openPane(options: Parameters<typeof setup>[0] = {}) {
  const view = setup(options)
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  const composer = view.find<HTMLTextAreaElement>('composer')!
  return { ...view, composer }
}

/** Open the picker with the composer's button and wait until it shows. */
async function openPicker(view: View) {
  view.find('emoji-open')!.click()
  await vi.waitFor(() => expect(view.find('emoji-picker')).not.toBeNull(), LOADED)
  return view.find('emoji-picker')!
}

/** Click the emoji named `name` in the open picker, and wait until the picker has closed. */
async function pick(view: View, name: string) {
  view.root.querySelector<HTMLElement>(`[role="gridcell"][aria-label="${name}"]`)!.click()
  await vi.waitFor(() => expect(view.find('emoji-picker')).toBeNull())
}

/** The emoji of each grid the picker shows, by the grid's label. */
const grids = (view: View) =>
  Object.fromEntries(
    view.findAll('emoji-grid').map((grid) => {
      const label = grid.getAttribute('aria-label') ?? view.root.getElementById(grid.getAttribute('aria-labelledby')!)!.textContent
      return [label, [...grid.querySelectorAll('[role="gridcell"]')].map((cell) => cell.textContent)]
    })
  )

/** The focused element inside the widget. */
const focused = (view: View) => view.root.activeElement as HTMLElement | null

/** Type `text` into the field as a keyboard would: the caret after it, an input event per character. */
function type(field: HTMLTextAreaElement, text: string) {
  for (const character of text) {
    const caret = field.selectionStart
    field.value = field.value.slice(0, caret) + character + field.value.slice(field.selectionEnd)
    field.setSelectionRange(caret + character.length, caret + character.length)
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: character }))
  }
}

/** Drawing hundreds of cells in happy-dom takes seconds when the machine is busy. */
const SLOW = { timeout: 20_000 }

describe('the emoji picker', SLOW, () => {
  it('opens from the composer’s button with its search field focused, loading the emoji only then', async () => {
    const view = await openPane()
    const button = view.find('emoji-open')!
    expect(button.getAttribute('aria-label')).toBe('Emoji')
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(loadEmojiData).not.toHaveBeenCalled()
    const picker = await openPicker(view)
    expect(picker.getAttribute('role')).toBe('dialog')
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(focused(view)).toBe(view.find('emoji-search'))
    expect(loadEmojiData).toHaveBeenCalledTimes(1)
  })

  it('loads the emoji once, however often it opens', async () => {
    const view = await openPane()
    await openPicker(view)
    press(view.find('emoji-search')!, 'Escape')
    await openPicker(view)
    expect(loadEmojiData).toHaveBeenCalledTimes(1)
  })

  it('shows one category at a time, named by its tab, and another when its tab is chosen', async () => {
    const view = await openPane()
    await openPicker(view)
    const tabs = view.findAll('emoji-tab')
    expect(tabs.map((tab) => tab.getAttribute('aria-label'))).toEqual([
      'Smileys & emotion',
      'People & body',
      'Animals & nature',
      'Food & drink',
      'Travel & places',
      'Activities',
      'Objects',
      'Symbols',
      'Flags'
    ])
    expect(tabs[0]!.getAttribute('aria-selected')).toBe('true')
    expect(grids(view)['Smileys & emotion']).toHaveLength(data.groups[0]!.emoji.length)
    tabs[8]!.click()
    await vi.waitFor(() => expect(Object.keys(grids(view))).toEqual(['Flags']))
    expect(grids(view).Flags).toContain('🇫🇷')
    expect(view.root.querySelectorAll('[role="gridcell"]')).toHaveLength(data.groups[8]!.emoji.length)
  })

  it('moves between categories with the arrow keys on the tabs, focus following', async () => {
    const view = await openPane()
    await openPicker(view)
    const [smileys] = view.findAll('emoji-tab')
    smileys!.focus()
    press(smileys!, 'ArrowRight')
    await vi.waitFor(() => expect(focused(view)).toBe(view.findAll('emoji-tab')[1]))
    expect(focused(view)!.getAttribute('aria-selected')).toBe('true')
    expect(Object.keys(grids(view))).toEqual(['People & body'])
    press(focused(view)!, 'ArrowLeft')
    await vi.waitFor(() => expect(focused(view)).toBe(view.findAll('emoji-tab')[0]))
    press(focused(view)!, 'ArrowLeft')
    await vi.waitFor(() => expect(focused(view)!.getAttribute('aria-label')).toBe('Flags'))
  })

  it('closes when focus leaves it', async () => {
    const view = await openPane()
    await openPicker(view)
    view.composer.focus()
    await vi.waitFor(() => expect(view.find('emoji-picker')).toBeNull())
    expect(view.find('emoji-open')!.getAttribute('aria-expanded')).toBe('false')
  })

  it('names each emoji by its name', async () => {
    const view = await openPane()
    await openPicker(view)
    const first = view.root.querySelector('[role="gridcell"]')!
    expect(first.textContent).toBe('😀')
    expect(first.getAttribute('aria-label')).toBe('grinning face')
  })

  it('moves through the grid with the arrow keys and puts the emoji chosen with Enter at the caret', async () => {
    const view = await openPane()
    view.composer.value = 'Hello world'
    view.composer.setSelectionRange(5, 5)
    await openPicker(view)
    press(focused(view)!, 'ArrowDown')
    await vi.waitFor(() => expect(focused(view)!.getAttribute('aria-label')).toBe('grinning face'))
    press(focused(view)!, 'ArrowRight')
    await vi.waitFor(() => expect(focused(view)!.textContent).toBe('😃'))
    press(focused(view)!, 'ArrowDown')
    await vi.waitFor(() => expect(focused(view)!).toBe(view.root.querySelectorAll('[role="gridcell"]')[9]))
    press(focused(view)!, 'ArrowUp')
    await vi.waitFor(() => expect(focused(view)!.textContent).toBe('😃'))
    press(focused(view)!, 'Enter')
    await vi.waitFor(() => expect(view.find('emoji-picker')).toBeNull())
    expect(view.composer.value).toBe('Hello😃 world')
    expect(view.composer.selectionStart).toBe(7)
    expect(focused(view)).toBe(view.composer)
  })

  it('keeps one cell of the grid in the tab order', async () => {
    const view = await openPane()
    await openPicker(view)
    const cells = [...view.root.querySelectorAll<HTMLElement>('[role="gridcell"]')]
    expect(cells.filter((cell) => cell.tabIndex === 0)).toHaveLength(1)
  })

  it('closes with Escape and gives focus back to its button, leaving the pane open', async () => {
    const view = await openPane()
    await openPicker(view)
    press(view.find('emoji-search')!, 'Escape')
    await vi.waitFor(() => expect(view.find('emoji-picker')).toBeNull())
    expect(focused(view)).toBe(view.find('emoji-open'))
    expect(view.find('pane')).not.toBeNull()
  })

  it('finds emoji by name, shortcode or keyword, and Enter in the field takes the best', async () => {
    const view = await openPane()
    await openPicker(view)
    const search = view.find<HTMLInputElement>('emoji-search')!
    search.value = 'tada'
    search.dispatchEvent(new InputEvent('input', { bubbles: true }))
    await vi.waitFor(() => expect(grids(view)['Emoji found']?.[0]).toBe('🎉'))
    search.value = 'zzzq'
    search.dispatchEvent(new InputEvent('input', { bubbles: true }))
    await vi.waitFor(() => expect(view.find('emoji-status')!.textContent).toBe('No emoji match “zzzq”'))
    search.value = 'party popper'
    search.dispatchEvent(new InputEvent('input', { bubbles: true }))
    await vi.waitFor(() => expect(grids(view)['Emoji found']?.[0]).toBe('🎉'))
    press(search, 'Enter')
    await vi.waitFor(() => expect(view.composer.value).toBe('🎉'))
  })

  it('stays open for another emoji when one is picked with Shift', async () => {
    const view = await openPane()
    await openPicker(view)
    const cell = view.root.querySelector<HTMLElement>('[role="gridcell"]')!
    cell.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }))
    view.root.querySelectorAll<HTMLElement>('[role="gridcell"]')[1]!.click()
    await vi.waitFor(() => expect(view.find('emoji-picker')).toBeNull())
    expect(view.composer.value).toBe('😀😃')
  })

  it('shows what was used last in a row of its own, most recent first', async () => {
    const view = await openPane()
    await openPicker(view)
    await pick(view, 'grinning face')
    await openPicker(view)
    await pick(view, 'grinning face with big eyes')
    await openPicker(view)
    expect(grids(view)['Recently used']).toEqual(['😃', '😀'])
    expect(view.client.$recentEmoji.get()).toEqual(['😃', '😀'])
  })

  it('moves from the recently used row down into the category, keeping the column', async () => {
    const view = await openPane()
    view.client.emojiUsed('🎉')
    view.client.emojiUsed('👍')
    await openPicker(view)
    press(focused(view)!, 'ArrowDown')
    await vi.waitFor(() => expect(focused(view)!.getAttribute('aria-label')).toBe('thumbs up'))
    press(focused(view)!, 'ArrowRight')
    await vi.waitFor(() => expect(focused(view)!.getAttribute('aria-label')).toBe('party popper'))
    press(focused(view)!, 'ArrowDown')
    await vi.waitFor(() => expect(focused(view)!.getAttribute('aria-label')).toBe('grinning face with big eyes'))
  })

  it('forgets the recently used emoji with the visitor’s data', async () => {
    const view = await openPane({ resumeKeyStore: undefined, site: 'emoji' })
    await openPicker(view)
    await pick(view, 'grinning face')
    expect(localStorage.getItem('confab:emoji:emoji')).toBe('["😀"]')
    await view.widget.shutdown()
    expect(localStorage.getItem('confab:emoji:emoji')).toBeNull()
    expect(view.client.$recentEmoji.get()).toEqual([])
  })

  it('says when the emoji cannot be loaded, and Retry loads them', async () => {
    const view = await openPane()
    vi.mocked(loadEmojiData).mockRejectedValueOnce(new Error('offline'))
    view.find('emoji-open')!.click()
    await vi.waitFor(() => expect(view.root.querySelector('.emo-failed')).not.toBeNull(), LOADED)
    const alert = view.root.querySelector('.emo-failed')!
    expect(alert.getAttribute('role')).toBe('alert')
    expect(alert.textContent).toContain('Emoji could not be loaded.')
    alert.querySelector('button')!.click()
    await vi.waitFor(() => expect(view.find('emoji-picker')).not.toBeNull(), LOADED)
    expect(loadEmojiData).toHaveBeenCalledTimes(2)
  })

  it('is off while the composer is', async () => {
    const rich = createRichBackend()
    const view = await openPane({ backend: rich.backend, transport: rich.transport() })
    typeAndEnter(view.composer, 'Hi')
    await vi.waitFor(() => expect(rich.backend.conversations()).toHaveLength(1))
    rich.say(rich.backend.conversations()[0]!.id, { text: 'Which plan?', replies: [{ type: 'reply', id: 'basic', label: 'Basic' }], blockComposer: true })
    await vi.waitFor(() => expect(view.composer.disabled).toBe(true))
    expect(view.find<HTMLButtonElement>('emoji-open')!.disabled).toBe(true)
  })
})

describe('shortcode completion', SLOW, () => {
  it('lists the emoji that complete a shortcode once two characters follow the colon', async () => {
    const view = await openPane()
    type(view.composer, 'Thanks :s')
    expect(loadEmojiData).not.toHaveBeenCalled()
    type(view.composer, 'mi')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
    const list = view.find('emoji-suggestions')!
    expect(list.getAttribute('role')).toBe('listbox')
    const options = [...list.querySelectorAll('[role="option"]')]
    expect(options[0]!.textContent).toBe('😄:smile:')
    expect(view.composer.getAttribute('aria-controls')).toBe(list.id)
    expect(view.composer.getAttribute('aria-activedescendant')).toBe(options[0]!.id)
    expect(options[0]!.getAttribute('aria-selected')).toBe('true')
  })

  it('moves the active suggestion with the arrow keys, focus staying in the field', async () => {
    const view = await openPane()
    type(view.composer, ':smi')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
    expect(press(view.composer, 'ArrowDown')).toBe(false)
    await vi.waitFor(() => expect(view.composer.getAttribute('aria-activedescendant')).toBe('cf-emoji-suggestions-1'))
    press(view.composer, 'ArrowUp')
    press(view.composer, 'ArrowUp')
    await vi.waitFor(() => expect(view.composer.getAttribute('aria-activedescendant')).toBe('cf-emoji-suggestions-7'))
    expect(focused(view)).toBe(view.composer)
  })

  it('puts the active emoji in place of the shortcode with Enter, without sending', async () => {
    const view = await openPane()
    type(view.composer, 'Thanks :smi')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
    expect(press(view.composer, 'Enter')).toBe(false)
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).toBeNull())
    expect(view.composer.value).toBe('Thanks 😄')
    expect(view.findAll('message')).toHaveLength(0)
    expect(view.composer.hasAttribute('aria-activedescendant')).toBe(false)
    expect(view.client.$recentEmoji.get()).toEqual(['😄'])
  })

  it('takes the active emoji with Tab too', async () => {
    const view = await openPane()
    type(view.composer, ':tad')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
    press(view.composer, 'Tab')
    await vi.waitFor(() => expect(view.composer.value).toBe('🎉'))
  })

  it('puts the suggestions away with Escape, leaving the pane open, until another shortcode is begun', async () => {
    const view = await openPane()
    type(view.composer, ':smi')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
    expect(press(view.composer, 'Escape')).toBe(false)
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).toBeNull())
    expect(view.find('pane')).not.toBeNull()
    type(view.composer, 'l')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(view.find('emoji-suggestions')).toBeNull()
    type(view.composer, ' :tad')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
  })

  it('sends with Enter as ever when nothing is suggested', async () => {
    const view = await openPane()
    typeAndEnter(view.composer, 'at 10:30')
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(1))
  })

  it('turns a shortcode typed out in full into its emoji on the closing colon', async () => {
    const view = await openPane()
    type(view.composer, 'Great :tada')
    await vi.waitFor(() => expect(view.find('emoji-suggestions')).not.toBeNull(), LOADED)
    type(view.composer, ':')
    await vi.waitFor(() => expect(view.composer.value).toBe('Great 🎉'))
    type(view.composer, ' :nosuchcode:')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(view.composer.value).toBe('Great 🎉 :nosuchcode:')
  })
})

describe('a message of emoji only', () => {
  it('shows large, without a bubble', async () => {
    const view = await openPane()
    typeAndEnter(view.composer, '👍🏽🎉')
    typeAndEnter(view.composer, 'ok 👍')
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
    const [only, text] = view.findAll('message').map((message) => message.querySelector('.bubble')!)
    expect(only!.classList.contains('jumbo')).toBe(true)
    expect(text!.classList.contains('jumbo')).toBe(false)
  })
})
