// Makes the README's screenshots in examples/assets: `pane.png` (the demo page with the pane open, a
// visitor's question and an agent's answer), the pane in each colour scheme (`pane-light.png`,
// `pane-dark.png`), in Arabic (`pane-ar.png`), one per kind of rich message (`rich-*.png`) and
// `media.png` (a photo, a PDF and a GIF in the thread, a photo waiting in the composer, on a phone),
// with the reference server and the demo bot behind its bot hook, as `npm start` runs them (the
// Arabic and media ones from servers without the bot, which greets in English). Everything shown is
// made here or served by those servers: no network.
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
/** Call the agent API (of the demo's server, or of the one at `base`). */
async function agent(method, path, body, base = url) {
  const answer = await fetch(`${base}/v1/agent/${path}`, { method, headers: agentHeaders, body: body && JSON.stringify(body) })
  if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${await answer.text()}`)
  return answer.json()
}

/**
 * A customer on the demo page (of the demo's server, or of the one at `base`, with `query`) with the
 * pane open, in a fresh browser context whose system asks for `colorScheme` (`options` of the
 * context besides).
 */
async function customer(colorScheme = 'light', options = {}, base = url, query = '') {
  const context = await browser.newContext({ viewport: { width: 900, height: 760 }, deviceScaleFactor: 1, colorScheme, ...options })
  const page = await context.newPage()
  await page.goto(`${base}/${query}`)
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

/**
 * A JPEG drawn in the page, as a phone's photo would arrive: `scene` names what is on it (a parcel
 * with a crushed corner at a door, or a shop's receipt), at `width` × `height`.
 */
const photo = (page, scene, width, height) =>
  page.evaluate(
    async ({ scene, width, height }) => {
      const canvas = new OffscreenCanvas(width, height)
      const c = canvas.getContext('2d')
      // Shapes in hundredths of the width (x) and of the height (y).
      const box = (colour, x, y, w, h) => {
        c.fillStyle = colour
        c.fillRect((x * width) / 100, (y * height) / 100, (w * width) / 100, (h * height) / 100)
      }
      if (scene === 'parcel') {
        box('#d8cdbd', 0, 0, 100, 100)
        box('#9c8a74', 0, 72, 100, 28)
        box('#b07d4f', 30, 22, 40, 62)
        box('#e3cf9c', 47, 22, 6, 62)
        box('#fff', 34, 32, 10, 14)
        // The crushed corner.
        c.fillStyle = '#7d5432'
        c.beginPath()
        c.moveTo((60 * width) / 100, (22 * height) / 100)
        c.lineTo((70 * width) / 100, (22 * height) / 100)
        c.lineTo((70 * width) / 100, (42 * height) / 100)
        c.closePath()
        c.fill()
      } else {
        box('#6b7b8c', 0, 0, 100, 100)
        box('#fbfaf6', 22, 6, 56, 88)
        for (let line = 0; line < 9; line++) box('#9aa3ad', 28, 14 + line * 8, line % 3 ? 44 : 26, 2)
      }
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })
      return [...new Uint8Array(await blob.arrayBuffer())]
    },
    { scene, width, height }
  )

/** A PDF of one page that says `text` above a barcode. */
function pdf(text) {
  const bars = Array.from({ length: 90 }, (_, i) => `${72 + i * 5} 600 ${1 + ((i * 7) % 3)} 80 re f`).join('\n')
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET\n${bars}`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ]
  let body = '%PDF-1.4\n'
  const offsets = objects.map((object, i) => {
    const at = body.length
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
    return at
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** Upload `bytes` as the agent into the conversation `id` on the server at `base`: the file part of a message that shows it. */
async function agentFile(base, id, name, type, bytes) {
  const slot = await agent('POST', `conversations/${id}/uploads`, { clientId: crypto.randomUUID(), name, size: bytes.length, type }, base)
  const put = await fetch(slot.putUrl, { method: 'PUT', headers: slot.headers, body: bytes })
  if (!put.ok) throw new Error(`PUT ${name} answered ${put.status}`)
  return { type: 'file', url: slot.getUrl, name, size: bytes.length, mediaType: type }
}

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
    const page = await customer('light', {}, quietUrl, '?locale=ar')
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
  // Media: the visitor's photo (prepared on the device), the agent's PDF, the visitor's GIF from the
  // picker (still, with Play, as for those who ask for less motion: the same frame every run), and a
  // photo of the receipt waiting in the composer; on a phone, where the pane fills the screen. On a
  // server of its own without the demo bot, whose greeting would take their room.
  const quiet = createServer({ dataDir: join(dataDir, 'quiet'), agentKey: 'shot' })
  try {
    const base = (await quiet.listen(0)).url
    const page = await customer('light', { viewport: { width: 390, height: 780 }, reducedMotion: 'reduce' }, base)
    await page.getByTestId('file-input').setInputFiles({ name: 'parcel.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await photo(page, 'parcel', 1600, 1200)) })
    await page.getByTestId('preview').waitFor()
    await say(page, 'It arrived like this')
    await page.locator('[data-testid="message"][data-status="sent"] [data-testid="image"]').waitFor()
    const id = await conversationOf(base)
    const label = await agentFile(base, id, 'return-label-1042.pdf', 'application/pdf', pdf('Return label, order 1042'))
    await agent('POST', `conversations/${id}/messages`, { clientId: crypto.randomUUID(), name: 'Maya', text: 'Sorry! Here is your **return label**:', parts: [label] }, base)
    await page.getByTestId('file').waitFor()
    await page.getByTestId('gif-open').click()
    await page.getByTestId('gif-search').fill('thanks')
    await page.locator('[data-testid="gif"][data-id="thanks"]').click()
    await page.locator('[data-testid="message"][data-status="sent"] [data-testid="play"]').waitFor()
    await page.getByTestId('file-input').setInputFiles({ name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await photo(page, 'receipt', 900, 1200)) })
    await page.getByTestId('preview').waitFor()
    await page.getByTestId('composer').fill('And the receipt')
    await shoot(page, 'media.png')
    await page.context().close()
  } finally {
    await quiet.close()
  }
} finally {
  await browser.close()
  await server.close()
  await quiet.close()
  await bot.close()
  rmSync(dataDir, { recursive: true, force: true })
}
