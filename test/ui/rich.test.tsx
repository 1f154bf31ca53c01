import { render } from 'preact'
import { describe, expect, it, vi } from 'vitest'
import { createLocalResumeKeyStore } from '../../src/cache/resume-key.js'
import { createClient } from '../../src/client/index.js'
import type { ClientEvents } from '../../src/client/index.js'
import { ActionButton } from '../../src/ui/components/parts/actions.js'
import type { Action, MessageContent } from '../../src/transports/types.js'
import type { ChatMessage } from '../../src/store/index.js'
import { createRichBackend, ORDER_FORM, type RichBackend } from '../support/rich-backend.js'
import { conversation, press, setup, typeAndEnter } from './setup.js'

const reply = (id: string, label = id): Action => ({ type: 'reply', id, label })
const visitorTexts = (rich: RichBackend, id: string) =>
  rich.backend
    .messages(id)
    .filter((m) => m.author.role === 'visitor')
    .map((m) => m.text)

describe('markdown in a message', () => {
  it('renders as formatted nodes', async () => {
    const view = await conversation()
    const message = await view.say({ text: '**Order** *shipped*: `A-1`\n- one\n- two' })
    const bubble = message.querySelector('.bubble')!
    expect(bubble.querySelector('strong')!.textContent).toBe('Order')
    expect(bubble.querySelector('em')!.textContent).toBe('shipped')
    expect(bubble.querySelector('code')!.textContent).toBe('A-1')
    expect([...bubble.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two'])
  })

  it('opens links in a new tab, without a referrer or a handle on the page', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'See [the guide](https://example.com/guide) or https://example.org' })
    const links = [...message.querySelectorAll('.bubble a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/guide', 'https://example.org/'])
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank')
      expect(a.getAttribute('rel')).toBe('noopener noreferrer')
    }
  })

  it('shows a javascript: link as the text it is', async () => {
    const view = await conversation()
    const message = await view.say({ text: '[click](javascript:alert(1)) [x](JAVASCRIPT:alert(1))' })
    expect(message.querySelector('a')).toBeNull()
    expect(message.querySelector('.bubble')!.textContent).toBe('[click](javascript:alert(1)) [x](JAVASCRIPT:alert(1))')
  })

  it('shows HTML as text: an <img onerror> never becomes an element', async () => {
    const view = await conversation()
    const message = await view.say({ text: '<img src=x onerror=alert(1)> **<script>alert(2)</script>**' })
    expect(message.querySelector('img, script')).toBeNull()
    expect(message.querySelector('.bubble')!.textContent).toBe('<img src=x onerror=alert(1)> <script>alert(2)</script>')
  })
})

describe('parts', () => {
  it('show an image lazily, described, with its size reserved', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'A photo', parts: [{ type: 'image', url: 'https://img.example/a.png', alt: 'A red box', width: 400, height: 300 }] })
    const img = message.querySelector<HTMLImageElement>('[data-testid="image"] img')!
    expect(img.getAttribute('src')).toBe('https://img.example/a.png')
    expect(img.getAttribute('alt')).toBe('A red box')
    expect(img.getAttribute('loading')).toBe('lazy')
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['400', '300'])
    expect(img.style.aspectRatio).toBe('400 / 300')
  })

  it('offer a file to download with its name and size', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'The invoice', parts: [{ type: 'file', url: 'https://files.example/inv.pdf', name: 'invoice.pdf', size: 1_250_000 }] })
    const file = message.querySelector('[data-testid="file"]')!
    expect(file.getAttribute('href')).toBe('https://files.example/inv.pdf')
    expect(file.getAttribute('download')).toBe('invoice.pdf')
    expect(file.textContent).toMatch(/invoice\.pdf.*1\.3\s*MB/)
  })

  it('link a location to a map', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'Our shop', parts: [{ type: 'location', latitude: 48.8584, longitude: 2.2945, name: 'Shop', address: '5 Av. Anatole France' }] })
    const location = message.querySelector('[data-testid="location"]')!
    expect(location.textContent).toContain('Shop')
    expect(location.textContent).toContain('5 Av. Anatole France')
    expect(location.querySelector('a')!.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=48.8584&mlon=2.2945#map=16/48.8584/2.2945')
  })

  it('show a carousel as a focusable, named region that the arrow keys scroll, gliding unless asked for less motion', async () => {
    const view = await conversation()
    const message = await view.say({
      text: 'Plans',
      parts: [{ type: 'cards', layout: 'carousel', items: [{ title: 'Basic', description: 'For one', imageUrl: 'https://img.example/b.png', actions: [reply('basic', 'Choose Basic')] }, { title: 'Pro' }] }]
    })
    const region = message.querySelector<HTMLElement>('[data-testid="cards"]')!
    expect(region.getAttribute('role')).toBe('region')
    expect(region.getAttribute('aria-label')).toBe('Cards: Basic, Pro')
    expect(region.tabIndex).toBe(0)
    expect([...region.querySelectorAll('[data-testid="card"]')].map((card) => card.getAttribute('aria-label'))).toEqual(['Basic', 'Pro'])
    const scrollBy = vi.fn()
    region.scrollBy = scrollBy as typeof region.scrollBy
    // happy-dom lays nothing out: the card is given the width a browser would.
    Object.defineProperty(region.firstElementChild, 'offsetWidth', { value: 200 })
    expect(press(region, 'ArrowRight')).toBe(false)
    expect(press(region, 'ArrowLeft')).toBe(false)
    expect(scrollBy.mock.calls.map(([options]) => options.left)).toEqual([200, -200])
    expect(scrollBy.mock.calls.map(([options]) => options.behavior)).toEqual(['smooth', 'smooth'])
    // Those who ask for less motion get there at once.
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('prefers-reduced-motion: reduce'), media: query }))
    try {
      press(region, 'ArrowRight')
    } finally {
      vi.unstubAllGlobals()
    }
    expect(scrollBy.mock.calls.at(-1)![0]).toEqual({ left: 200, behavior: 'instant' })
  })

  it('show list cards one under the other, not as a scrolling region', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'Plans', parts: [{ type: 'cards', layout: 'list', items: [{ title: 'Basic' }, { title: 'Pro' }] }] })
    const cards = message.querySelector('[data-testid="cards"]')!
    expect(cards.classList.contains('stack')).toBe(true)
    expect(cards.getAttribute('role')).toBeNull()
  })

  it('that break the rules leave the message and its text standing', async () => {
    const view = await conversation()
    const errors: unknown[] = []
    view.client.on('error', (error) => errors.push(error))
    const message = await view.say({
      text: 'Still here',
      parts: [
        { type: 'image', url: 'javascript:alert(1)' },
        { type: 'file', url: 'data:text/html,<script>alert(1)</script>', name: 'x.html' },
        { type: 'x-unknown' } as never
      ],
      actions: [{ type: 'link', id: 'l', label: 'Bad link', url: 'javascript:alert(1)' }]
    })
    expect(message.querySelector('.bubble')!.textContent).toBe('Still here')
    expect(message.querySelector('img, a, button')).toBeNull()
    expect(errors).not.toHaveLength(0)
  })
})

describe('buttons', () => {
  it('send a reply button’s label as the visitor’s message answering it', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'Shall we?', actions: [reply('yes', 'Yes please')] })
    message.querySelector<HTMLButtonElement>('[data-testid="action"]')!.click()
    await vi.waitFor(() => expect(visitorTexts(view.rich, view.id)).toEqual(['Hi', 'Yes please']))
    const answer = view.client.$activeMessages.get().at(-1)!
    expect(answer.replyTo).toEqual({ messageId: view.rich.backend.messages(view.id)[1]!.id, actionId: 'yes' })
  })

  it('deliver a postback’s payload and show no message', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'Need a person?', actions: [{ type: 'postback', id: 'talk', label: 'Talk to a person', payload: 'HANDOFF' }] })
    message.querySelector<HTMLButtonElement>('[data-testid="action"]')!.click()
    await vi.waitFor(() => expect(view.rich.postbacks.map((p) => p.payload)).toEqual(['HANDOFF']))
    expect(view.findAll('message')).toHaveLength(2)
    expect(visitorTexts(view.rich, view.id)).toEqual(['Hi'])
  })

  it('open a link as a real link in a new tab, and tell the page', async () => {
    const view = await conversation()
    const actions: ClientEvents['action'][] = []
    view.client.on('action', (event) => actions.push(event))
    const message = await view.say({ text: 'Docs', actions: [{ type: 'link', id: 'docs', label: 'Open the guide', url: 'https://example.com/guide' }] })
    const link = message.querySelector<HTMLAnchorElement>('a[data-testid="action"]')!
    expect(link.getAttribute('href')).toBe('https://example.com/guide')
    expect(link.getAttribute('target')).toBe('_blank')
    expect(link.getAttribute('rel')).toBe('noopener noreferrer')
    link.addEventListener('click', (event) => event.preventDefault())
    link.click()
    expect(actions.map((event) => event.action.id)).toEqual(['docs'])
  })

  it('hand a host action to the page and do nothing else', async () => {
    const view = await conversation()
    const actions: ClientEvents['action'][] = []
    view.client.on('action', (event) => actions.push(event))
    const buy = { type: 'host', id: 'buy', label: 'Buy for €25', name: 'buy', data: { amount: 2500, currency: 'EUR' } } as const
    const message = await view.say({ text: 'Ready?', actions: [buy] })
    message.querySelector<HTMLButtonElement>('[data-testid="action"]')!.click()
    await vi.waitFor(() => expect(actions).toHaveLength(1))
    expect(actions[0]!.action).toEqual(buy)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(view.findAll('message')).toHaveLength(2)
    expect(view.rich.postbacks).toEqual([])
    expect(visitorTexts(view.rich, view.id)).toEqual(['Hi'])
  })

  it('that are postbacks are not offered by a transport that cannot deliver them', async () => {
    const rich = createRichBackend()
    const { postback: _postback, ...transport } = rich.transport()
    const view = await conversation(rich, { transport })
    const message = await view.say({ text: 'Pick', actions: [reply('a', 'A'), { type: 'postback', id: 'b', label: 'B', payload: 'B' }] })
    expect([...message.querySelectorAll('[data-testid="action"]')].map((b) => b.textContent)).toEqual(['A'])
  })
})

describe('quick replies', () => {
  const pick = { text: 'Which plan?', replies: [reply('basic', 'Basic'), reply('pro', 'Pro')] }

  it('show as a named group of chips on the newest message that has them only', async () => {
    const view = await conversation()
    await view.say({ text: 'First?', replies: [reply('old', 'Old')] })
    const newest = await view.say(pick)
    expect(view.findAll('quick-replies')).toHaveLength(1)
    const chips = newest.querySelector('[data-testid="quick-replies"]')!
    expect(chips.getAttribute('role')).toBe('group')
    expect(chips.getAttribute('aria-label')).toBe('Quick replies')
    expect([...chips.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Basic', 'Pro'])
  })

  it('go once one is used, which sends its label', async () => {
    const view = await conversation()
    const message = await view.say(pick)
    message.querySelector<HTMLButtonElement>('[data-testid="quick-replies"] button')!.click()
    await vi.waitFor(() => expect(view.find('quick-replies')).toBeNull())
    await vi.waitFor(() => expect(visitorTexts(view.rich, view.id)).toEqual(['Hi', 'Basic']))
  })

  it('give the keys to the message field once one is used', async () => {
    const view = await conversation()
    const message = await view.say(pick)
    const chip = message.querySelector<HTMLButtonElement>('[data-testid="quick-replies"] button')!
    chip.focus()
    chip.click()
    await vi.waitFor(() => expect(view.find('quick-replies')).toBeNull())
    expect(view.root.activeElement).toBe(view.composer)
  })

  it('go once the visitor writes', async () => {
    const view = await conversation()
    await view.say(pick)
    typeAndEnter(view.composer, 'Neither, thanks')
    await vi.waitFor(() => expect(view.find('quick-replies')).toBeNull())
  })

  it('stay away after a reload once one was used', async () => {
    const rich = createRichBackend()
    const keys = createLocalResumeKeyStore('k', null)
    // The visit before the reload.
    const before = createClient({ transport: rich.transport(), resumeKeyStore: keys })
    await before.send('Hi')
    const id = rich.backend.conversations()[0]!.id
    const asked = rich.say(id, pick)
    await vi.waitFor(() => expect(before.$activeMessages.get()).toHaveLength(2))
    await before.act(asked, pick.replies[1]!)
    rich.say(id, { text: 'Pro it is.' })
    const view = setup({ backend: rich.backend, transport: rich.transport(), resumeKeyStore: keys })
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(4))
    expect(view.find('quick-replies')).toBeNull()
  })

  it('go once a postback one is used, and stay away once it is delivered', async () => {
    const view = await conversation()
    const release = view.rich.holdPostbacks()
    const message = await view.say({ text: 'Talk to?', replies: [{ type: 'postback', id: 'human', label: 'A person', payload: 'HANDOFF' }] })
    message.querySelector<HTMLButtonElement>('[data-testid="quick-replies"] button')!.click()
    await vi.waitFor(() => expect(view.find('quick-replies')).toBeNull())
    // While it waits, the postback is in the thread's store, and shown nowhere.
    expect(view.client.$messages.get()[view.id]!.some((m: ChatMessage) => m.postback)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(view.findAll('message')).toHaveLength(2)
    release()
    await vi.waitFor(() => expect(view.client.$messages.get()[view.id]!.some((m: ChatMessage) => m.postback)).toBe(false))
    expect(view.find('quick-replies')).toBeNull()
    expect(view.rich.postbacks).toHaveLength(1)
  })
})

describe('a form', () => {
  const order = ORDER_FORM

  const fill = (form: HTMLFormElement, values: { order?: string; email?: string; size?: string; extras?: string[] }) => {
    if (values.order !== undefined) form.querySelector<HTMLInputElement>('[name="order"]')!.value = values.order
    if (values.email !== undefined) form.querySelector<HTMLInputElement>('[name="email"]')!.value = values.email
    if (values.size !== undefined) form.querySelector<HTMLSelectElement>('[name="size"]')!.value = values.size
    for (const box of form.querySelectorAll<HTMLInputElement>('[name="extras"]')) box.checked = !!values.extras?.includes(box.value)
  }

  it('has a labelled input for each field, checkboxes for several choices', async () => {
    const view = await conversation()
    const form = (await view.say(order)).querySelector('form')!
    const labelOf = (name: string) => form.querySelector(`[name="${name}"]`)!.closest('label')!.firstElementChild!.textContent
    expect(labelOf('order')).toBe('Order number *')
    expect(form.querySelector<HTMLInputElement>('[name="order"]')!.required).toBe(true)
    expect(form.querySelector('[name="email"]')!.getAttribute('type')).toBe('email')
    expect(form.querySelector('[name="items"]')!.getAttribute('type')).toBe('number')
    expect(labelOf('size')).toBe('Size')
    expect([...form.querySelectorAll('[name="extras"]')].map((box) => [box.getAttribute('type'), box.closest('label')!.textContent])).toEqual([
      ['checkbox', 'Gift wrap'],
      ['checkbox', 'Express']
    ])
    expect(form.querySelector('fieldset fieldset legend')!.textContent).toBe('Extras')
    expect(form.querySelector('button[type="submit"]')!.textContent).toBe('Look up')
  })

  it('sends its answers, then shows them read-only as submitted', async () => {
    const view = await conversation()
    const form = (await view.say(order)).querySelector('form')!
    fill(form, { order: 'A-1234', size: 'l', extras: ['gift'] })
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click()
    await vi.waitFor(() => expect(view.find('form-submitted')?.textContent).toContain('Submitted'))
    expect(form.querySelector('fieldset')!.disabled).toBe(true)
    expect(form.querySelector('button[type="submit"]')).toBeNull()
    await vi.waitFor(() => expect(visitorTexts(view.rich, view.id)).toEqual(['Hi', 'Order number: A-1234\nSize: Large\nExtras: Gift wrap']))
  })

  it('stays submitted when a later message answers it too', async () => {
    const view = await conversation()
    const form = (await view.say(order)).querySelector('form')!
    fill(form, { order: 'A-1234' })
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click()
    await vi.waitFor(() => expect(view.find('form-submitted')).not.toBeNull())
    await view.say({ text: 'Found it.', replyTo: { messageId: view.rich.backend.messages(view.id)[1]!.id } })
    expect(view.find('form-submitted')).not.toBeNull()
    expect(form.querySelector<HTMLInputElement>('[name="order"]')!.value).toBe('A-1234')
  })

  it('shows the visitor’s answers as a list of labels and values, choices by their labels', async () => {
    const view = await conversation()
    const form = (await view.say(order)).querySelector('form')!
    fill(form, { order: 'A-1234', size: 'l', extras: ['gift', 'fast'] })
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click()
    await vi.waitFor(() => expect(view.find('form-response')).not.toBeNull())
    const rows = [...view.find('form-response')!.querySelectorAll('div')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent])
    expect(rows).toEqual([
      ['Order number', 'A-1234'],
      ['Size', 'Large'],
      ['Extras', 'Gift wrap, Express']
    ])
  })

  it('shows what the client refused next to the form, on the field it names, announced', async () => {
    const view = await conversation()
    const form = (await view.say(order)).querySelector('form')!
    fill(form, { order: 'A-1', email: 'not an address' })
    // Straight to submit, as a browser that lets the typed address through would.
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(view.find('form-error')?.textContent).toBe('Email: not an email address'))
    const error = view.find('form-error')!
    expect(error.getAttribute('role')).toBe('alert')
    const email = form.querySelector('[name="email"]')!
    expect(email.getAttribute('aria-invalid')).toBe('true')
    expect(email.getAttribute('aria-describedby')).toBe(error.id)
    await vi.waitFor(() => expect(view.root.activeElement).toBe(email))
    expect(visitorTexts(view.rich, view.id)).toEqual(['Hi'])
  })

  it('gives the keys to its confirmation once sent from the keyboard', async () => {
    const view = await conversation()
    const form = (await view.say(order)).querySelector('form')!
    fill(form, { order: 'A-1234' })
    form.querySelector<HTMLInputElement>('[name="order"]')!.focus()
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(view.find('form-submitted')).not.toBeNull())
    expect(view.root.activeElement).toBe(view.find('form-submitted'))
  })

  it('leaves the keys where they are when answered from elsewhere', async () => {
    const view = await conversation()
    await view.say(order)
    view.composer.focus()
    const asked = view.client.$activeMessages.get().at(-1)!
    await view.client.submitForm(asked, { order: 'A-1234' })
    await vi.waitFor(() => expect(view.find('form-submitted')).not.toBeNull())
    expect(view.root.activeElement).toBe(view.composer)
  })

  it('shows as submitted, with its answers, after a reload', async () => {
    const rich = createRichBackend()
    const keys = createLocalResumeKeyStore('k', null)
    const before = createClient({ transport: rich.transport(), resumeKeyStore: keys })
    await before.send('Hi')
    const id = rich.backend.conversations()[0]!.id
    const asked = rich.say(id, order)
    await vi.waitFor(() => expect(before.$activeMessages.get()).toHaveLength(2))
    await before.submitForm(asked, { order: 'B-77', size: 's' })
    const view = setup({ backend: rich.backend, transport: rich.transport(), resumeKeyStore: keys })
    view.find('launcher')!.click()
    await view.ready()
    await vi.waitFor(() => expect(view.find('form-submitted')).not.toBeNull())
    const form = view.find('form')!
    expect(form.querySelector<HTMLInputElement>('[name="order"]')!.value).toBe('B-77')
    expect(form.querySelector<HTMLSelectElement>('[name="size"]')!.value).toBe('s')
  })
})

describe('a rating', () => {
  const ask: MessageContent = { text: 'Rate us', parts: [{ type: 'rating', comment: true }] }

  it('offers five stars as named radio buttons under its question, and a comment', async () => {
    const view = await conversation()
    const rating = (await view.say(ask)).querySelector('[data-testid="rating"]')!
    expect(rating.querySelector('legend')!.textContent).toBe('How would you rate this conversation?')
    expect([...rating.querySelectorAll('input[type="radio"]')].map((radio) => radio.closest('label')!.textContent)).toEqual([
      '★1 out of 5',
      '★2 out of 5',
      '★3 out of 5',
      '★4 out of 5',
      '★5 out of 5'
    ])
    expect(rating.querySelector('textarea')!.closest('label')!.textContent).toBe('Comment (optional)')
  })

  it('sends the score and comment, then shows the rating as given', async () => {
    const view = await conversation()
    const rating = (await view.say(ask)).querySelector<HTMLFormElement>('[data-testid="rating"]')!
    rating.querySelectorAll<HTMLInputElement>('input[type="radio"]')[3]!.checked = true
    rating.querySelector('textarea')!.value = 'Quick and kind'
    rating.querySelector<HTMLButtonElement>('button[type="submit"]')!.click()
    await vi.waitFor(() => expect(view.find('rating-given')?.textContent).toBe('4 out of 5Quick and kind'))
    expect(rating.querySelector('fieldset')!.disabled).toBe(true)
    await vi.waitFor(() => expect(visitorTexts(view.rich, view.id)).toEqual(['Hi', '★★★★☆ 4 out of 5\nQuick and kind']))
    expect(view.find('rating-response')!.textContent).toBe('★★★★☆ 4 out of 5Quick and kind')
  })

  it('gives the keys to the rating once sent from the keyboard', async () => {
    const view = await conversation()
    const rating = (await view.say(ask)).querySelector<HTMLFormElement>('[data-testid="rating"]')!
    rating.querySelectorAll<HTMLInputElement>('input[type="radio"]')[3]!.checked = true
    const send = rating.querySelector<HTMLButtonElement>('button[type="submit"]')!
    send.focus()
    send.click()
    await vi.waitFor(() => expect(view.find('rating-given')).not.toBeNull())
    expect(view.root.activeElement).toBe(view.find('rating-given'))
  })

  it('says what is missing when sent without a score', async () => {
    const view = await conversation()
    const rating = (await view.say(ask)).querySelector<HTMLFormElement>('[data-testid="rating"]')!
    rating.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(view.find('rating-error')?.getAttribute('role')).toBe('alert'))
  })
})

describe('a message that blocks the composer', () => {
  it('turns the composer off, saying why, until it is answered', async () => {
    const view = await conversation()
    await view.say({ text: 'Which plan?', replies: [reply('basic', 'Basic')], blockComposer: true })
    await vi.waitFor(() => expect(view.composer.disabled).toBe(true))
    expect(view.find<HTMLButtonElement>('send')!.disabled).toBe(true)
    expect(view.find('blocked')!.textContent).toBe('Choose an answer above to continue.')
    expect(view.find('blocked')!.parentElement!.getAttribute('role')).toBe('status')
    expect(view.composer.getAttribute('aria-describedby')).toBe(view.find('blocked')!.parentElement!.id)
    view.find('quick-replies')!.querySelector('button')!.click()
    await vi.waitFor(() => expect(view.composer.disabled).toBe(false))
    expect(view.find('blocked')).toBeNull()
  })

  it('gives the keys to the answer when the composer turns off under the visitor’s typing, and back once answered', async () => {
    const view = await conversation()
    view.composer.focus()
    const message = await view.say({ text: 'Which plan?', replies: [reply('basic', 'Basic')], blockComposer: true })
    const chip = message.querySelector<HTMLButtonElement>('[data-testid="quick-replies"] button')!
    await vi.waitFor(() => expect(view.root.activeElement).toBe(chip))
    chip.click()
    await vi.waitFor(() => expect(view.composer.disabled).toBe(false))
    await vi.waitFor(() => expect(view.root.activeElement).toBe(view.composer))
  })

  it('leaves the composer on when the message offers no way to answer it', async () => {
    const view = await conversation()
    await view.say({ text: 'Wait', blockComposer: true })
    expect(view.composer.disabled).toBe(false)
    expect(view.find('blocked')).toBeNull()
  })
})

describe('hostile strings', () => {
  const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>'

  it('stay text in card titles, descriptions, button and quick reply labels', async () => {
    const view = await conversation()
    const message = await view.say({
      text: 'x',
      parts: [{ type: 'cards', layout: 'carousel', items: [{ title: hostile, description: hostile, actions: [reply('a', hostile)] }] }],
      replies: [reply('b', hostile)]
    })
    expect(message.querySelector('img, script')).toBeNull()
    expect(message.querySelector('[data-testid="card"] b')!.textContent).toBe(hostile)
    expect([...message.querySelectorAll('button')].map((b) => b.textContent)).toEqual([hostile, hostile])
  })

  it('stay text in form labels and choices', async () => {
    const view = await conversation()
    const message = await view.say({
      text: 'x',
      parts: [{ type: 'form', fields: [{ name: 'a', label: hostile, type: 'select', options: [{ value: 'v', label: hostile }] }] }]
    })
    expect(message.querySelector('img, script')).toBeNull()
    expect(message.querySelector('option[value="v"]')!.textContent).toBe(hostile)
  })

  it('show a link button whose URL is not one the widget opens as its label alone', () => {
    const host = document.createElement('div')
    const client = { act: vi.fn(() => Promise.resolve()) } as never
    render(<ActionButton client={client} message={{} as ChatMessage} action={{ type: 'link', id: 'x', label: 'Click', url: 'javascript:alert(1)' }} />, host)
    expect(host.querySelector('a')).toBeNull()
    expect(host.textContent).toBe('Click')
  })
})

describe('postbacks', () => {
  it('are never shown in the thread', async () => {
    const view = await conversation()
    const release = view.rich.holdPostbacks()
    const message = await view.say({ text: 'More?', actions: [{ type: 'postback', id: 'more', label: 'Show more', payload: 'MORE' }] })
    message.querySelector<HTMLButtonElement>('[data-testid="action"]')!.click()
    await vi.waitFor(() => expect(view.client.$messages.get()[view.id]!.some((m: ChatMessage) => m.postback)).toBe(true))
    // Time for the thread to render what its store holds.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(view.findAll('message').map((m) => m.textContent)).not.toContain(expect.stringContaining('Show more'))
    expect(view.findAll('message')).toHaveLength(2)
    release()
  })
})
