import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createCommandRunner, type BootOptions } from '../../src/embed/commands.js'
import { bootWidget } from '../../src/embed/widget.js'
import { createMemoryBackend, createMemoryTransport } from '../../src/testing/index.js'
import { loadPane } from '../../src/ui/pane/load.js'
import { setup } from './setup.js'

/** `Confab(...)` with the real widget on a memory backend, misuse collected in `errors`; shut down after the test. */
function page(boot: Omit<BootOptions, 'transport'> = {}) {
  const backend = createMemoryBackend()
  const errors: unknown[] = []
  const run = createCommandRunner({ createWidget: (options) => bootWidget(options), report: (error) => errors.push(error) })
  run('boot', { ...boot, transport: createMemoryTransport({ backend }) })
  onTestFinished(() => run('shutdown') as Promise<void>)
  const visitorId = () => run('getVisitorId') as Promise<string>
  const root = () => document.querySelector<HTMLElement>('[data-confab]')!.shadowRoot!
  return { backend, errors, run, visitorId, root }
}

describe("Confab('update')", () => {
  it('sets the visitor attributes on the backend, with the page the visitor is on', async () => {
    const { backend, run, visitorId } = page()
    await expect(run('update', { plan: 'pro', company: 'Acme', seats: 12, trial: false })).resolves.toBeUndefined()
    const known = backend.visitor(await visitorId())
    expect(known.attributes).toEqual({ plan: 'pro', company: 'Acme', seats: 12, trial: false })
    // happy-dom's page is http://localhost:3000/.
    expect(known.page).toMatchObject({ url: `${location.origin}${location.pathname}` })
  })

  it("tells no page with pageContext: false, the attributes still", async () => {
    const { backend, run, visitorId } = page({ pageContext: false })
    await run('update', { plan: 'pro' })
    const known = backend.visitor(await visitorId())
    expect(known.attributes).toEqual({ plan: 'pro' })
    expect(known.page).toBeUndefined()
  })

  it('refuses an attribute over its limit naming it, reported once, and sends nothing', async () => {
    const { backend, errors, run, visitorId } = page()
    await expect(run('update', { note: 'x'.repeat(501) })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'update(attributes): "attributes.note" is longer than 500 characters'
    })
    expect(errors).toHaveLength(1)
    expect(backend.visitor(await visitorId()).attributes).toEqual({})
  })

  it('refuses attributes that are not an object, naming what it takes', async () => {
    const { errors, run } = page()
    await expect(run('update', 'plan=pro')).rejects.toThrow("Confab('update', attributes): attributes must be an object, not string")
    expect(errors).toHaveLength(1)
  })
})

describe("Confab('trackEvent')", () => {
  it('records the event with its metadata on the backend', async () => {
    const { backend, run, visitorId } = page()
    await expect(run('trackEvent', 'order:placed', { orderId: 42 })).resolves.toBeUndefined()
    expect(backend.visitor(await visitorId()).events).toMatchObject([{ name: 'order:placed', metadata: { orderId: 42 } }])
  })

  it('refuses a malformed name, reported once, and a name that is not a string', async () => {
    const { errors, run } = page()
    await expect(run('trackEvent', 'order/placed')).rejects.toThrow('"name" must be 1 to 64 letters')
    await expect(run('trackEvent', 42)).rejects.toThrow("Confab('trackEvent', name, metadata): name must be a string, not number")
    expect(errors).toHaveLength(2)
  })
})

describe("Confab('showNewMessage')", () => {
  it('opens the pane with the text in the composer, not sent, the caret after it and the keys in it', async () => {
    const { backend, run, root } = page()
    await run('showNewMessage', 'Hi about order 42')
    await loadPane()
    const composer = await vi.waitFor(() => {
      const found = root().querySelector<HTMLTextAreaElement>('[data-testid="composer"]')
      if (found?.value !== 'Hi about order 42') throw new Error('the composer does not hold the text')
      return found
    })
    expect(root().activeElement).toBe(composer)
    expect([composer.selectionStart, composer.selectionEnd]).toEqual([17, 17])
    expect(backend.conversations().flatMap((c) => backend.messages(c.id))).toEqual([])
  })
})

describe('the composer', () => {
  it('takes a draft that comes while it shows, in place of what it held, once', async () => {
    const view = setup()
    view.find('launcher')!.click()
    await view.ready()
    const composer = view.find<HTMLTextAreaElement>('composer')!
    composer.value = 'half a thought'
    await view.client.compose('About my invoice: ')
    await vi.waitFor(() => expect(composer.value).toBe('About my invoice: '))
    expect(view.client.$draft.get()).toBeNull()
    expect(view.root.activeElement).toBe(composer)
    composer.value = ''
    // Closing and opening the pane again brings nothing back.
    view.client.close()
    view.client.open()
    await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
    expect(view.find<HTMLTextAreaElement>('composer')!.value).toBe('')
  })

  it('opens the newest open thread of the list for the draft', async () => {
    const backend = createMemoryBackend()
    const view = setup({ backend })
    const first = await view.client.startConversation({ subject: 'Billing' })
    await view.client.send('Hello')
    await view.client.openConversation(null)
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.find('conversation-list')).not.toBeNull())
    await view.client.compose('One more thing')
    await vi.waitFor(() => expect(view.find<HTMLTextAreaElement>('composer')?.value).toBe('One more thing'))
    expect(view.client.$activeId.get()).toBe(first.id)
    expect(backend.conversations()).toHaveLength(1)
  })
})
