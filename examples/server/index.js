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
const botDelayMs = numberFromEnv('BOT_DELAY_MS', 4000)
const widgetPath = `${repo}dist/confab.js`
const identitySecret = process.env.IDENTITY_SECRET || 'demo-identity-secret'
// The demo page's "Sign in as Alice/Bob" asks this server to sign tokens: fine for the demo secret,
// not for a secret a real site shares, so DEMO_IDENTITY=0 turns it off.
const demoIdentity = process.env.DEMO_IDENTITY !== '0'

let server
try {
  server = createServer({ dataDir, agentKey, botDelayMs, widgetPath, identitySecret, demoIdentity })
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

process.stdout.write(
  [
    `Customer page: ${url}/`,
    `Agent console: ${url}/agent?key=${encodeURIComponent(agentKey)}`,
    `Agent key: ${agentKey}`,
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
  running.close().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`Shutdown after ${signal} failed: ${error}\n`)
      process.exit(1)
    }
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
