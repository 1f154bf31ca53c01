import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadPane } from '../../src/ui/pane/load.js'
import { manualIdle, press, setup } from './setup.js'

type View = ReturnType<typeof setup>

// The real loader, wrapped so tests can hold its answer back, make it fail, and see when it is asked.
vi.mock('../../src/ui/pane/load.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/ui/pane/load.js')>()
  return { loadPane: vi.fn(actual.loadPane) }
})

const { loadPane: realLoadPane } = await vi.importActual<typeof import('../../src/ui/pane/load.js')>('../../src/ui/pane/load.js')

/** What the pane's frame says while the pane's code is missing: loading, or failed with Retry. */
const loading = (view: View) => view.find('pane-frame')?.querySelector<HTMLElement>('[role="status"]') ?? null
const failed = (view: View) => view.find('pane-frame')?.querySelector<HTMLElement>('[role="alert"]') ?? null
const retry = (view: View) => failed(view)!.querySelector('button')!

afterEach(() => {
  vi.mocked(loadPane).mockReset().mockImplementation(realLoadPane)
  vi.unstubAllGlobals()
})

/** Make the pane's code arrive only when `release()` is called. */
function holdBack() {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  vi.mocked(loadPane).mockImplementation(() => released.then(realLoadPane))
  return release
}

describe('the pane opened before its code has loaded', () => {
  it('shows its frame at once, saying it is loading, then the pane with the composer focused', async () => {
    manualIdle()
    const release = holdBack()
    const view = setup()
    view.widget.open()
    await vi.waitFor(() => expect(loading(view)).not.toBeNull())
    const frame = view.find('pane-frame')!
    expect(frame.getAttribute('role')).toBe('dialog')
    expect(frame.getAttribute('aria-label')).toBe('Support')
    expect(loading(view)!.textContent).toBe('Loading…')
    expect(view.find('pane')).toBeNull()
    expect(view.find('launcher')!.getAttribute('aria-expanded')).toBe('true')

    release()
    await view.ready()
    expect(view.find('pane')!.textContent).not.toContain('Loading…')
    // The frame stays and fills: the same element, so nothing animates in twice. Focusable only while
    // loading: a click on a message leaves the pane, as ever.
    expect(view.find('pane')).toBe(frame)
    expect(frame.hasAttribute('tabindex')).toBe(false)
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
  })

  it('closes on Escape while loading, focus going back to the launcher', async () => {
    manualIdle()
    holdBack()
    const view = setup()
    view.widget.open()
    await vi.waitFor(() => expect(view.find('pane-frame')).not.toBeNull())
    press(view.find('pane-frame')!, 'Escape')
    await vi.waitFor(() => expect(view.find('pane-frame')).toBeNull())
    expect(view.client.$pane.get().open).toBe(false)
    expect(view.root.activeElement).toBe(view.find('launcher'))
  })

  it('opens straight onto the pane when its code is already here', async () => {
    manualIdle()
    const view = setup()
    view.find('launcher')!.dispatchEvent(new PointerEvent('pointerenter'))
    await vi.mocked(loadPane).mock.results[0]!.value
    view.widget.open()
    // What shows first is the pane: no loading state in between.
    await vi.waitFor(() => expect(view.find('pane') ?? view.find('pane-frame')).not.toBeNull())
    expect(view.find('pane')).not.toBeNull()
    expect(view.find('pane-frame')).toBeNull()
  })
})

describe('a pane whose code cannot be loaded', () => {
  it('says so with Retry, and Retry loads it', async () => {
    manualIdle()
    vi.mocked(loadPane).mockRejectedValue(new TypeError('Failed to fetch'))
    const view = setup()
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(failed(view)).not.toBeNull())
    expect(failed(view)!.textContent).toContain('The chat could not be loaded.')
    expect(view.find('pane')).toBeNull()

    // Back online.
    vi.mocked(loadPane).mockReset().mockImplementation(realLoadPane)
    retry(view).click()
    await view.ready()
    expect(failed(view)).toBeNull()
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
  })

  it('keeps focus in the frame while Retry tries again', async () => {
    manualIdle()
    vi.mocked(loadPane).mockRejectedValue(new TypeError('Failed to fetch'))
    const view = setup()
    view.widget.open()
    await vi.waitFor(() => expect(failed(view)).not.toBeNull())
    const release = holdBack()
    retry(view).focus()
    retry(view).click()
    await vi.waitFor(() => expect(loading(view)).not.toBeNull())
    expect(view.root.activeElement).toBe(view.find('pane-frame'))
    release()
    await view.ready()
  })

  it('is tried again when the pane opens, after a preload that failed', async () => {
    const idle = manualIdle()
    vi.mocked(loadPane).mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const view = setup()
    await vi.waitFor(() => expect(idle).toHaveBeenCalledOnce())
    idle.mock.calls[0]![0]()
    await vi.waitFor(() => expect(vi.mocked(loadPane)).toHaveBeenCalledTimes(1))
    view.widget.open()
    await vi.waitFor(() => expect(view.find('pane')).not.toBeNull())
    expect(vi.mocked(loadPane)).toHaveBeenCalledTimes(2)
    expect(failed(view)).toBeNull()
  })
})

describe('loading the pane ahead of time', () => {
  it('asks for its code once the browser is idle after boot', async () => {
    const idle = manualIdle()
    setup()
    await vi.waitFor(() => expect(idle).toHaveBeenCalledOnce())
    // Without waiting forever on a page that is never idle.
    expect(idle.mock.calls[0]![1]).toEqual({ timeout: 2000 })
    expect(loadPane).not.toHaveBeenCalled()
    idle.mock.calls[0]![0]()
    expect(loadPane).toHaveBeenCalledOnce()
  })

  it('asks for it after a short wait where the browser has no idle callback', async () => {
    vi.stubGlobal('requestIdleCallback', undefined)
    const waits: [() => void, number][] = []
    setup({ timers: { setTimeout: (run: () => void, ms: number) => waits.push([run, ms]), clearTimeout: () => undefined } })
    await vi.waitFor(() => expect(waits.map(([, ms]) => ms)).toContain(2000))
    expect(loadPane).not.toHaveBeenCalled()
    waits.find(([, ms]) => ms === 2000)![0]()
    expect(loadPane).toHaveBeenCalledOnce()
  })

  it('stops waiting for the idle browser on shutdown', async () => {
    const idle = manualIdle()
    const view = setup()
    await vi.waitFor(() => expect(idle).toHaveBeenCalledOnce())
    view.widget.shutdown()
    // Effects are cleaned up after the next paint.
    await vi.waitFor(() => expect(globalThis.cancelIdleCallback).toHaveBeenCalledWith(1))
  })

  it.each([
    ['the pointer enters the launcher', (launcher: HTMLElement) => launcher.dispatchEvent(new PointerEvent('pointerenter'))],
    ['a pointer presses the launcher', (launcher: HTMLElement) => launcher.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))],
    ['the launcher gets focus', (launcher: HTMLElement) => launcher.focus()]
  ])('asks for it at once when %s', async (_, reach) => {
    manualIdle()
    const view = setup()
    expect(loadPane).not.toHaveBeenCalled()
    reach(view.find('launcher')!)
    expect(loadPane).toHaveBeenCalledOnce()
    expect(view.find('pane-frame')).toBeNull()
  })
})
