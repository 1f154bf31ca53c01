// Confab on XMPP, on this machine: start Prosody (from the installed package) with a config in a
// temporary folder, listening on 127.0.0.1 only, create the agent account, and serve the demo page
// and dist/. Stop with Ctrl+C (Prosody is stopped by its PID and, once it has exited, the folder removed).
//
//   npm run demo:xmpp                      # builds dist/ first
//   PORT=15400 XMPP_HTTP_PORT=15280 XMPP_C2S_PORT=15222 node examples/xmpp/start.js
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = fileURLToPath(new URL('../..', import.meta.url))
const PORT = Number(process.env.PORT ?? 15400)
const HTTP_PORT = Number(process.env.XMPP_HTTP_PORT ?? 15280)
const C2S_PORT = Number(process.env.XMPP_C2S_PORT ?? 15222)
const AGENT = { username: 'agent', password: process.env.AGENT_PASSWORD ?? 'agent-demo' }

const which = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim()
if (!which('prosody') || !which('prosodyctl')) {
  console.error('Prosody is not installed: apt-get install -y --no-install-recommends prosody lua-unbound')
  process.exit(1)
}
for (const file of ['dist/confab.js', 'dist/confab-xmpp.js']) {
  try {
    readFileSync(join(root, file))
  } catch {
    console.error(`${file} is missing: run "npm run demo:xmpp" (it builds first) or "npm run build".`)
    process.exit(1)
  }
}

// Configuration in a temporary state folder.
const state = mkdtempSync(join(tmpdir(), 'confab-xmpp-demo-'))
mkdirSync(join(state, 'prosody', 'data'), { recursive: true })
mkdirSync(join(state, 'prosody', 'certs'), { recursive: true })
const config = join(state, 'prosody', 'prosody.cfg.lua')
writeFileSync(
  config,
  readFileSync(join(here, 'prosody.cfg.lua'), 'utf8')
    // Function replacers: a "$" in the folder's path (TMPDIR) is no replacement pattern.
    .replaceAll('STATE_DIR', () => state)
    .replace('c2s_ports = { 15222 }', () => `c2s_ports = { ${C2S_PORT} }`)
    .replace('http_ports = { 15280 }', () => `http_ports = { ${HTTP_PORT} }`)
)

// The agent: an ordinary account, usable from any XMPP client.
const registered = spawnSync('prosodyctl', ['--config', config, 'register', AGENT.username, 'localhost', AGENT.password], { encoding: 'utf8' })
if (registered.status !== 0) {
  console.error(`Could not create the agent account:\n${registered.stdout}${registered.stderr}`)
  process.exit(1)
}

const log = join(state, 'prosody', 'prosody.log')
const prosody = spawn('prosody', ['--config', config, '-F'], { stdio: ['ignore', 'pipe', 'pipe'] })
for (const stream of [prosody.stdout, prosody.stderr]) stream.on('data', (chunk) => writeFileSync(log, chunk, { flag: 'a' }))
// 'close' rather than 'exit': the log's last lines are written once its output streams ended too.
const prosodyClosed = new Promise((resolve) => prosody.once('close', resolve))
prosody.once('close', (code) => {
  if (!stopping) {
    console.error(`Prosody exited (${code}); its log:\n${readFileSync(log, 'utf8').slice(-3000)}`)
    void cleanUp(1)
  }
})

/**
 * Stop Prosody by its PID and wait until it is gone (it writes rooms and archives into the folder as it
 * stops: deleting the folder before then fails with ENOTEMPTY and leaves it behind). Ctrl+C in a
 * terminal signals the whole process group, so Prosody may be stopping already.
 */
async function stopProsody(graceMs = 10_000) {
  const gone = () => prosody.exitCode !== null || prosody.signalCode !== null
  if (!gone()) prosody.kill('SIGTERM')
  const late = setTimeout(() => {
    console.error(`Prosody did not stop within ${graceMs / 1000} s: killing it`)
    prosody.kill('SIGKILL')
  }, graceMs)
  await prosodyClosed
  clearTimeout(late)
}

let stopping = false
async function cleanUp(code = 0) {
  if (stopping) return
  stopping = true
  site.close()
  await stopProsody()
  rmSync(state, { recursive: true, force: true })
  process.exit(code)
}
process.on('SIGINT', () => void cleanUp(0))
process.on('SIGTERM', () => void cleanUp(0))

// What the page's transport needs, as a script the page loads before booting.
const settings = {
  url: `ws://127.0.0.1:${HTTP_PORT}/xmpp-websocket`,
  domain: 'localhost',
  agents: [`${AGENT.username}@localhost`]
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' }
const site = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname
  const send = (status, type, body) => {
    response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
    response.end(body)
  }
  if (path === '/' || path === '/index.html') return send(200, TYPES['.html'], readFileSync(join(here, 'index.html')))
  if (path === '/settings.js') return send(200, TYPES['.js'], `window.CONFAB_XMPP = ${JSON.stringify(settings)};\n`)
  if (/^\/dist\/[a-z-]+\.js$/.test(path)) {
    try {
      return send(200, TYPES['.js'], readFileSync(join(root, path)))
    } catch {
      return send(404, 'text/plain', 'not built')
    }
  }
  send(404, 'text/plain', 'not found')
})

// Wait for Prosody, then open the site.
for (let tries = 0; ; tries++) {
  try {
    const answer = await fetch(`http://127.0.0.1:${HTTP_PORT}/http-bind`)
    await answer.body?.cancel()
    break
  } catch {
    if (tries > 100) {
      console.error(`Prosody did not start; its log:\n${readFileSync(log, 'utf8').slice(-3000)}`)
      await cleanUp(1)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
site.listen(PORT, '127.0.0.1', () => {
  console.log(`Confab on XMPP
  demo page        http://127.0.0.1:${PORT}/
  XMPP WebSocket   ${settings.url}
  XMPP client port 127.0.0.1:${C2S_PORT} (plain text, no TLS: loopback only)
  agent account    ${AGENT.username}@localhost / ${AGENT.password}
  rooms            confab-<24 hex digits>@conference.localhost (the agent is invited to each)
  file uploads     upload.localhost (XEP-0363), served at http://127.0.0.1:${HTTP_PORT}/file_share/
  Prosody PID ${prosody.pid}, state in ${state}. Ctrl+C stops both.`)
})
