import { describe, expect, it, vi } from 'vitest'
import { setup, typeAndEnter } from './setup.js'

/** Timers the test moves by hand: `advance(ms)` runs what falls due. */
function manualTimers() {
  let now = 0
  let pending: { at: number; run: () => void }[] = []
  return {
    setTimeout: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run }
      pending.push(timer)
      return timer
    },
    clearTimeout: (timer: unknown) => {
      pending = pending.filter((other) => other !== timer)
    },
    advance(ms: number) {
      now += ms
      const due = pending.filter((timer) => timer.at <= now)
      pending = pending.filter((timer) => timer.at > now)
      for (const timer of due) timer.run()
    }
  }
}

/** The pane open on a conversation the visitor started; `type(text)` puts `text` in the composer as typing does. */
async function chatting(options: Parameters<typeof setup>[0] = {}) {
  const view = setup(options)
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  const composer = view.find<HTMLTextAreaElement>('composer')!
  typeAndEnter(composer, 'Hi')
  await vi.waitFor(() => expect(view.findAll('message')[0]?.getAttribute('data-status')).toBe('sent'))
  const id = view.backend.conversations()[0]!.id
  const type = (text: string) => {
    composer.value = text
    composer.dispatchEvent(new InputEvent('input', { bubbles: true }))
  }
  return { ...view, composer, id, type }
}

describe('the visitor typing in the composer', () => {
  it('is shown to the agent as they type, and stops when they send', async () => {
    const { backend, composer, id, type } = await chatting()
    type('Where is my')
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(true))
    typeAndEnter(composer, 'Where is my order?')
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(false))
    expect(backend.messages(id).map((m) => m.text)).toEqual(['Hi', 'Where is my order?'])
  })

  it('stops when the composer loses focus', async () => {
    const { backend, composer, id, type } = await chatting()
    type('Hmm')
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(true))
    composer.dispatchEvent(new FocusEvent('blur'))
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(false))
  })

  it('stops when the draft is emptied', async () => {
    const { backend, id, type } = await chatting()
    type('Never mind')
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(true))
    type('')
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(false))
  })

  it('stops when the pane closes', async () => {
    const { backend, client, id, type, find } = await chatting()
    type('Actually')
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(true))
    client.close()
    await vi.waitFor(() => expect(find('composer')).toBeNull())
    await vi.waitFor(() => expect(backend.visitorTyping(id)).toBe(false))
  })
})

describe("the agent's typing indicator", () => {
  it('goes away 7 s after the agent last said they type, when their "stopped" was lost', async () => {
    const timers = manualTimers()
    const { backend, find, id } = await chatting({ timers })
    backend.typing(id, true, { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(find('typing')?.textContent).toBe('Anna is typing…'))
    timers.advance(6000)
    backend.typing(id, true, { role: 'agent', name: 'Anna' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    timers.advance(6000)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(find('typing')?.textContent).toBe('Anna is typing…')
    timers.advance(1000)
    await vi.waitFor(() => expect(find('typing')).toBeNull())
  })
})
