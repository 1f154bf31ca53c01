// Makes examples/assets/pane.png, the screenshot in the README: the demo page with the pane open,
// a visitor's question and an agent's answer. Run after `npm run build`:  node examples/screenshot.mjs
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { createServer } from './server/app.js'

const out = fileURLToPath(new URL('./assets/pane.png', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'confab-shot-'))
const server = createServer({ dataDir, agentKey: 'shot' })
const { url } = await server.listen(0)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
})
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 1 })
  await page.goto(`${url}/`)
  await page.getByTestId('launcher').click()
  await page.getByTestId('composer').fill('Hi! Can I change the delivery address of order #1042?')
  await page.getByTestId('composer').press('Enter')
  await page.locator('[data-testid="message"][data-status="sent"]').waitFor()

  const agent = { authorization: 'Bearer shot', 'content-type': 'application/json' }
  const { conversations } = await (await fetch(`${url}/v1/agent/conversations`, { headers: agent })).json()
  await fetch(`${url}/v1/agent/conversations/${conversations[0].id}/messages`, {
    method: 'POST',
    headers: agent,
    body: JSON.stringify({
      clientId: crypto.randomUUID(),
      name: 'Maya',
      text: 'Of course. It has not shipped yet, so I updated it for you. Anything else?'
    })
  })
  await page.locator('[data-testid="message"][data-author="agent"]').waitFor()
  await page.getByTestId('composer').fill('That was quick, thank you!')
  await page.waitForTimeout(300)
  await page.screenshot({ path: out })
  console.log(`wrote ${out}`)
} finally {
  await browser.close()
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
}
