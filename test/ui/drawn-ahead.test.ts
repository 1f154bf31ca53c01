import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadMedia } from '../../src/ui/media/load.js'
import { createRichBackend, withUploads } from '../support/rich-backend.js'
import { drawAhead, manualIdle, runIdle, setup, typeAndEnter } from './setup.js'

// Once its code is here and the browser is idle again, the pane is drawn ahead, closed, so that
// opening it only shows it (see `components/app.tsx`). In a file of its own: the media module, once
// loaded, stays for the page, and the first test here sees it load.

vi.mock('../../src/ui/media/load.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/ui/media/load.js')>()
  return { loadMedia: vi.fn(actual.loadMedia) }
})

afterEach(() => vi.unstubAllGlobals())

// The machine may be busy: waits a person would not notice are given room.
vi.setConfig({ testTimeout: 20_000 })

describe('the pane drawn ahead of time', () => {
  /** A widget whose pane's code has loaded and which the idle browser has drawn ahead, closed. */
  async function drawnAhead(options: Parameters<typeof setup>[0] = {}) {
    const idle = manualIdle()
    const view = setup(options)
    return { ...view, idle, frame: await drawAhead(view, idle) }
  }

  /** A widget whose idle browser has loaded the pane's code and drawn its header and composer: its thread waits for the next idle moment. */
  async function drawnInPart() {
    const idle = manualIdle()
    const view = setup()
    await runIdle(idle, 2)
    return { ...view, idle }
  }

  it('loads the code for attaching files only once it shows', async () => {
    const rich = createRichBackend()
    const view = await drawnAhead({ backend: rich.backend, transport: withUploads(rich.transport(), { maxBytes: 1_000_000, types: ['image/*'] }) })
    await vi.waitFor(() => expect(view.client.$session.get()?.uploadLimits).toBeDefined())
    // Its effects have run: the composer asked for nothing while closed.
    await new Promise((painted) => setTimeout(painted, 50))
    expect(loadMedia).not.toHaveBeenCalled()
    view.widget.open()
    await vi.waitFor(() => expect(view.find('attach')).not.toBeNull())
    expect(loadMedia).toHaveBeenCalledOnce()
  })

  it('waits for the browser to be idle again once the code is here, then draws it closed: unseen, inert, not the dialog a screen reader finds', async () => {
    const { frame, find, client } = await drawnAhead()
    expect(frame.hasAttribute('data-closed')).toBe(true)
    expect(frame.inert).toBe(true)
    expect(find('pane')).toBeNull()
    expect(frame.querySelector('[data-testid="composer"]')).not.toBeNull()
    expect(client.$pane.get().open).toBe(false)
  })

  it('draws its header and composer first and its thread at the idle moment after that, each in a task of its own', async () => {
    const { idle, ...view } = await drawnInPart()
    await vi.waitFor(() => expect(view.root.querySelector('.pane [data-testid="composer"]')).not.toBeNull())
    const frame = view.root.querySelector('.pane')!
    expect(frame.querySelector('.head')).not.toBeNull()
    expect(frame.querySelector('.log')).toBeNull()
    await vi.waitFor(() => expect(idle).toHaveBeenCalledTimes(3))
    const composer = frame.querySelector('[data-testid="composer"]')
    idle.mock.calls[2]![0]()
    await vi.waitFor(() => expect(frame.querySelector('.log')).not.toBeNull())
    // Drawn around the composer, which stays the same element.
    expect(frame.querySelector('[data-testid="composer"]')).toBe(composer)
  })

  it('draws its thread as it shows when it opens before that idle moment, before the frame is painted', async () => {
    const { idle, ...view } = await drawnInPart()
    await vi.waitFor(() => expect(view.root.querySelector('.pane [data-testid="composer"]')).not.toBeNull())
    const composer = view.root.querySelector('.pane [data-testid="composer"]')
    view.find('launcher')!.click()
    // In the task of the click, or in a microtask of it: before any frame is painted.
    await Promise.resolve()
    await Promise.resolve()
    expect(view.find('pane')!.querySelector('.log')).not.toBeNull()
    expect(view.find('composer')).toBe(composer)
    expect(view.root.activeElement).toBe(composer)
  })

  it('takes the keys and draws its thread when it opens right after being drawn, before a frame is painted', async () => {
    const { idle, ...view } = await drawnInPart()
    // Drawn in a microtask of the idle moment; opened by a click before the next frame.
    for (let tick = 0; tick < 5 && !view.root.querySelector('.pane [data-testid="composer"]'); tick++) await Promise.resolve()
    expect(view.root.querySelector('.pane[data-closed] [data-testid="composer"]')).not.toBeNull()
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
    expect(view.find('pane')!.querySelector('.log')).not.toBeNull()
  })

  it('shows as it opens, the same elements drawn ahead, with the keys in the composer', async () => {
    const view = await drawnAhead()
    const composer = view.frame.querySelector('[data-testid="composer"]')
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(view.find('pane')).toBe(view.frame))
    expect(view.frame.hasAttribute('data-closed')).toBe(false)
    expect(view.frame.inert).toBe(false)
    expect(view.find('composer')).toBe(composer)
    expect(view.root.activeElement).toBe(composer)
  })

  it('goes as it closes, and a fresh one is drawn at the next idle moment: the search left open is closed', async () => {
    const view = await drawnAhead()
    view.widget.open()
    await vi.waitFor(() => expect(view.find('pane')).not.toBeNull())
    view.find('search-open')!.click()
    await vi.waitFor(() => expect(view.find('search-input')).not.toBeNull())
    view.widget.close()
    await vi.waitFor(() => expect(view.root.querySelector('.pane')).toBeNull())
    await vi.waitFor(() => expect(view.idle).toHaveBeenCalledTimes(4))
    view.idle.mock.calls[3]![0]()
    await vi.waitFor(() => expect(view.root.querySelector('.pane')).not.toBeNull())
    expect(view.root.querySelector('.pane')).not.toBe(view.frame)
    expect(view.root.querySelector('[data-testid="search-input"]')).toBeNull()
    view.widget.open()
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
  })

  describe('whose newest message waits for an answer', () => {
    /** A thread whose bot asks for a chosen answer (the composer off), in a pane closed and drawn ahead again, its thread not yet. */
    async function blockedThenDrawnAgain() {
      const rich = createRichBackend()
      const idle = manualIdle()
      const view = setup({ backend: rich.backend, transport: rich.transport() })
      await drawAhead(view, idle)
      view.find('launcher')!.click()
      await vi.waitFor(() => expect(view.find('pane')).not.toBeNull())
      typeAndEnter(view.find<HTMLTextAreaElement>('composer')!, 'Hi')
      await vi.waitFor(() => expect(view.findAll('message')[0]?.getAttribute('data-status')).toBe('sent'))
      rich.say(rich.backend.conversations()[0]!.id, { text: 'Which plan?', replies: [{ type: 'reply', id: 'basic', label: 'Basic' }], blockComposer: true })
      await vi.waitFor(() => expect(view.find<HTMLTextAreaElement>('composer')!.disabled).toBe(true))
      view.widget.close()
      await vi.waitFor(() => expect(view.root.querySelector('.pane')).toBeNull())
      await vi.waitFor(() => expect(idle).toHaveBeenCalledTimes(4))
      idle.mock.calls[3]![0]()
      await vi.waitFor(() => expect(view.root.querySelector('.pane[data-closed] [data-testid="composer"]')).not.toBeNull())
      return { ...view, idle }
    }

    it('gives the keys to the answer when the thread was drawn before it opened', async () => {
      const view = await blockedThenDrawnAgain()
      await vi.waitFor(() => expect(view.idle).toHaveBeenCalledTimes(5))
      view.idle.mock.calls[4]![0]()
      await vi.waitFor(() => expect(view.root.querySelector('.pane .log')).not.toBeNull())
      view.find('launcher')!.click()
      await vi.waitFor(() => expect(view.root.activeElement?.textContent).toBe('Basic'))
    })

    it('gives the keys to the answer when it opens before its thread was drawn: its parts hear that it shows once the thread is in', async () => {
      const view = await blockedThenDrawnAgain()
      view.find('launcher')!.click()
      await vi.waitFor(() => expect(view.root.activeElement?.textContent).toBe('Basic'))
    })
  })

  it('asks nothing of focus as it draws its conversation list, closed', async () => {
    const idle = manualIdle()
    const view = setup()
    await view.client.startConversation({ subject: 'Billing' })
    await view.client.send('Hi')
    await view.client.openConversation(null)
    await runIdle(idle, 2)
    await vi.waitFor(() => expect(view.root.querySelector('.pane[data-closed] .head')).not.toBeNull())
    await vi.waitFor(() => expect(idle).toHaveBeenCalledTimes(3))
    const focus = vi.spyOn(HTMLElement.prototype, 'focus')
    idle.mock.calls[2]![0]()
    await vi.waitFor(() => expect(view.root.querySelector('.pane[data-closed] [data-testid="conversation-list"]')).not.toBeNull())
    expect(focus).not.toHaveBeenCalled()
    focus.mockRestore()
    // As it shows, the newest conversation has the keys.
    view.widget.open()
    await vi.waitFor(() => expect(view.root.activeElement?.closest('[data-testid="conversation-list"]')).not.toBeNull())
  })
})
