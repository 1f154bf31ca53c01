import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLocalResumeKeyStore } from '../../src/cache/resume-key.js'
import { createClient } from '../../src/client/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import { loadPane } from '../../src/ui/pane/load.js'
import { setup, typeAndEnter } from './setup.js'

type View = ReturnType<typeof setup>

/**
 * Every line the announcer is given from now on, in order: what a screen reader would read, since
 * the region is polite and not atomic (each added line is read on its own).
 */
async function listen(view: View) {
  // The pane's code, which the announcer comes with, loads when the browser is idle after boot, or
  // as the visitor reaches for the launcher.
  view.find('launcher')!.dispatchEvent(new Event('pointerenter'))
  await loadPane()
  await vi.waitFor(() => expect(view.find('announcer')).not.toBeNull())
  const region = view.find('announcer')!
  const heard: string[] = []
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) heard.push(node.textContent ?? '')
  }).observe(region, { childList: true, subtree: true, characterData: true })
  return heard
}

/** Open the pane with the launcher and wait for the composer. */
async function openPane(view: View) {
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  return view.find<HTMLTextAreaElement>('composer')!
}

/** The pane open on a conversation the visitor started with "Hi"; `id` is the conversation's. */
async function started(options: Parameters<typeof setup>[0] = {}) {
  const view = setup(options)
  const heard = await listen(view)
  typeAndEnter(await openPane(view), 'Hi')
  await vi.waitFor(() => expect(view.findAll('message')[0]?.getAttribute('data-status')).toBe('sent'))
  return { ...view, heard, id: view.backend.conversations()[0]!.id }
}

/** Let a message that was not read out have had every chance to be. */
const settle = () => new Promise((done) => setTimeout(done, 50))

afterEach(() => {
  delete (document as { hidden?: boolean }).hidden
})

describe('new messages read out to screen readers', () => {
  it('reads each reply from an agent once, as who wrote it and what it says, without markup', async () => {
    const view = await started()
    view.backend.reply(view.id, 'How can I **help**?', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.heard).toEqual(['Anna: How can I help?']))
    view.backend.reply(view.id, 'Still there?', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.heard).toEqual(['Anna: How can I help?', 'Anna: Still there?']))
    await settle()
    expect(view.heard).toHaveLength(2)
  })

  it('reads a bot’s message, named as the thread names an author without a name', async () => {
    const view = await started()
    view.backend.reply(view.id, 'Your parcel left today', { role: 'bot' })
    await vi.waitFor(() => expect(view.heard).toEqual(['Support: Your parcel left today']))
  })

  it('reads nothing of the visitor’s own messages, nor of system notes', async () => {
    const view = await started()
    typeAndEnter(view.find<HTMLTextAreaElement>('composer')!, 'Where is my order?')
    view.backend.reply(view.id, 'Anna joined the conversation', { role: 'system' })
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(3))
    await settle()
    expect(view.heard).toEqual([])
  })

  it('reads nothing of the history shown as the pane opens, then the next reply once', async () => {
    const backend = createMemoryBackend()
    const keys = createLocalResumeKeyStore('k', null)
    // An earlier visit left a conversation behind.
    const earlier = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: keys })
    await earlier.send('Hello')
    const id = backend.conversations()[0]!.id
    for (let i = 1; i <= 5; i++) backend.reply(id, `Reply ${i}`, { role: 'agent', name: 'Anna' })
    const view = setup({ backend, resumeKeyStore: keys })
    const heard = await listen(view)
    await openPane(view)
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(6))
    await settle()
    expect(heard).toEqual([])
    backend.reply(id, 'Welcome back', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(heard).toEqual(['Anna: Welcome back']))
  })

  it('reads a reply that arrives while the pane is closed', async () => {
    const view = await started()
    view.find('close')!.click()
    await vi.waitFor(() => expect(view.find('pane')).toBeNull())
    view.backend.reply(view.id, 'We have an answer for you', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.heard).toEqual(['Anna: We have an answer for you']))
  })

  it('reads nothing in a tab the visitor cannot see (the tab in front reads it)', async () => {
    const view = await started()
    Object.defineProperty(document, 'hidden', { configurable: true, value: true })
    view.backend.reply(view.id, 'Seen in another tab', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
    await settle()
    expect(view.heard).toEqual([])
  })

  it('reads a message as the page’s beforeDisplay shows it once it decided, and nothing of one it hides', async () => {
    const view = await started({
      beforeDisplay: async (message) => (message.metadata?.internal ? null : { ...message, text: message.text.replace(/\d{4}-\d{4}/g, 'XXXX') })
    })
    view.backend.reply(view.id, { text: 'Routing: billing team', metadata: { internal: true } }, { role: 'agent', name: 'Anna' })
    view.backend.reply(view.id, 'Your card 1234-5678 is on file', { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.heard).toEqual(['Anna: Your card XXXX is on file']))
    await settle()
    expect(view.heard).toHaveLength(1)
  })

  it('keeps the last three lines, so that several arriving together are all read', async () => {
    const view = await started()
    for (const text of ['One', 'Two', 'Three', 'Four']) view.backend.reply(view.id, text, { role: 'agent', name: 'Anna' })
    await vi.waitFor(() => expect(view.heard).toEqual(['Anna: One', 'Anna: Two', 'Anna: Three', 'Anna: Four']))
    await vi.waitFor(() => expect([...view.find('announcer')!.children].map((line) => line.textContent)).toEqual(['Anna: Two', 'Anna: Three', 'Anna: Four']))
  })

  it('is hidden from the eye, and the thread’s log is not a live region of its own', async () => {
    const view = await started()
    expect(view.find('announcer')!.className).toBe('sr')
    expect(view.find('announcer')!.getAttribute('aria-live')).toBe('polite')
    const log = view.root.querySelector('[role="log"]')!
    expect(log.getAttribute('aria-live')).toBe('off')
    expect(view.findAll('message').every((message) => !message.hasAttribute('aria-live'))).toBe(true)
  })
})
