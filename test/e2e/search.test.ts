import { describe, expect, it } from 'vitest'
import { messages, openCustomer, send, useBrowserAndServer } from './pages.js'

const env = useBrowserAndServer()

describe('search in real Chromium', () => {
  it('finds an answer from before a reload with the backend unreachable, by keyboard alone, and jumps to it', async () => {
    const page = await openCustomer(env.browser, env.server.url)
    await send(page, 'Which grinder works for espresso?')
    const { conversations } = await env.server.agent<{ conversations: { id: string }[] }>('GET', 'conversations')
    const grinderThread = conversations[0]!.id
    await env.server.agent('POST', `conversations/${grinderThread}/messages`, {
      clientId: crypto.randomUUID(),
      text: 'For espresso, the Baratza Sette 270 grinds fine enough.'
    })
    await messages(page, 'agent').filter({ hasText: 'Baratza' }).waitFor()
    await page.getByTestId('back').click()
    await page.getByTestId('new-conversation').click()
    await send(page, 'A second thread, about my delivery address')

    await page.route('**/v1/**', (route) => route.abort('internetdisconnected'))
    await page.reload()
    // Keyboard only from here: focus the launcher, open the pane, open search, pick, jump.
    await page.getByTestId('launcher').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('pane').waitFor()
    // Opening the pane puts the focus in the composer, from where the shortcut works.
    const focused = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('data-testid'))
    await expect.poll(focused).toBe('composer')
    await page.keyboard.press('Control+k')
    await page.getByTestId('search-input').waitFor()
    await page.keyboard.type('baratza')
    const result = page.getByTestId('search-result').filter({ hasText: 'Sette 270' })
    await result.waitFor()
    expect(await result.locator('mark').allTextContents()).toEqual(['Baratza'])
    expect(await result.getAttribute('data-source')).toBe('device')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')

    const hit = page.locator('[data-testid="message"][data-highlight]')
    await hit.waitFor()
    expect(await hit.textContent()).toContain('For espresso, the Baratza Sette 270')
    // In context: the thread of the hit, with the question before it.
    await messages(page).filter({ hasText: 'Which grinder works for espresso?' }).waitFor()
    expect(await messages(page).filter({ hasText: 'delivery address' }).count()).toBe(0)
    expect(await hit.isVisible()).toBe(true)

    await page.keyboard.press('Control+k')
    await page.getByTestId('search-input').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('search').count()).toBe(0)
    await page.context().close()
  })
})
