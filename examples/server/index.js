// @ts-check
// `npm start`: run the reference server with settings from the environment (see README.md).
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

/** @type {typeof import('./app.js')} */
const app = await import('./app.js').catch((/** @type {NodeJS.ErrnoException} */ error) => {
  if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error
  process.stderr.write(`${error.message}\nRun npm install in the repository first: the server needs the packages ws and jose.\n`)
  process.exit(1)
})
const { createServer } = app
const { startDemoBot } = await import('../bot/demo.js')

const repo = fileURLToPath(new URL('../../', import.meta.url))

/**
 * @param {string} name
 * @param {number} fallback
 */
function numberFromEnv(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} must be a whole number, got "${raw}"\n`)
    process.exit(1)
  }
  return value
}

const port = numberFromEnv('PORT', 8787)
const dataDir = process.env.DATA_DIR || `${repo}.state/server`
const agentKey = process.env.AGENT_KEY || 'demo-agent'
const botKey = process.env.BOT_KEY || 'demo-bot'
const botSecret = process.env.BOT_WEBHOOK_SECRET || 'demo-bot-secret'
const botDelayMs = numberFromEnv('BOT_DELAY_MS', 4000)
// A bot of the site's own (BOT_WEBHOOK_URL), else the demo bot unless DEMO_BOT=0.
const demoBot = !process.env.BOT_WEBHOOK_URL && process.env.DEMO_BOT !== '0'
const widgetPath = `${repo}dist/confab.js`
const identitySecret = process.env.IDENTITY_SECRET || 'demo-identity-secret'
// The demo page's "Sign in as Alice/Bob" asks this server to sign tokens: fine for the demo secret,
// not for a secret a real site shares, so DEMO_IDENTITY=0 turns it off.
const demoIdentity = process.env.DEMO_IDENTITY !== '0'
// Behind a proxy, the URL visitors reach the server at: the URLs of uploaded files start with it.
const publicUrl = process.env.PUBLIC_URL || undefined

// The demo bot starts first (the server needs its hook's URL) and learns the server's URL once it listens.
/** @type {(url: string) => void} */
let serverListens = () => {}
/** @type {Promise<string>} */
const serverUrl = new Promise((resolve) => (serverListens = resolve))
const bot = demoBot
  ? await startDemoBot({
      confabUrl: serverUrl,
      botKey,
      secret: botSecret,
      delayMs: botDelayMs,
      onError: (error) => process.stderr.write(`demo bot: ${error instanceof Error ? error.message : String(error)}\n`)
    })
  : undefined
const hookUrl = bot?.url ?? process.env.BOT_WEBHOOK_URL
const botWebhook = hookUrl ? { url: hookUrl, secret: botSecret } : undefined

let server
try {
  server = createServer({ dataDir, agentKey, botKey, botWebhook, widgetPath, identitySecret, demoIdentity, publicUrl })
} catch (error) {
  process.stderr.write(`Cannot open the store in ${dataDir}: ${/** @type {Error} */ (error).message}\n`)
  process.exit(1)
}
const running = server
const { url } = await running.listen(port).catch((/** @type {NodeJS.ErrnoException} */ error) => {
  const hint = error.code === 'EADDRINUSE' ? ` (port ${port} is taken: set PORT to another one)` : ''
  process.stderr.write(`Cannot listen on 127.0.0.1:${port}: ${error.message}${hint}\n`)
  process.exit(1)
})
serverListens(url)

process.stdout.write(
  [
    `Customer page: ${url}/`,
    `Agent console: ${url}/agent?key=${encodeURIComponent(agentKey)}`,
    `Agent key: ${agentKey}`,
    ...(botWebhook ? [`Bot hook: ${botWebhook.url}${bot ? ' (the demo bot; DEMO_BOT=0 turns it off)' : ''}`] : []),
    `Data: ${dataDir}`,
    ...(process.env.IDENTITY_SECRET ? [] : [`Identity secret: ${identitySecret} (the demo default; set IDENTITY_SECRET)`]),
    ...(fs.existsSync(widgetPath) ? [] : [`Widget not built (${widgetPath} is missing): run npm run build`]),
    ''
  ].join('\n')
)

let stopping = false
/** @param {NodeJS.Signals} signal */
function stop(signal) {
  if (stopping) process.exit(1) // a second Ctrl+C: do not wait
  stopping = true
  Promise.all([running.close(), bot?.close()]).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`Shutdown after ${signal} failed: ${error}\n`)
      process.exit(1)
    }
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
