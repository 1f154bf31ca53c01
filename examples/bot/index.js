// @ts-check
// The demo bot as a process of its own, for a reference server started with BOT_WEBHOOK_URL set
// to the URL this prints (`npm start` runs the same bot inside the server's process instead):
//
//   CONFAB_URL=http://127.0.0.1:8787 BOT_KEY=demo-bot BOT_WEBHOOK_SECRET=demo-bot-secret node examples/bot/index.js
import { startDemoBot } from './demo.js'

const port = Number(process.env.BOT_PORT ?? 8788)
const delayMs = Number(process.env.BOT_DELAY_MS ?? 4000)
for (const [name, value] of [['BOT_PORT', port], ['BOT_DELAY_MS', delayMs]]) {
  if (!Number.isInteger(value) || Number(value) < 0) {
    process.stderr.write(`${name} must be a whole number\n`)
    process.exit(1)
  }
}
const bot = await startDemoBot({
  confabUrl: process.env.CONFAB_URL || 'http://127.0.0.1:8787',
  botKey: process.env.BOT_KEY || 'demo-bot',
  secret: process.env.BOT_WEBHOOK_SECRET || 'demo-bot-secret',
  delayMs,
  port,
  onError: (error) => process.stderr.write(`demo bot: ${error instanceof Error ? error.message : String(error)}\n`)
}).catch((/** @type {NodeJS.ErrnoException} */ error) => {
  process.stderr.write(`Cannot listen on 127.0.0.1:${port}: ${error.message}${error.code === 'EADDRINUSE' ? ' (set BOT_PORT)' : ''}\n`)
  process.exit(1)
})
process.stdout.write(`Bot hook: ${bot.url}\n`)
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => void bot.close().then(() => process.exit(0)))
