import { atom } from 'nanostores'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { badgeTitle } from '../../src/ui/title-badge.js'
import { setup } from './setup.js'

/** Mutation observers report after the task that changed the title. */
const observed = () => new Promise((done) => setTimeout(done))

afterEach(() => {
  document.title = ''
})

describe('the title badge', () => {
  it('puts the count before the page’s title and gives the title back exactly at zero', () => {
    document.title = 'x'
    // As the page wrote it, white space and all (`document.title` reads it collapsed).
    const element = document.head.querySelector('title')!
    element.textContent = '\n  Order #1042 –  Shop\n'
    const count = atom(0)
    const stop = badgeTitle(document, count)
    try {
      count.set(2)
      expect(element.textContent).toBe('(2) \n  Order #1042 –  Shop\n')
      count.set(3)
      expect(element.textContent).toBe('(3) \n  Order #1042 –  Shop\n')
      count.set(0)
      expect(element.textContent).toBe('\n  Order #1042 –  Shop\n')
    } finally {
      stop()
    }
  })

  it('caps the count at 99+', () => {
    document.title = 'Shop'
    const stop = badgeTitle(document, atom(120))
    expect(document.title).toBe('(99+) Shop')
    stop()
  })

  it('follows a page that sets its own title while the badge shows, and gives that one back', async () => {
    document.title = 'Home'
    const count = atom(1)
    const stop = badgeTitle(document, count)
    document.title = 'Checkout'
    await observed()
    expect(document.title).toBe('(1) Checkout')
    count.set(0)
    expect(document.title).toBe('Checkout')
    stop()
  })

  it('gives the title back when it stops, and changes nothing more', () => {
    document.title = 'Shop'
    const count = atom(4)
    const stop = badgeTitle(document, count)
    stop()
    expect(document.title).toBe('Shop')
    count.set(5)
    expect(document.title).toBe('Shop')
  })
})

describe('the widget with titleBadge', () => {
  /** A widget with a conversation an agent answers in, the only tab. */
  async function answered(options: Parameters<typeof setup>[0]) {
    const view = setup({ leadership: null, ...options })
    await view.widget.send('Hello')
    const id = view.backend.conversations()[0]!.id
    const seen = new Promise((resolve) => view.client.on('message', resolve))
    view.backend.reply(id, 'How can I help?', { role: 'agent', name: 'Anna' })
    await seen
    return view
  }

  it('badges the title when an agent answers while the pane is closed, and clears it as the visitor reads', async () => {
    document.title = 'Shop'
    const view = await answered({ titleBadge: true })
    await vi.waitFor(() => expect(document.title).toBe('(1) Shop'))
    view.widget.open()
    await vi.waitFor(() => expect(document.title).toBe('Shop'))
  })

  it('leaves the title alone without it', async () => {
    document.title = 'Shop'
    const view = await answered({})
    await vi.waitFor(() => expect(view.client.$unreadTotal.get()).toBe(1))
    expect(document.title).toBe('Shop')
  })

  it('gives the title back at shutdown', async () => {
    document.title = 'Shop'
    const view = await answered({ titleBadge: true })
    await vi.waitFor(() => expect(document.title).toBe('(1) Shop'))
    await view.widget.shutdown()
    expect(document.title).toBe('Shop')
  })
})
