import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Author, MessageContent } from '../../src/transports/types.js'
import { ORDER_FORM } from '../support/rich-backend.js'
import { axeViolations } from './axe.js'
import { launchChromium } from './browser.js'
import { servePage } from './page-server.js'

// Rich content in real Chromium, through the built widget (run `npm run build` first): hostile
// strings in every field run no script and leave no handler or unsafe URL in the shadow root, and
// axe finds no violations with every kind of part on screen.

const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

let server: Awaited<ReturnType<typeof servePage>>
let url: string
let browser: Browser
const pageErrors: Error[] = []

beforeAll(async () => {
  server = await servePage('rich-page.js', 'Rich', { '/pixel.png': ['image/png', PIXEL] })
  url = server.url
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  server?.close()
  expect(pageErrors).toEqual([])
})

const bot: Author = { role: 'bot', name: 'Bot' }

/** A page of the built widget with `messages` posted and the pane open on them. */
async function open(messages: { content: MessageContent; author: Author }[]): Promise<Page> {
  const page = await browser.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(url)
  await page.getByTestId('launcher').click()
  await page.getByTestId('composer').waitFor()
  await page.evaluate((list) => (window as unknown as { post(list: unknown[]): Promise<void> }).post(list), messages as unknown[])
  await page.locator('[data-testid="message"]').nth(messages.length).waitFor()
  return page
}

/** What in the widget's shadow root could run script or open an unsafe URL. */
function dangers(page: Page) {
  return page.evaluate(() => {
    const shadow = document.querySelector('[data-confab]')!.shadowRoot!
    const found: string[] = []
    const schemes: Record<string, string[]> = { href: ['http:', 'https:', 'mailto:', 'tel:'], src: ['http:', 'https:'] }
    for (const element of shadow.querySelectorAll('*')) {
      const tag = element.tagName.toLowerCase()
      if (['script', 'iframe', 'object', 'embed', 'foreignobject', 'base', 'meta', 'form'].includes(tag) && !(tag === 'form' && element.getAttribute('action') === null)) {
        found.push(`<${tag}>`)
      }
      for (const { name, value } of element.attributes) {
        if (/^on/i.test(name) || name === 'srcdoc' || name === 'formaction' || name === 'action') found.push(`${tag}[${name}]`)
        const allowed = schemes[name]
        if (allowed && !allowed.includes(new URL(value, location.href).protocol)) found.push(`${tag}[${name}=${value}]`)
      }
    }
    return { found, ran: '__xss' in window }
  })
}

describe('hostile rich content in Chromium', () => {
  const evil = '<img src=x onerror=window.__xss=1>'
  const script = '<script>window.__xss=1</script><svg onload=window.__xss=1>'
  const js = 'javascript:window.__xss=1'
  const hostile: MessageContent[] = [
    {
      text: `${evil}${script} **${evil}** [a](${js}) [b](JaVaScRiPt:window.__xss=1) [c](data:text/html,${script}) <a href="${js}">d</a> ![e](${js}) [f](vbscript:x) https://ok.example/"onmouseover="window.__xss=1`
    },
    {
      text: 'Cards',
      parts: [
        {
          type: 'cards',
          layout: 'carousel',
          items: [
            { title: evil, description: `${evil}${script}`, imageUrl: 'https://img.example/a.png" onerror="window.__xss=1', imageAlt: evil, actions: [{ type: 'reply', id: 'r', label: evil }] },
            { title: 'Links', actions: [{ type: 'link', id: 'l', label: evil, url: 'https://ok.example/"onclick="window.__xss=1' }] }
          ]
        }
      ]
    },
    {
      text: 'Media',
      parts: [
        { type: 'image', url: `${url}/x" onerror="window.__xss=1`, alt: evil },
        { type: 'file', url: 'https://files.example/a.pdf', name: evil },
        { type: 'location', latitude: 1, longitude: 2, name: evil, address: script }
      ]
    },
    {
      text: 'Form',
      parts: [
        {
          type: 'form',
          fields: [
            { name: 'a', label: evil, type: 'text', placeholder: evil },
            { name: 'b', label: evil, type: 'select', options: [{ value: evil, label: evil }] },
            { name: 'c', label: evil, type: 'multiselect', options: [{ value: 'v', label: evil }] }
          ],
          submitLabel: evil
        }
      ]
    },
    { text: 'Rate', parts: [{ type: 'rating', question: `${evil}${script}`, comment: true }] },
    { text: 'Buttons', actions: [{ type: 'host', id: 'h', label: evil, name: 'buy' }], replies: [{ type: 'reply', id: 'q', label: evil }] }
  ]
  // What a backend that breaks the rules might send anyway: the client drops these parts and actions.
  const refused: MessageContent[] = [
    { text: 'Refused', parts: [{ type: 'image', url: js }, { type: 'file', url: `data:text/html,${script}`, name: 'x' }], actions: [{ type: 'link', id: 'x', label: 'x', url: js }] }
  ]

  it('runs no script and leaves no handler or unsafe URL, as bot and as agent', async () => {
    const page = await open([
      ...hostile.map((content) => ({ content, author: bot })),
      ...[...hostile, ...refused].map((content) => ({ content, author: { role: 'agent' as const, name: evil } }))
    ])
    // The visitor answers with hostile words too: a form's answers and a rating's comment.
    const form = page.locator('[data-testid="form"]').first()
    await form.locator('input[name="a"]').fill(`${evil}${script}`)
    await form.locator('button[type="submit"]').click()
    const rating = page.locator('[data-testid="rating"]').first()
    await rating.locator('label').nth(2).click()
    await rating.locator('textarea').fill(`${evil}${script}`)
    await rating.locator('button[type="submit"]').click()
    await page.getByTestId('rating-response').waitFor()
    await page.getByTestId('form-response').waitFor()
    // Time for an image's error or a handler to fire, had one been made.
    await page.waitForTimeout(300)
    expect(await dangers(page)).toEqual({ found: [], ran: false })
    expect(await page.getByTestId('rating-response').textContent()).toContain(evil)
    await page.close()
  })
})

describe('rich content and accessibility in Chromium', () => {
  it('finds no axe violations with every kind of part, buttons and quick replies on screen', async () => {
    const reply = (id: string) => ({ type: 'reply' as const, id, label: `Choose ${id}` })
    const page = await open(
      [
        { text: 'Your order **#1234** has *shipped*: [track it](https://track.example/1234).\n- 2 × mug\n- 1 × towel\n\n> Thanks!\n\n```\ncode block\n```' },
        { text: 'A photo', parts: [{ type: 'image', url: `${url}/pixel.png`, alt: 'A pixel', width: 1, height: 1 }, { type: 'file', url: 'https://files.example/a.pdf', name: 'invoice.pdf', size: 120_000 }] },
        { text: 'Our shop', parts: [{ type: 'location', latitude: 48.85, longitude: 2.29, name: 'Shop', address: '5 Rue X' }] },
        {
          text: 'Plans',
          parts: [
            { type: 'cards', layout: 'carousel', items: [{ title: 'Basic', description: 'For one', imageUrl: `${url}/pixel.png`, imageAlt: '', actions: [reply('basic'), { type: 'link', id: 'more', label: 'More', url: 'https://example.com' }] }, { title: 'Pro', actions: [reply('pro')] }] },
            { type: 'cards', layout: 'list', items: [{ title: 'Team', actions: [reply('team')] }] },
            { type: 'cards', layout: 'carousel', items: [{ title: 'Mugs' }, { title: 'Towels' }] }
          ]
        },
        ORDER_FORM,
        { text: 'Rate us', parts: [{ type: 'rating', comment: true }] },
        { text: 'Anything else?', actions: [{ type: 'host', id: 'buy', label: 'Buy', name: 'buy' }], replies: [reply('yes'), reply('no')], blockComposer: true }
      ].map((content) => ({ content: content as MessageContent, author: bot }))
    )
    await page.getByTestId('blocked').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })
})
