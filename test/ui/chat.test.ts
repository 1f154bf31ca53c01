import { describe, expect, it, vi } from 'vitest'
import { press, setup, typeAndEnter } from './setup.js'
import { writable } from '../stores.js'

/** A chat-mode widget with its pane open on a live chat. */
async function liveChat() {
  const view = setup({ mode: 'chat' })
  await view.widget.send('Hi, I need help')
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('end-chat')).not.toBeNull())
  return view
}

describe('End chat', () => {
  it('is offered while a chat is open, and only then', async () => {
    const view = setup({ mode: 'chat' })
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
    expect(view.find('end-chat')).toBeNull()
    typeAndEnter(view.find<HTMLTextAreaElement>('composer')!, 'Hello')
    await vi.waitFor(() => expect(view.find('end-chat')?.textContent).toBe('End chat'))
  })

  it('asks first, inline, with the focus on Cancel', async () => {
    const view = await liveChat()
    const endChat = vi.spyOn(view.client, 'endChat')
    view.find('end-chat')!.click()
    await vi.waitFor(() => expect(view.find('end-chat-confirm')).not.toBeNull())
    expect(view.find('end-chat-confirm')!.parentElement!.textContent).toContain('End this chat?')
    expect(view.find('end-chat-confirm')!.textContent).toBe('End chat')
    expect(view.find('end-chat-cancel')!.textContent).toBe('Cancel')
    expect(view.root.activeElement).toBe(view.find('end-chat-cancel'))
    expect(endChat).not.toHaveBeenCalled()
  })

  it('keeps the chat on Cancel', async () => {
    const view = await liveChat()
    const endChat = vi.spyOn(view.client, 'endChat')
    view.find('end-chat')!.click()
    await vi.waitFor(() => expect(view.find('end-chat-cancel')).not.toBeNull())
    view.find('end-chat-cancel')!.click()
    await vi.waitFor(() => expect(view.find('end-chat-confirm')).toBeNull())
    expect(endChat).not.toHaveBeenCalled()
    expect(view.find('ended')).toBeNull()
    expect(view.findAll('message')).toHaveLength(1)
    expect(view.root.activeElement).toBe(view.find('end-chat'))
  })

  it('answers Cancel on Escape, and only the question goes: the pane stays open', async () => {
    const view = await liveChat()
    const endChat = vi.spyOn(view.client, 'endChat')
    view.find('end-chat')!.click()
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('end-chat-cancel')))
    press(view.find('end-chat-cancel')!, 'Escape')
    await vi.waitFor(() => expect(view.find('end-chat-confirm')).toBeNull())
    expect(view.find('pane')).not.toBeNull()
    expect(view.client.$pane.get().open).toBe(true)
    expect(endChat).not.toHaveBeenCalled()
    expect(view.root.activeElement).toBe(view.find('end-chat'))
  })

  it('ends the chat on confirm and says so', async () => {
    const view = await liveChat()
    const endChat = vi.spyOn(view.client, 'endChat')
    view.find('end-chat')!.click()
    await vi.waitFor(() => expect(view.find('end-chat-confirm')).not.toBeNull())
    view.find('end-chat-confirm')!.click()
    expect(endChat).toHaveBeenCalledOnce()
    await vi.waitFor(() => expect(view.find('ended')?.textContent).toContain('This chat has ended.'))
    expect(view.find('end-chat')).toBeNull()
    expect(view.find('end-chat-confirm')).toBeNull()
    expect(view.root.activeElement).toBe(view.find('composer'))
  })
})

describe('an ended chat', () => {
  it.each([
    ['ended', 'This chat has ended.'],
    ['expired', 'This chat ended after a period of inactivity.'],
    ['closed', 'This chat was closed.']
  ] as const)('says why when it %s', async (reason, text) => {
    const view = await liveChat()
    writable(view.client.$ended).set(reason)
    await vi.waitFor(() => expect(view.find('ended')?.textContent).toContain(text))
    expect(view.find('end-chat')).toBeNull()
    expect(view.find('empty')).toBeNull()
  })

  it('starts a new chat with Start a new chat', async () => {
    const view = await liveChat()
    writable(view.client.$ended).set('expired')
    await vi.waitFor(() => expect(view.find('new-chat')).not.toBeNull())
    const start = vi.spyOn(view.client, 'startConversation')
    view.find('new-chat')!.click()
    expect(start).toHaveBeenCalledOnce()
    await vi.waitFor(() => expect(view.find('ended')).toBeNull())
    await vi.waitFor(() => expect(view.find('end-chat')).not.toBeNull())
  })

  it('keeps the composer: the next message starts a new chat', async () => {
    const view = await liveChat()
    view.find('end-chat')!.click()
    await vi.waitFor(() => expect(view.find('end-chat-confirm')).not.toBeNull())
    view.find('end-chat-confirm')!.click()
    await vi.waitFor(() => expect(view.find('ended')).not.toBeNull())
    typeAndEnter(view.find<HTMLTextAreaElement>('composer')!, 'One more thing')
    await vi.waitFor(() => expect(view.find('ended')).toBeNull())
    await vi.waitFor(() => expect(view.find('message')?.textContent).toContain('One more thing'))
    expect(view.backend.conversations()).toHaveLength(2)
  })
})

describe('the storage notice', () => {
  /** An open pane whose client has opened storage, so that it does not overwrite what a test sets. */
  async function connected() {
    const view = setup()
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(view.client.$storage.get().reason).not.toBe('not opened yet'))
    writable(view.client.$storage).set({ persistent: false, reason: 'IndexedDB is unavailable' })
    await vi.waitFor(() => expect(view.find('storage-notice')?.title).toBe('IndexedDB is unavailable'))
    return view
  }

  it('says calmly that history is not saved, with the reason as its title', async () => {
    const view = await connected()
    expect(view.find('storage-notice')!.textContent).toBe('History isn’t saved on this device.')
    expect(view.find('storage-notice')!.title).toBe('IndexedDB is unavailable')
  })

  it('is not shown while history is saved', async () => {
    const view = await connected()
    writable(view.client.$storage).set({ persistent: true })
    await vi.waitFor(() => expect(view.find('storage-notice')).toBeNull())
  })

  it('is not shown before storage is opened', async () => {
    const view = await connected()
    writable(view.client.$storage).set({ persistent: false, reason: 'not opened yet' })
    await vi.waitFor(() => expect(view.find('storage-notice')).toBeNull())
  })
})
