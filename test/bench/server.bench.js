// The reference server's start time with a 100,000-message history, in the same run: from a journal
// that was never compacted (every record replayed) and from a compacted one (the snapshot, then a
// short tail of 1,000 messages). Starts alternate between the two, so load on the machine hits both.
// The history is a support site's: 5,000 conversations of 20 messages, 10 going on at a time, so the
// tail touches the newest conversations only.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from '../../examples/server/app.js'
import { openStore } from '../../examples/server/store.js'
import { percentile, report } from './report.js'

const VISITORS = 5_000
const PER_CONVERSATION = 20
const AT_A_TIME = 10
const MESSAGES = VISITORS * PER_CONVERSATION
const TAIL = 1_000
const ROUNDS = 5

/**
 * Journal lines as the store writes them: the messages numbered `from` to `to - 1`, each
 * conversation (and its visitor) started before its first message.
 */
function lines(from, to) {
  const out = []
  // Every message, and every conversation (one per PER_CONVERSATION messages), published an event.
  let eid = from + from / PER_CONVERSATION
  const conversation = (v) => {
    const at = 1_700_000_000_000 + v
    out.push({ k: 'visitor', visitor: { id: `v_${v}`, resumeKey: `key-${v}`, token: `token-${v}`, createdAt: at } })
    out.push({
      k: 'conversation',
      eid: ++eid,
      visitorId: `v_${v}`,
      conversation: { id: `c_${v}`, mode: 'messaging', status: 'open', createdAt: at, updatedAt: at }
    })
  }
  // Each block of AT_A_TIME conversations starts, then their messages interleave.
  for (let i = from; i < to; i++) {
    const block = Math.floor(i / (AT_A_TIME * PER_CONVERSATION))
    const v = block * AT_A_TIME + (i % AT_A_TIME)
    const seq = Math.floor((i % (AT_A_TIME * PER_CONVERSATION)) / AT_A_TIME) + 1
    if (seq === 1) conversation(v)
    const visitor = i % 3 !== 0
    out.push({
      k: 'message',
      eid: ++eid,
      message: {
        id: `m_${i}`,
        ...(visitor ? { clientId: `client-${i}` } : {}),
        conversationId: `c_${v}`,
        seq,
        author: visitor ? { role: 'visitor', id: `v_${v}` } : { role: 'agent', name: 'Agent' },
        text: `Message ${i}: ${visitor ? 'where is my order, it was due on Tuesday?' : 'Let me check that for you, one moment please.'}`,
        createdAt: 1_700_000_100_000 + i
      }
    })
  }
  return out.map((record) => JSON.stringify(record)).join('\n') + '\n'
}

/**
 * Milliseconds from `createServer` to listening (the store is read in between): on the clock, and of
 * CPU time, which other work on a busy machine disturbs far less.
 */
async function startTime(dataDir) {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const server = createServer({ dataDir, compactEvery: Infinity, widgetPath: join(dataDir, 'none.js') })
  await server.listen()
  const { user, system } = process.cpuUsage(cpu)
  const elapsed = { wall: performance.now() - started, cpu: (user + system) / 1000 }
  await server.close()
  return elapsed
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'confab-server-bench-'))
  try {
    const full = join(root, 'full')
    const compacted = join(root, 'compacted')
    cpSync(prepare(full), compacted, { recursive: true })

    const store = openStore({ dataDir: compacted, compactEvery: Infinity })
    const compactStarted = performance.now()
    store.compact()
    const compactMs = performance.now() - compactStarted
    store.close()
    appendFileSync(join(compacted, 'journal.jsonl'), lines(MESSAGES, MESSAGES + TAIL))

    const times = { full: [], compacted: [] }
    for (let round = 0; round < ROUNDS; round++) {
      times.full.push(await startTime(full))
      times.compacted.push(await startTime(compacted))
    }
    const p50 = (kind, measure) => percentile(times[kind].map((time) => time[measure]), 50)
    const mb = (file) => statSync(file).size / 1e6
    for (const measure of ['wall', 'cpu']) {
      report(`server.start.100k-messages.journal-replay.${measure}.p50`, p50('full', measure), 'ms')
      report(`server.start.100k-messages.snapshot-and-tail.${measure}.p50`, p50('compacted', measure), 'ms')
      report(`server.start.100k-messages.ratio.${measure}.p50`, p50('full', measure) / p50('compacted', measure), 'x')
    }
    report('server.compact.100k-messages', compactMs, 'ms')
    report('server.journal.100k-messages.size', mb(join(full, 'journal.jsonl')), 'MB')
    report('server.snapshot.100k-messages.size', mb(join(compacted, 'journal.snapshot.json')), 'MB')
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** A data folder whose journal holds the whole history, never compacted. */
function prepare(dataDir) {
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(join(dataDir, 'journal.jsonl'), lines(0, MESSAGES))
  return dataDir
}
