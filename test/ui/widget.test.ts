import { describe, expect, it, vi } from 'vitest'
import { createWidget } from '../../src/ui/widget.js'
import { createMemoryTransport } from '../../src/testing/index.js'
import { setup } from './setup.js'

describe('the widget on the page', () => {
  it('mounts a host element with an open shadow root and an adopted stylesheet', () => {
    const { host, root } = setup()
    expect(host.parentElement).toBe(document.body)
    expect(root.adoptedStyleSheets).toHaveLength(1)
    expect(root.querySelector('style')).toBeNull()
  })

  it('refuses to boot, saying why, where stylesheets cannot be constructed (browsers before Confab\'s floor)', () => {
    const proto = CSSStyleSheet.prototype
    const own = Object.getOwnPropertyDescriptor(proto, 'replaceSync')
    // Shadow the method, as in a browser from before constructable stylesheets.
    Object.defineProperty(proto, 'replaceSync', { value: undefined, configurable: true })
    try {
      const widget = createWidget({ transport: createMemoryTransport() })
      expect(() => widget.boot()).toThrow(expect.objectContaining({ code: 'unsupported', message: expect.stringContaining('constructable stylesheets') }))
      expect(document.querySelector('[data-confab]')).toBeNull()
      widget.shutdown()
    } finally {
      if (own) Object.defineProperty(proto, 'replaceSync', own)
      else delete (proto as Partial<CSSStyleSheet>).replaceSync
    }
  })

  it('themes through custom properties and a position attribute on the host', () => {
    const { host } = setup({ theme: { brandColor: '#e11d48', position: 'left', zIndex: 10 } })
    expect(host.style.getPropertyValue('--confab-brand')).toBe('#e11d48')
    expect(host.style.getPropertyValue('--confab-z')).toBe('10')
    expect(host.getAttribute('data-position')).toBe('left')
  })

  it('mounts once however often it is booted', () => {
    const { widget } = setup()
    widget.boot()
    expect(document.querySelectorAll('[data-confab]')).toHaveLength(1)
  })

  it('mounts into the given target', () => {
    const target = document.createElement('section')
    document.body.append(target)
    const { host } = setup({ target })
    expect(host.parentElement).toBe(target)
    target.remove()
  })

  it('connects when booted', async () => {
    const { client } = setup()
    await vi.waitFor(() => expect(client.$status.get()).toBe('online'))
  })

  it('removes its host element on shutdown', () => {
    const { widget, host } = setup()
    widget.shutdown()
    expect(host.isConnected).toBe(false)
    expect(document.querySelector('[data-confab]')).toBeNull()
  })

  it('can boot again after shutdown', () => {
    const { widget } = setup()
    widget.shutdown()
    widget.boot()
    expect(document.querySelectorAll('[data-confab]')).toHaveLength(1)
  })

  it('hides and shows the launcher', async () => {
    const { widget, find } = setup()
    widget.hide()
    await vi.waitFor(() => expect(find('launcher')!.hidden).toBe(true))
    widget.show()
    await vi.waitFor(() => expect(find('launcher')!.hidden).toBe(false))
  })

  it('uses the strings it is given', async () => {
    const { find } = setup({ strings: { launcher: 'Talk to Acme' } })
    expect(find('launcher')!.getAttribute('aria-label')).toBe('Talk to Acme')
  })

  it('touches no DOM until it boots', () => {
    createWidget({ transport: createMemoryTransport(), resumeKeyStore: null })
    expect(document.querySelector('[data-confab]')).toBeNull()
  })

  it('refuses to boot without a DOM, with an unsupported error', () => {
    const widget = createWidget({
      transport: createMemoryTransport(),
      resumeKeyStore: null,
      target: {} as HTMLElement
    })
    expect(() => widget.boot()).toThrow(expect.objectContaining({ code: 'unsupported' }))
  })
})
