import { afterEach, expect, vi } from 'vitest'
import { createMemoryBackend, createMemoryTransport, type MemoryBackend } from '../../src/testing/index.js'
import type { MessageContent } from '../../src/transports/types.js'
import { loadPane } from '../../src/ui/pane/load.js'
import { createWidget, type Widget, type WidgetOptions } from '../../src/ui/widget.js'
import { createRichBackend, type RichBackend } from '../support/rich-backend.js'

const booted: Widget[] = []

afterEach(() => {
  for (const widget of booted.splice(0)) widget.shutdown()
})

/** A booted widget on a memory backend, and ways to find what a person sees inside its shadow root. */
export function setup(options: Partial<WidgetOptions> & { backend?: MemoryBackend } = {}) {
  const backend = options.backend ?? createMemoryBackend()
  const widget = createWidget({
    transport: createMemoryTransport({ backend }),
    resumeKeyStore: null,
    isVisible: () => true,
    ...options
  })
  booted.push(widget)
  widget.boot()
  const host = document.querySelector<HTMLElement>('[data-confab]')!
  const root = host.shadowRoot!
  const find = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)
  const findAll = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)]
  /**
   * Once the pane is open: resolves when its code has loaded and it shows in its frame. (Its code
   * loads apart from the widget's; while it loads, the frame says so.)
   */
  const ready = async () => {
    await loadPane()
    await vi.waitFor(() => {
      if (!find('pane')) throw new Error('The pane is not shown')
    })
  }
  return { backend, widget, client: widget.client, host, root, find, findAll, ready }
}

/** An idle callback the test runs by hand, standing in for the browser's (`vi.unstubAllGlobals()` takes it away). */
export function manualIdle() {
  const idle = vi.fn<(run: () => void, options?: IdleRequestOptions) => number>(() => 1)
  vi.stubGlobal('requestIdleCallback', idle)
  vi.stubGlobal('cancelIdleCallback', vi.fn())
  return idle
}

/**
 * Run the first `count` idle moments {@link manualIdle}'s `idle` is asked for, each once it is asked
 * for (the pane's code is imported in between, which takes a while the first time).
 */
export async function runIdle(idle: ReturnType<typeof manualIdle>, count: number): Promise<void> {
  for (let moment = 1; moment <= count; moment++) {
    await vi.waitFor(() => expect(idle).toHaveBeenCalledTimes(moment), { timeout: 5000 })
    idle.mock.calls[moment - 1]![0]()
  }
}

/**
 * Run the three idle moments a widget just booted with {@link manualIdle}'s `idle` waits for: the
 * first loads the pane's code, the next draws the pane ahead, closed (see `components/app.tsx`), the
 * last draws its thread (see `components/pane.tsx`). Resolves with the pane's frame.
 */
export async function drawAhead(view: Pick<ReturnType<typeof setup>, 'root'>, idle: ReturnType<typeof manualIdle>): Promise<HTMLElement> {
  await runIdle(idle, 3)
  await vi.waitFor(() => expect(view.root.querySelector('.pane .log')).not.toBeNull(), { timeout: 5000 })
  return view.root.querySelector<HTMLElement>('.pane')!
}

/** Press a key in `element` the way a browser reports it; returns whether the default went ahead. */
export function press(element: Element, key: string, init: KeyboardEventInit = {}): boolean {
  return element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }))
}

/** Type `text` into the composer and press Enter. */
export function typeAndEnter(composer: HTMLTextAreaElement, text: string): void {
  composer.value = text
  press(composer, 'Enter')
}

/** A widget on a backend that carries rich content, its pane open on a conversation the visitor started. */
export async function conversation(rich: RichBackend = createRichBackend(), options: Parameters<typeof setup>[0] = {}) {
  const view = setup({ backend: rich.backend, transport: rich.transport(), ...options })
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  const composer = view.find<HTMLTextAreaElement>('composer')!
  typeAndEnter(composer, 'Hi')
  await vi.waitFor(() => expect(view.findAll('message')[0]?.getAttribute('data-status')).toBe('sent'))
  const id = rich.backend.conversations()[0]!.id
  /** The bot says `content`; resolves with the message's element once it shows. */
  const say = async (content: MessageContent) => {
    const count = view.findAll('message').length
    rich.say(id, content)
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(count + 1))
    return view.findAll('message')[count]!
  }
  return { ...view, rich, id, composer, say }
}
