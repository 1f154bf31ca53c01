import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Real XMPP servers for tests: Prosody and ejabberd from the Debian packages, each started on
 * 127.0.0.1 with free ports and a fresh state folder, in its own process group, and stopped by that
 * group's id (ejabberd by the PID it writes). The configs are the team's verified loopback configs:
 * ejabberd's in `configs/` beside this file, Prosody's the demo's own (examples/xmpp); ports and
 * paths are filled in per run.
 */
export interface XmppServer {
  /** 'prosody' or 'ejabberd'. */
  kind: 'prosody' | 'ejabberd'
  /** RFC 7395 endpoint, e.g. `ws://127.0.0.1:40123/xmpp-websocket`. */
  websocketUrl: string
  /** Main host (agents, registered guests). */
  domain: string
  /** Host with SASL ANONYMOUS. */
  guestDomain: string
  /** MUC service, one room per conversation. */
  mucService: string
  /** The state folder (configs, data, logs). */
  stateDir: string
  /** The server's console output so far, for failure messages. */
  log(): string
  stop(): Promise<void>
}

const CONFIGS = fileURLToPath(new URL('./configs/', import.meta.url))
const PROSODY_CONFIG = fileURLToPath(new URL('../../../examples/xmpp/prosody.cfg.lua', import.meta.url))

/** The hosts both configs define. */
const HOSTS = { domain: 'localhost', guestDomain: 'guest.localhost', mucService: 'conference.localhost' }

/** A port nothing listens on right now (the kernel's pick), on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * The config in `file` with every place of each placeholder filled in. A placeholder the file no
 * longer holds is an error: left alone, the server would start on the file's fixed ports.
 */
function filled(file: string, values: [placeholder: string, value: string][]): string {
  let text = readFileSync(file, 'utf8')
  for (const [placeholder, value] of values) {
    if (!text.includes(placeholder)) throw new Error(`${file} no longer holds "${placeholder}" to fill in`)
    // A function replacer: a "$" in the value (TMPDIR) is no replacement pattern.
    text = text.replaceAll(placeholder, () => value)
  }
  return text
}

function installed(command: string, apt: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim()
  if (found === '') {
    throw new Error(
      `${command} is not installed, so the XMPP tests cannot run. Install it with ` +
        `"apt-get install -y --no-install-recommends ${apt}" (.ci/run does this on CI).`
    )
  }
  return found
}

/** Start `command` in its own process group, its output appended to `logFile`. */
function launch(command: string, args: string[], logFile: string, cwd: string): ChildProcess {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const append = (chunk: Buffer) => writeFileSync(logFile, chunk, { flag: 'a' })
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  return child
}

/** Resolve once `url` answers over HTTP, or fail with the server's log. */
async function waitReady(url: string, child: ChildProcess, log: () => string, name: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  let exited: number | null = null
  child.once('exit', (code) => (exited = code ?? -1))
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} while starting:\n${log().slice(-3000)}`)
    try {
      const answer = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await answer.body?.cancel()
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`${name} did not answer ${url} within ${ms} ms:\n${log().slice(-3000)}`)
}

/** Stop the process group of `child` (SIGTERM, then SIGKILL after `graceMs`). */
async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name)
    } catch {
      // Already gone.
    }
  }
  signal('SIGTERM')
  const timer = setTimeout(() => signal('SIGKILL'), graceMs)
  await gone
  clearTimeout(timer)
  // The group may still hold the server after the leading shell left (ejabberdctl → su → beam).
  const deadline = Date.now() + graceMs
  while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (groupAlive(child.pid)) signal('SIGKILL')
}

/** Stop one process by its id: SIGTERM, then SIGKILL once `graceMs` passed. */
async function stopPid(pid: number, graceMs: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name)
    } catch {
      // Already gone.
    }
  }
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (alive()) signal('SIGKILL')
  while (alive() && Date.now() < deadline + 2000) await new Promise((resolve) => setTimeout(resolve, 50))
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Start Prosody on 127.0.0.1 (HTTP port picked free; c2s on another free port), memory storage.
 *
 * @example
 * const server = await startProsody()
 * createXmppTransport({ url: server.websocketUrl, domain: server.domain })
 */
export async function startProsody(options: { stateDir?: string } = {}): Promise<XmppServer> {
  const binary = installed('prosody', 'prosody lua-unbound')
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'confab-prosody-'))
  const dir = join(stateDir, 'prosody')
  mkdirSync(join(dir, 'data'), { recursive: true })
  mkdirSync(join(dir, 'certs'), { recursive: true })
  const [httpPort, c2sPort] = [await freePort(), await freePort()]
  const config = filled(PROSODY_CONFIG, [
    ['STATE_DIR', stateDir],
    ['c2s_ports = { 15222 }', `c2s_ports = { ${c2sPort} }`],
    ['http_ports = { 15280 }', `http_ports = { ${httpPort} }`],
    // Nothing needs to survive a restart here (the demo keeps files, for its agent account).
    ['storage = "internal"', 'storage = "memory"']
  ])
  const configFile = join(dir, 'prosody.cfg.lua')
  writeFileSync(configFile, config)
  const logFile = join(dir, 'prosody.log')
  writeFileSync(logFile, '')
  const child = launch(binary, ['--config', configFile, '-F'], logFile, dir)
  const log = () => readFileSync(logFile, 'utf8')
  try {
    await waitReady(`http://127.0.0.1:${httpPort}/http-bind`, child, log, 'Prosody')
  } catch (error) {
    await stopGroup(child)
    throw error
  }
  return {
    kind: 'prosody',
    websocketUrl: `ws://127.0.0.1:${httpPort}/xmpp-websocket`,
    ...HOSTS,
    stateDir,
    log,
    async stop() {
      await stopGroup(child)
      if (options.stateDir === undefined) rmSync(stateDir, { recursive: true, force: true })
    }
  }
}

/**
 * Start ejabberd on 127.0.0.1 with its own Erlang node name and distribution port (no epmd), a
 * fresh Mnesia spool, and free ports. Always through `ejabberdctl --ctl-config …`: a bare
 * `ejabberdctl` would start an epmd daemon on 0.0.0.0.
 */
export async function startEjabberd(): Promise<XmppServer> {
  const binary = installed('ejabberdctl', 'ejabberd')
  const stateDir = mkdtempSync(join(tmpdir(), 'confab-ejabberd-'))
  const dir = join(stateDir, 'ejabberd')
  const [c2sPort, httpPort, distPort] = [await freePort(), await freePort(), await freePort()]
  for (const sub of ['spool', 'logs']) mkdirSync(join(dir, sub), { recursive: true })
  const yml = filled(join(CONFIGS, 'ejabberd.yml'), [
    ['STATE_DIR', stateDir],
    ['port: 15223', `port: ${c2sPort}`],
    ['port: 15281', `port: ${httpPort}`],
    ['127.0.0.1:15281', `127.0.0.1:${httpPort}`]
  ])
  const ctl = filled(join(CONFIGS, 'ejabberdctl.cfg'), [
    ['STATE_DIR', stateDir],
    ['ERLANG_NODE=ejabberd-test@localhost', `ERLANG_NODE=confab-${distPort}@localhost`],
    ['ERL_DIST_PORT=15299', `ERL_DIST_PORT=${distPort}`]
  ])
  const ymlFile = join(dir, 'ejabberd.yml')
  const ctlFile = join(dir, 'ejabberdctl.cfg')
  writeFileSync(ymlFile, yml)
  writeFileSync(ctlFile, ctl)
  // ejabberdctl run as root switches to the `ejabberd` user: it must reach the configs and own
  // the spool and logs.
  if (process.getuid?.() === 0) {
    const { uid, gid } = statSync('/var/lib/ejabberd')
    for (const sub of ['spool', 'logs']) chownSync(join(dir, sub), uid, gid)
  }
  for (const folder of [stateDir, dir]) chmodSync(folder, 0o755)
  for (const file of [ymlFile, ctlFile]) chmodSync(file, 0o644)
  const logFile = join(dir, 'console.log')
  const pidFile = join(dir, 'spool', 'ejabberd.pid')
  writeFileSync(logFile, '')
  const args = ['--ctl-config', ctlFile, '--config', ymlFile, '--spool', join(dir, 'spool'), '--logs', join(dir, 'logs'), 'foreground']
  const child = launch(binary, args, logFile, dir)
  const log = () => readFileSync(logFile, 'utf8')
  try {
    await waitReady(`http://127.0.0.1:${httpPort}/bosh`, child, log, 'ejabberd', 30_000)
  } catch (error) {
    await stopGroup(child)
    throw error
  }
  return {
    kind: 'ejabberd',
    websocketUrl: `ws://127.0.0.1:${httpPort}/ws`,
    ...HOSTS,
    stateDir,
    log,
    async stop() {
      // ejabberdctl starts the node through `su`, which gives it a session of its own: stop the
      // node by the PID it wrote, then what is left of the ejabberdctl group.
      let pid = Number.NaN
      try {
        pid = Number(readFileSync(pidFile, 'utf8').trim())
      } catch {
        // No PID file: the node never got that far; the group below is all there is.
      }
      if (Number.isInteger(pid) && pid > 0) await stopPid(pid, 3000)
      await stopGroup(child, 3000)
      rmSync(stateDir, { recursive: true, force: true })
    }
  }
}
