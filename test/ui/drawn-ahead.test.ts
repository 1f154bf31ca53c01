import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadMedia } from '../../src/ui/media/load.js'
import { createRichBackend, withUploads } from '../support/rich-backend.js'
import { drawAhead, manualIdle, setup } from './setup.js'

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
    await vi.waitFor(() => expect(view.idle).toHaveBeenCalledTimes(3))
    view.idle.mock.calls[2]![0]()
    await vi.waitFor(() => expect(view.root.querySelector('.pane')).not.toBeNull())
    expect(view.root.querySelector('.pane')).not.toBe(view.frame)
    expect(view.root.querySelector('[data-testid="search-input"]')).toBeNull()
    view.widget.open()
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
  })
})
