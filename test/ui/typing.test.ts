import { describe, expect, it, vi } from 'vitest'
import { createManualClock } from '../unit/client/helpers.js'
import { conversation, typeAndEnter, type setup } from './setup.js'

/** The pane open on a conversation the visitor started; `type(text)` puts `text` in the composer as typing does. */
async function chatting(options: Parameters<typeof setup>[0] = {}) {
  const view = await conversation(undefined, options)
  const type = (text: string) => {
    view.composer.value = text
    view.composer.dispatchEvent(new InputEvent('input', { bubbles: true }))
  }
  return { ...view, type }
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
    const clock = createManualClock()
    const { backend, find, id } = await chatting({ timers: clock.timers, now: clock.now })
    backend.typing(id, true, { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(find('typing')?.textContent).toBe('Anna is typing…'))
    clock.advance(6000)
    backend.typing(id, true, { role: 'agent', name: 'Anna' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    clock.advance(6000)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(find('typing')?.textContent).toBe('Anna is typing…')
    clock.advance(1000)
    await vi.waitFor(() => expect(find('typing')).toBeNull())
  })
})
