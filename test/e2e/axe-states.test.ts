import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './axe.js'
import { send, useBrowserAndServer } from './pages.js'
import { agentSays, conversationOf, openSite } from './site.js'

// axe-core over every state the pane can be in, in both schemes and both directions: English on a
// left-to-right page and Arabic on a right-to-left one. Each walk collects the violations of every
// state it passes through and expects none, so one failure names every state that has one.

const env = useBrowserAndServer()

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

/** An agent's message with every kind of rich content a bot or an agent sends. */
const RICH = {
  text: '**Three** plans, see [the details](https://example.com/plans):\n- Basic\n- Pro\n\n`code` and > a quote',
  parts: [
    { type: 'cards', layout: 'carousel', items: [{ title: 'Basic', description: 'For one' }, { title: 'Pro', description: 'For teams' }] },
    { type: 'cards', layout: 'list', items: [{ title: 'Team', description: 'For the whole company' }] },
    { type: 'file', url: 'https://files.example/plans.pdf', name: 'plans.pdf', size: 120_000 },
    { type: 'form', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }, { name: 'size', label: 'Team size', type: 'select', options: [{ value: 's', label: 'Small' }, { value: 'l', label: 'Large' }] }] },
    { type: 'rating', comment: true }
  ],
  actions: [{ type: 'link', id: 'docs', label: 'Compare', url: 'https://example.com/compare' }, { type: 'postback', id: 'call', label: 'Call me', payload: 'call' }],
  replies: [{ type: 'reply', id: 'basic', label: 'Basic' }, { type: 'reply', id: 'pro', label: 'Pro' }]
}

const COMBINATIONS = [
  { scheme: 'light', locale: 'en', dir: 'ltr' },
  { scheme: 'dark', locale: 'en', dir: 'ltr' },
  { scheme: 'light', locale: 'ar', dir: 'rtl' },
  { scheme: 'dark', locale: 'ar', dir: 'rtl' }
] as const

type Combination = (typeof COMBINATIONS)[number]

/** A walk's record: `check(state)` runs axe and keeps what it found under the state's name. */
function recorder(page: Page) {
  const found: Record<string, string[]> = {}
  return {
    found,
    async check(state: string) {
      const violations = await axeViolations(page)
      if (violations.length) found[state] = violations
    }
  }
}

const open = (combination: Combination, options: { mode?: 'chat' | 'messaging'; closed?: boolean } = {}) =>
  openSite(env.browser, env.server, {
    ...options,
    lang: combination.locale,
    dir: combination.dir,
    boot: { theme: combination.scheme, locale: combination.locale }
  })

describe.each(COMBINATIONS)('axe-core in every state: $scheme scheme, $locale ($dir)', (combination) => {
  it('finds no violations in messaging: launcher, thread with rich content, typing and Seen, pickers, attachments, viewer, search, list, new messages, Retry and offline', async () => {
    const page = await open(combination, { closed: true })
    const { found, check } = recorder(page)
    await check('launcher')
    await page.getByTestId('launcher').click()
    await page.getByTestId('composer').waitFor()
    expect(await page.getByTestId('pane').getAttribute('dir')).toBe(combination.dir)
    await check('open, nothing written yet')

    await send(page, 'Hello, which plan?')
    const id = await conversationOf(env.server)
    await agentSays(env.server, id, RICH)
    await page.getByTestId('quick-replies').waitFor()
    const { messages } = await env.server.agent<{ messages: { id: string }[] }>('GET', `conversations/${id}/messages`)
    await env.server.agent('POST', `conversations/${id}/read`, { messageId: messages[0]!.id, name: 'Anna' })
    await env.server.agent('POST', `conversations/${id}/typing`, { typing: true, name: 'Anna' })
    await page.getByTestId('seen').waitFor()
    await page.getByTestId('typing').waitFor()
    await check('thread: rich message, Seen, typing')

    await page.getByTestId('emoji-open').click()
    await page.getByTestId('emoji-grid').waitFor()
    await check('emoji picker')
    await page.keyboard.press('Escape')
    await page.getByTestId('gif-open').click()
    await page.getByTestId('gif').first().waitFor()
    await check('GIF picker')
    await page.keyboard.press('Escape')

    await page.getByTestId('file-input').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG })
    await page.getByTestId('preview').waitFor()
    await check('a photo waiting in the composer')
    await page.getByTestId('send').click()
    await page.getByTestId('image').last().waitFor()
    await page.getByTestId('image').last().click()
    await page.getByTestId('viewer').waitFor()
    await check('image viewer')
    await page.keyboard.press('Escape')
    await page.getByTestId('viewer').waitFor({ state: 'detached' })

    await page.getByTestId('search-open').click()
    await page.getByTestId('search-input').fill('plan')
    await page.getByTestId('search-result').first().waitFor()
    await check('search results')
    await page.getByTestId('search-input').fill('zzzqqq')
    await page.getByTestId('search-none').waitFor()
    await check('search without results')
    await page.keyboard.press('Escape')
    await page.getByTestId('back').click()
    await page.getByTestId('conversation').first().waitFor()
    await check('conversation list')
    await page.getByTestId('conversation').first().click()
    await page.getByTestId('composer').waitFor()

    for (let i = 1; i <= 5; i++) await agentSays(env.server, id, `Note ${i}:\n${'Fruit and chocolate.\n'.repeat(5)}`)
    await page.getByTestId('message').filter({ hasText: 'Note 5:' }).waitFor()
    await page.locator('[role="log"]').evaluate(async (log) => {
      log.scrollBy({ top: -log.scrollHeight, behavior: 'instant' })
      await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))
    })
    await agentSays(env.server, id, 'One more thing')
    await page.getByTestId('new-messages').waitFor()
    await check('new messages button over older messages')
    await page.getByTestId('new-messages').click()

    await page.route('**/v1/conversations/*/messages', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 400, body: '{}' }) : route.fallback()))
    await page.getByTestId('composer').fill('This one fails')
    await page.getByTestId('composer').press('Enter')
    await page.getByTestId('retry').waitFor()
    await check('a failed message with Retry')
    await page.context().setOffline(true)
    await expect.poll(() => page.getByTestId('status').innerText(), { timeout: 15_000 }).not.toBe('')
    await check('offline')

    expect(found).toEqual({})
    await page.context().close()
  })

  it('finds no violations in chat: empty, answered, the End chat question, and ended', async () => {
    const page = await open(combination, { mode: 'chat' })
    const { found, check } = recorder(page)
    await page.getByTestId('empty').waitFor()
    await check('empty chat')
    await send(page, 'A chat question')
    await agentSays(env.server, await conversationOf(env.server), { text: 'Happy to help.', replies: [{ type: 'reply', id: 'thanks', label: 'Thanks' }] })
    await page.getByTestId('quick-replies').waitFor()
    await check('answered chat')
    await page.getByTestId('end-chat').click()
    await page.getByTestId('end-chat-confirm').waitFor()
    await check('End chat question')
    await page.getByTestId('end-chat-confirm').click()
    await page.getByTestId('ended').waitFor()
    await check('ended chat')
    expect(found).toEqual({})
    await page.context().close()
  })
})
