import { describe, expect, it, vi } from 'vitest'
import { createMemoryBackend } from '../../src/testing/index.js'
import { setup, typeAndEnter } from './setup.js'

/** A backend whose clock moves a second per reading, so activity has a clear order. */
function backendWithClock() {
  let now = Date.now()
  return createMemoryBackend({ now: () => (now += 1000) })
}

/** A visitor with two threads: "Billing" (newest, one unread reply) and an untitled closed one. */
async function twoThreads() {
  const backend = backendWithClock()
  const view = setup({ backend })
  const { client } = view
  const billing = await client.startConversation({ subject: 'Billing' })
  await client.send('My invoice is wrong')
  const other = await client.startConversation()
  await client.send('Hello?')
  backend.closeConversation(other.id)
  await client.openConversation(null)
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('conversation-list')).not.toBeNull())
  backend.reply(billing.id, 'Fixed it for you')
  await vi.waitFor(() => expect(client.$conversations.get()[0]!.id).toBe(billing.id))
  return { ...view, backend, billing, other }
}

const ids = (view: ReturnType<typeof setup>) =>
  view.findAll('conversation').map((entry) => entry.getAttribute('data-conversation-id'))

describe('the conversation list', () => {
  it('shows threads newest activity first, with subject, preview, closed mark and unread count', async () => {
    const view = await twoThreads()
    await vi.waitFor(() => expect(ids(view)).toEqual([view.billing.id, view.other.id]))
    const [billing, other] = view.findAll('conversation')
    await vi.waitFor(() => expect(billing!.textContent).toContain('Fixed it for you'))
    expect(billing!.textContent).toContain('Billing')
    expect(billing!.textContent).toContain('1 unread')
    expect(other!.textContent).toContain('Conversation')
    expect(other!.textContent).toContain('Closed · Hello?')
    expect(other!.textContent).not.toContain('unread')
    expect(view.find('conversation-list')!.tagName).toBe('UL')
    expect(view.find('composer')).toBeNull()
    expect(view.find('back')).toBeNull()
  })

  it('previews a thread’s last message as plain words, without its markdown', async () => {
    const view = await twoThreads()
    view.backend.reply(view.billing.id, '**Refund** sent: [see it](https://shop.example/r/1)')
    await vi.waitFor(() => expect(view.findAll('conversation')[0]!.textContent).toContain('Refund sent: see it'))
    expect(view.findAll('conversation')[0]!.textContent).not.toContain('**')
  })

  it('previews what the thread shows through the page’s beforeDisplay, and opens the thread without the hidden message', async () => {
    const backend = backendWithClock()
    const view = setup({
      backend,
      beforeDisplay: (message) => (message.metadata?.internal ? null : { ...message, text: message.text.replace(/\d{4}-\d{4}/g, '****') })
    })
    const thread = await view.client.startConversation({ subject: 'Card' })
    await view.client.send('Hello')
    backend.reply(thread.id, 'Your card 1234-5678 is on file')
    backend.reply(thread.id, { text: 'Routing: billing team', metadata: { internal: true } })
    await view.client.openConversation(null)
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.client.$conversations.get()[0]?.lastMessage?.text).toBe('Routing: billing team'))
    const entry = () => view.findAll('conversation')[0]!.textContent
    await vi.waitFor(() => expect(entry()).not.toContain('Routing'))
    view.findAll('conversation')[0]!.click()
    await vi.waitFor(() => expect(view.findAll('message').map((m) => m.textContent)).toEqual([expect.stringContaining('Hello'), expect.stringContaining('Your card **** is on file')]))
  })

  it('starts a conversation with New conversation and opens it, ready to type', async () => {
    const view = await twoThreads()
    const start = vi.spyOn(view.client, 'startConversation')
    view.find('new-conversation')!.click()
    await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
    expect(start).toHaveBeenCalledOnce()
    expect(view.find('conversation-list')).toBeNull()
    expect(view.backend.conversations()).toHaveLength(3)
    expect(view.client.$activeId.get()).toBe(view.backend.conversations()[0]!.id)
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))
  })

  it('opens a thread when clicked, and Back returns to the list', async () => {
    const view = await twoThreads()
    const open = vi.spyOn(view.client, 'openConversation')
    view.findAll('conversation').find((entry) => entry.dataset.conversationId === view.billing.id)!.click()
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
    expect(open).toHaveBeenCalledWith(view.billing.id)
    expect(view.findAll('message')[1]!.textContent).toContain('Fixed it for you')
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.find('composer')))

    view.find('back')!.click()
    await vi.waitFor(() => expect(view.find('conversation-list')).not.toBeNull())
    expect(open).toHaveBeenLastCalledWith(null)
    expect(view.find('back')).toBeNull()
    expect(view.root.activeElement).toBe(view.findAll('conversation')[0])
  })

  it('gives the back button a name', async () => {
    const view = await twoThreads()
    view.findAll('conversation')[0]!.click()
    await vi.waitFor(() => expect(view.find('back')).not.toBeNull())
    expect(view.find('back')!.getAttribute('aria-label')).toBe('All conversations')
  })

  it('is not shown without conversations: the empty state and composer start the first one', async () => {
    const view = setup()
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(view.find('empty')).not.toBeNull())
    expect(view.find('conversation-list')).toBeNull()
    typeAndEnter(view.find<HTMLTextAreaElement>('composer')!, 'First question')
    await vi.waitFor(() => expect(view.find('message')?.getAttribute('data-status')).toBe('sent'))
    expect(view.find('conversation-list')).toBeNull()
    expect(view.find('back')).not.toBeNull()
  })

  it('is not used in chat mode', async () => {
    const view = setup({ mode: 'chat' })
    await view.client.startConversation()
    await view.client.openConversation(null)
    view.find('launcher')!.click()
    await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
    expect(view.find('conversation-list')).toBeNull()
    expect(view.find('back')).toBeNull()
  })
})
