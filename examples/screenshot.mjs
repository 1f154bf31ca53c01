// Makes the README's screenshots in examples/assets: `pane.png` (the demo page with the pane open, a
// visitor's question and an agent's answer), the pane in each colour scheme (`pane-light.png`,
// `pane-dark.png`), in Arabic (`pane-ar.png`) and one per kind of rich message (`rich-*.png`), with
// the reference server and the demo bot behind its bot hook, as `npm start` runs them (the Arabic
// one from a second server without the bot, which greets in English).
// Run: npm run screenshot   (or, after `npm run build`: node examples/screenshot.mjs)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startDemoBot } from './bot/demo.js'
import { createServer } from './server/app.js'

const asset = (name) => fileURLToPath(new URL(`./assets/${name}`, import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'confab-shot-'))
const secret = 'shot-secret'
let listening
const bot = await startDemoBot({ confabUrl: new Promise((resolve) => (listening = resolve)), botKey: 'shot-bot', secret, delayMs: 0 })
const server = createServer({ dataDir, agentKey: 'shot', botKey: 'shot-bot', botWebhook: { url: bot.url, secret } })
const { url } = await server.listen(0)
listening(url)
const quiet = createServer({ dataDir: mkdtempSync(join(dataDir, 'no-bot-')), agentKey: 'shot' })
const { url: quietUrl } = await quiet.listen(0)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
})

const agentHeaders = { authorization: 'Bearer shot', 'content-type': 'application/json' }
/** Call the agent API (of the server at `base`). */
async function agent(method, path, body, base = url) {
  const answer = await fetch(`${base}/v1/agent/${path}`, { method, headers: agentHeaders, body: body && JSON.stringify(body) })
  if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${await answer.text()}`)
  return answer.json()
}

/**
 * A customer on the demo page (`address`: another server's, or with a query) with the pane open, in a
 * fresh browser context whose system asks for `colorScheme`.
 */
async function customer(colorScheme = 'light', address = `${url}/`) {
  const context = await browser.newContext({ viewport: { width: 900, height: 760 }, deviceScaleFactor: 1, colorScheme })
  const page = await context.newPage()
  await page.goto(address)
  await page.getByTestId('launcher').click()
  await page.getByTestId('composer').waitFor()
  return page
}

/** Write as the customer and wait until it is sent. */
async function say(page, text) {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
  await page.locator(`[data-testid="message"][data-status="sent"]`, { hasText: text.slice(0, 20) }).last().waitFor()
}

/** The pane only, as the README shows it. */
async function shoot(page, name) {
  // Images decoded, animations over, focus rings where a person would see them.
  await page.waitForFunction(() =>
    [...(document.querySelector('[data-confab]')?.shadowRoot?.querySelectorAll('img') ?? [])].every((img) => img.complete)
  )
  await page.waitForTimeout(400)
  await page.getByTestId('pane').screenshot({ path: asset(name) })
  console.log(`wrote ${asset(name)}`)
}

const conversationOf = async (base = url) => (await agent('GET', 'conversations', undefined, base)).conversations[0].id

try {
  // The agent's answer, as the README opens with.
  {
    const page = await customer()
    await say(page, 'Hi! Is the Yirgacheffe good for espresso?')
    const id = await conversationOf()
    await agent('POST', `conversations/${id}/messages`, {
      clientId: crypto.randomUUID(),
      name: 'Maya',
      text: 'It is! Grind it **fine** and try:\n- `18 g` in, `40 g` out\n- 28 seconds at 93 °C\n\nMore in our [espresso guide](https://shop.example/guides/espresso).'
    })
    await page.locator('[data-testid="message"][data-author="agent"]').waitFor()
    await page.getByTestId('composer').fill('That was quick, thank you!')
    await page.waitForTimeout(300)
    await page.screenshot({ path: asset('pane.png') })
    console.log(`wrote ${asset('pane.png')}`)
    await page.context().close()
  }
  // The same conversation in each colour scheme: the demo page boots with `theme: 'auto'`, so the
  // widget follows what the visitor's system asks for.
  for (const scheme of ['light', 'dark']) {
    const page = await customer(scheme)
    await say(page, 'Hello!')
    await page.getByTestId('quick-replies').waitFor()
    await say(page, 'Is the Yirgacheffe good for espresso?')
    await agent('POST', `conversations/${await conversationOf()}/messages`, {
      clientId: crypto.randomUUID(),
      name: 'Maya',
      text: 'It is! Grind it **fine** and pull `18 g` in, `40 g` out.'
    })
    await page.locator('[data-testid="message"][data-author="agent"]').waitFor()
    await shoot(page, `pane-${scheme}.png`)
    await page.context().close()
  }
  // The pane in Arabic, in a right-to-left page: a visitor's question, the agent's answer, and the
  // roaster's note pasted in English with its translation, each paragraph reading its own way.
  {
    const page = await customer('light', `${quietUrl}/?locale=ar`)
    await page.evaluate(() => Object.assign(document.documentElement, { dir: 'rtl', lang: 'ar' }))
    await say(page, 'مرحبًا! هل تصلح حبوب يرغاتشيفي للإسبريسو؟')
    const id = await conversationOf(quietUrl)
    const answer = async (text) => {
      await agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), name: 'ليلى', text }, quietUrl)
      await page.locator('[data-testid="message"][data-author="agent"]', { hasText: text.slice(0, 12) }).waitFor()
    }
    await answer('نعم! اطحنها **ناعمة** واستخلص ٤٠ غرامًا من ١٨ غرامًا في نحو ٢٨ ثانية.')
    await answer('Roaster’s note: jasmine, bergamot, peach. Best 7 to 21 days after roasting.\n\nأي: ياسمين وبرغموت وخوخ، وأطيب ما تكون بين ٧ و٢١ يومًا من التحميص.')
    await shoot(page, 'pane-ar.png')
    await page.context().close()
  }
  // The demo bot: greeting with quick replies, the plans carousel, the order form, the rating.
  {
    const page = await customer()
    await say(page, 'Hello!')
    await page.getByTestId('quick-replies').waitFor()
    await shoot(page, 'rich-replies.png')
    await page.getByRole('button', { name: 'See plans' }).click()
    await page.getByTestId('cards').waitFor()
    await shoot(page, 'rich-cards.png')
    await say(page, 'I would like to track an order')
    await page.getByTestId('form').waitFor()
    await shoot(page, 'rich-form.png')
    const form = page.getByTestId('form').last()
    await form.getByRole('textbox').first().fill('1042')
    await form.getByRole('textbox').nth(1).fill('ada@example.com')
    await form.getByRole('button').last().click()
    await page.getByTestId('form-submitted').waitFor()
    await page.locator('[data-testid="message"][data-author="bot"]').last().waitFor()
    await page.waitForTimeout(800)
    await shoot(page, 'rich-form-sent.png')
    await agent('POST', `conversations/${await conversationOf()}/close`)
    await page.getByTestId('rating').waitFor()
    await page.getByTestId('rating').locator('.stars label').nth(3).click()
    await page.getByTestId('rating').getByRole('textbox').fill('Quick and friendly, thanks!')
    await shoot(page, 'rich-rating.png')
    await page.context().close()
  }
  // What agents can send besides: markdown, an image, a file, a place.
  {
    const page = await customer()
    await say(page, 'Can you send me the invoice, please?')
    const id = await conversationOf()
    await agent('POST', `conversations/${id}/messages`, {
      clientId: crypto.randomUUID(),
      name: 'Maya',
      text: 'Here it is, with the **Pro** plan you asked about and our shop:\n> Open Monday to Saturday, 8 am to 6 pm.',
      parts: [
        { type: 'image', url: `${url}/assets/plan-pro.svg`, alt: 'The Pro plan', width: 320, height: 180 },
        { type: 'file', url: `${url}/assets/invoice-1042.pdf`, name: 'invoice-1042.pdf', size: 48213, mediaType: 'application/pdf' },
        { type: 'location', latitude: 52.52, longitude: 13.405, name: 'Northwind Coffee Roasters', address: 'Alexanderplatz 1, Berlin' }
      ]
    })
    await page.getByTestId('location').waitFor()
    await shoot(page, 'rich-media.png')
    await page.context().close()
  }
} finally {
  await browser.close()
  await server.close()
  await quiet.close()
  await bot.close()
  rmSync(dataDir, { recursive: true, force: true })
}
