import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { ImagePart, Message, UploadSlot } from '../../src/transports/types.js'
import { openConsole as openConsoleOf, pageErrors, useBrowserAndServer } from './pages.js'
import { AGENT_KEY } from './server.js'

const env = useBrowserAndServer()

/** A visitor of the HTTP API with one conversation, and a few calls as that visitor. */
async function visitor() {
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const answer = await fetch(`${env.server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? null : JSON.stringify(body)
    })
    return answer.json()
  }
  const { token } = await call('POST', '/v1/sessions', {})
  const conversation = await call('POST', '/v1/conversations', { mode: 'messaging' }, token)
  const id: string = conversation.id
  return {
    id,
    /** Upload a file as the visitor: a slot, then the PUT of its bytes. */
    async upload(name: string, type: string, bytes: Buffer): Promise<UploadSlot> {
      const slot: UploadSlot = await call('POST', `/v1/conversations/${id}/uploads`, { clientId: crypto.randomUUID(), name, size: bytes.length, type }, token)
      const put = await fetch(slot.putUrl, { method: 'PUT', headers: slot.headers, body: new Uint8Array(bytes) })
      if (put.status !== 201) throw new Error(`the PUT answered ${put.status}`)
      return slot
    },
    send: (content: object) => call('POST', `/v1/conversations/${id}/messages`, { clientId: crypto.randomUUID(), ...content }, token),
    postback: (body: object) => call('POST', `/v1/conversations/${id}/postbacks`, { clientId: crypto.randomUUID(), ...body }, token)
  }
}

/** The agent console, with conversation `id` open. */
const openConsole = (id: string) => openConsoleOf(env.browser, env.server.url, id)

/** The conversation's newest message, as stored. */
async function newest(id: string): Promise<Message> {
  await new Promise((resolve) => setTimeout(resolve, 50))
  const page = await env.server.agent('GET', `conversations/${id}/messages`)
  return page.messages.at(-1)
}

describe('the agent console sends rich content', () => {
  it('sends quick replies, one a postback, that the visitor must choose from', async () => {
    const v = await visitor()
    await v.send({ text: 'Can I pay later?' })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-extra-kind').selectOption('replies')
    await page.getByTestId('agent-replies').fill('Yes\nNo\nTalk to a person => HANDOFF')
    await page.getByTestId('agent-block').check()
    await page.getByTestId('agent-reply').fill('Shall I set it up?')
    await page.getByTestId('agent-send').click()
    await page.getByTestId('agent-message').filter({ hasText: 'Shall I set it up?' }).waitFor()
    expect(await newest(v.id)).toMatchObject({
      text: 'Shall I set it up?',
      replies: [
        { type: 'reply', id: 'r1', label: 'Yes' },
        { type: 'reply', id: 'r2', label: 'No' },
        { type: 'postback', id: 'r3', label: 'Talk to a person', payload: 'HANDOFF' }
      ],
      blockComposer: true
    })
    expect(await page.getByTestId('agent-extra-kind').inputValue()).toBe('')
    await page.context().close()
  })

  it('sends a carousel of cards with a details link and a buy action', async () => {
    const v = await visitor()
    await v.send({ text: 'What plans are there?' })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-extra-kind').selectOption('cards')
    const first = page.getByTestId('agent-card').nth(0)
    await first.getByLabel('Card 1: title').fill('Pro')
    await first.getByLabel('Card 1: description').fill('Five sites')
    await first.getByLabel('Card 1: image URL (https://…)').fill(`${env.server.url}/assets/plan-pro.svg`)
    await first.getByLabel('Card 1: details link (https://…)').fill('https://example.com/pro')
    await first.getByLabel('Card 1: buy price in €').fill('12.50')
    await page.getByTestId('agent-card').nth(1).getByLabel('Card 2: title').fill('Team')
    await page.getByTestId('agent-send').click()
    await page.getByTestId('agent-part').and(page.locator('[data-type="cards"]')).waitFor()
    expect((await newest(v.id)).parts).toEqual([
      {
        type: 'cards',
        layout: 'carousel',
        items: [
          {
            title: 'Pro',
            description: 'Five sites',
            imageUrl: `${env.server.url}/assets/plan-pro.svg`,
            imageAlt: '',
            actions: [
              { type: 'link', id: 'c1-link', label: 'Details', url: 'https://example.com/pro' },
              { type: 'host', id: 'c1-buy', label: 'Buy for €12.50', name: 'buy', data: { amount: 1250, currency: 'EUR' } }
            ]
          },
          { title: 'Team' }
        ]
      }
    ])
    await expect.poll(() => page.locator('.card img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320)
    await page.context().close()
  })

  it('sends a form with a choice field, its text saying what to do', async () => {
    const v = await visitor()
    await v.send({ text: 'I want to return something' })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-extra-kind').selectOption('form')
    const [order, reason] = [page.getByTestId('agent-form-field').nth(0), page.getByTestId('agent-form-field').nth(1)]
    await order.getByLabel('Field 1: label').fill('Order number')
    await order.getByLabel('Field 1: required').check()
    await reason.getByLabel('Field 2: label').fill('Reason')
    await reason.getByLabel('Field 2: type').selectOption('select')
    await reason.getByLabel('Field 2: choices, comma-separated (select)').fill('Too small, Broken')
    await page.getByTestId('agent-form-submit').fill('Start the return')
    await page.getByTestId('agent-send').click()
    await page.getByTestId('agent-part').and(page.locator('[data-type="form"]')).waitFor()
    expect(await newest(v.id)).toMatchObject({
      text: 'Please fill in the form.',
      parts: [
        {
          type: 'form',
          fields: [
            { name: 'order-number-1', label: 'Order number', type: 'text', required: true },
            { name: 'reason-2', label: 'Reason', type: 'select', options: [{ value: 'too-small-1', label: 'Too small' }, { value: 'broken-2', label: 'Broken' }] }
          ],
          submitLabel: 'Start the return'
        }
      ]
    })
    await page.context().close()
  })

  it('says what is wrong with a form whose choice field has no choices, and sends nothing', async () => {
    const v = await visitor()
    await v.send({ text: 'Hello' })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-extra-kind').selectOption('form')
    await page.getByLabel('Field 1: label').fill('Size')
    await page.getByLabel('Field 1: type').selectOption('multiselect')
    await page.getByTestId('agent-send').click()
    await expect.poll(() => page.getByTestId('agent-error').textContent()).toBe('Field 1: list its choices, separated by commas.')
    expect((await newest(v.id)).text).toBe('Hello')
    await page.context().close()
  })

  it('sends a rating request after closing the conversation, when nothing else may be sent', async () => {
    const v = await visitor()
    await v.send({ text: 'Thanks, all good' })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-close').click()
    await expect.poll(() => page.getByTestId('agent-reply').isDisabled()).toBe(true)
    await page.getByTestId('agent-extra-kind').selectOption('rating')
    expect(await page.getByTestId('agent-reply').isDisabled()).toBe(false)
    await page.getByTestId('agent-rating-question').fill('How did Maya do?')
    await page.getByTestId('agent-send').click()
    await page.getByTestId('agent-part').and(page.locator('[data-type="rating"]')).waitFor()
    expect(await newest(v.id)).toMatchObject({
      text: 'How did Maya do?',
      parts: [{ type: 'rating', question: 'How did Maya do?', comment: true }]
    })
    await page.context().close()
  })
})

describe('the agent console shows what visitors send', () => {
  it("shows a form response as labels and answers, a rating as stars, and postbacks as lines", async () => {
    const v = await visitor()
    const asked = await env.server.agent('POST', `conversations/${v.id}/messages`, {
      clientId: crypto.randomUUID(),
      text: 'Your order?',
      parts: [{ type: 'form', fields: [{ name: 'order', label: 'Order number', type: 'text' }] }],
      replies: [{ type: 'postback', id: 'human', label: 'Talk to a person', payload: 'HANDOFF' }]
    })
    await v.send({ text: 'Order number: A-7', parts: [{ type: 'form-response', fields: [{ name: 'order', label: 'Order number', value: 'A-7' }] }], replyTo: { messageId: asked.id } })
    const page = await openConsole(v.id)
    const answer = page.getByTestId('agent-part').and(page.locator('[data-type="form-response"]'))
    expect(await answer.locator('dt').allTextContents()).toEqual(['Order number'])
    expect(await answer.locator('dd').allTextContents()).toEqual(['A-7'])
    await v.postback({ payload: 'HANDOFF', messageId: asked.id, actionId: 'human' })
    await expect.poll(() => page.getByTestId('agent-postback').textContent()).toMatch(/used “Talk to a person” \(payload HANDOFF\)/)
    await env.server.agent('POST', `conversations/${v.id}/messages`, { clientId: crypto.randomUUID(), text: 'Rate us', parts: [{ type: 'rating' }] })
    const request = await newest(v.id)
    await v.send({ text: '★★★★☆ Quick', parts: [{ type: 'rating-response', score: 4, comment: 'Quick' }], replyTo: { messageId: request.id } })
    const rating = page.getByTestId('agent-part').and(page.locator('[data-type="rating-response"]'))
    await expect.poll(() => rating.textContent()).toBe('★★★★☆ rated 4 out of 5“Quick”')
    await page.context().close()
  })

  it('shows images and files with http(s) URLs only, and other parts as their type', async () => {
    const v = await visitor()
    await v.send({ text: 'Here', parts: [{ type: 'image', url: `${env.server.url}/assets/plan-basic.svg`, alt: 'Basic' }, { type: 'file', url: 'https://example.com/a.pdf', name: 'a.pdf', size: 2048 }] })
    // Stored without the server's checks, as a broken backend might.
    await fetch(`${env.server.url}/v1/_faults/conversations/${v.id}/unchecked-message`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'Hostile',
        parts: [{ type: 'image', url: 'javascript:alert(1)', alt: 'x' }, { type: 'file', url: 'data:text/html,hi', name: 'b' }, { type: 'x-unknown' }]
      })
    })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-message').filter({ hasText: 'Hostile' }).waitFor()
    const sources = await page.locator('.messages img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')))
    expect(sources).toEqual([`${env.server.url}/assets/plan-basic.svg`])
    const links = await page.locator('.messages a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]))
    expect(links).toEqual([['📎 a.pdf (2.0 KB)', 'https://example.com/a.pdf', 'noopener noreferrer']])
    const hostile = page.getByTestId('agent-message').filter({ hasText: 'Hostile' })
    expect(await hostile.getByTestId('agent-part').allTextContents()).toEqual(['[image: x]', '📎 b', '[a part of type x-unknown]'])
    await page.context().close()
  })
})

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

describe('the agent console and files', () => {
  it("shows a visitor's uploaded picture inline at its size, and another file as a download link", async () => {
    const v = await visitor()
    const picture = await v.upload('box.png', 'image/png', PNG)
    const notes = Buffer.from('Order A-1042, box crushed\n')
    const file = await v.upload('notes.txt', 'text/plain', notes)
    await v.send({
      text: 'The box and my notes',
      parts: [
        { type: 'image', url: picture.getUrl, alt: 'A crushed box', width: 1, height: 1, mediaType: 'image/png', size: PNG.length },
        { type: 'file', url: file.getUrl, name: 'notes.txt', size: notes.length, mediaType: 'text/plain' }
      ]
    })
    const page = await openConsole(v.id)
    const message = page.getByTestId('agent-message').filter({ hasText: 'The box and my notes' })
    await message.waitFor()
    const img = message.locator('img')
    await expect.poll(() => img.evaluate((node: HTMLImageElement) => node.complete && node.naturalWidth)).toBe(1)
    expect(await img.evaluate((node: HTMLImageElement) => [node.getAttribute('src'), node.alt, node.getAttribute('width'), node.getAttribute('height')])).toEqual([
      picture.getUrl,
      'A crushed box',
      '1',
      '1'
    ])
    const links = await message.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]))
    expect(links).toEqual([[`📎 notes.txt (${notes.length} B)`, file.getUrl]])
    await page.context().close()
  })

  it('attaches a picture: uploads it, then sends it as an image part with its size', async () => {
    const v = await visitor()
    await v.send({ text: 'Can you show me?' })
    const page = await openConsole(v.id)
    await page.getByTestId('agent-file').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: PNG })
    await page.getByTestId('agent-reply').fill('The return label')
    await page.getByTestId('agent-send').click()
    await page.getByTestId('agent-message').filter({ hasText: 'The return label' }).locator('img').waitFor()
    const sent = await newest(v.id)
    expect(sent).toMatchObject({
      text: 'The return label',
      parts: [{ type: 'image', name: 'label.png', size: PNG.length, mediaType: 'image/png', alt: '', width: 1, height: 1 }]
    })
    const [part] = sent.parts as ImagePart[]
    const served = await fetch(part!.url)
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG)
    expect(await page.getByTestId('agent-file').evaluate((input: HTMLInputElement) => input.files?.length)).toBe(0)
    await page.context().close()
  })

  it('sends a file alone with its name as the text, and says why a file the server refuses was not sent', async () => {
    const v = await visitor()
    const page = await openConsole(v.id)
    await page.getByTestId('agent-file').setInputFiles({ name: 'guide.txt', mimeType: 'text/plain', buffer: Buffer.from('Step 1: print the label\n') })
    await page.getByTestId('agent-send').click()
    await page.getByTestId('agent-message').filter({ hasText: 'guide.txt' }).waitFor()
    expect(await newest(v.id)).toMatchObject({ text: 'guide.txt', parts: [{ type: 'file', name: 'guide.txt', mediaType: 'text/plain' }] })

    await page.getByTestId('agent-file').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') })
    await page.getByTestId('agent-send').click()
    await expect.poll(() => page.getByTestId('agent-error').textContent()).toContain('Files of type application/x-msdownload are not accepted here')
    expect((await newest(v.id)).text).toBe('guide.txt')
    await page.context().close()
  })
})
