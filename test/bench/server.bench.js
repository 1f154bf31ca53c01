// The reference server's start time with a 100,000-message history, in the same run: from a journal
// that was never compacted (every record replayed) and from a compacted one (the snapshot, then a
// short tail of 1,000 messages). Starts alternate between the two, so load on the machine hits both.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from '../../examples/server/app.js'
import { openStore } from '../../examples/server/store.js'
import { percentile, report } from './report.js'

const VISITORS = 1_000
const MESSAGES = 100_000
const TAIL = 1_000
const ROUNDS = 5

/**
 * Journal lines as the store writes them: `VISITORS` visitors with a conversation each, then the
 * messages numbered `from` to `to - 1`, spread over the conversations in turn.
 */
function lines(from, to, { withVisitors }) {
  const out = []
  if (withVisitors) {
    for (let v = 0; v < VISITORS; v++) {
      const at = 1_700_000_000_000 + v
      out.push({ k: 'visitor', visitor: { id: `v_${v}`, resumeKey: `key-${v}`, token: `token-${v}`, createdAt: at } })
      out.push({
        k: 'conversation',
        eid: v + 1,
        visitorId: `v_${v}`,
        conversation: { id: `c_${v}`, mode: 'messaging', status: 'open', createdAt: at, updatedAt: at }
      })
    }
  }
  for (let i = from; i < to; i++) {
    const v = i % VISITORS
    const visitor = i % 3 !== 0
    out.push({
      k: 'message',
      eid: VISITORS + 1 + i,
      message: {
        id: `m_${i}`,
        ...(visitor ? { clientId: `client-${i}` } : {}),
        conversationId: `c_${v}`,
        seq: Math.floor(i / VISITORS) + 1,
        author: visitor ? { role: 'visitor', id: `v_${v}` } : { role: 'agent', name: 'Agent' },
        text: `Message ${i}: ${visitor ? 'where is my order, it was due on Tuesday?' : 'Let me check that for you, one moment please.'}`,
        createdAt: 1_700_000_100_000 + i
      }
    })
  }
  return out.map((record) => JSON.stringify(record)).join('\n') + '\n'
}

/** Milliseconds from `createServer` to listening (the store is read in between). */
async function startTime(dataDir) {
  const started = performance.now()
  const server = createServer({ dataDir, compactEvery: Infinity, widgetPath: join(dataDir, 'none.js') })
  await server.listen()
  const elapsed = performance.now() - started
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
    appendFileSync(join(compacted, 'journal.jsonl'), lines(MESSAGES, MESSAGES + TAIL, { withVisitors: false }))

    const times = { full: [], compacted: [] }
    for (let round = 0; round < ROUNDS; round++) {
      times.full.push(await startTime(full))
      times.compacted.push(await startTime(compacted))
    }
    const replay = percentile(times.full, 50)
    const snapshot = percentile(times.compacted, 50)
    const mb = (file) => statSync(file).size / 1e6
    // The fastest start is the one least disturbed by whatever else the machine was doing.
    report('server.start.100k-messages.journal-replay.min', Math.min(...times.full), 'ms')
    report('server.start.100k-messages.snapshot-and-tail.min', Math.min(...times.compacted), 'ms')
    report('server.start.100k-messages.journal-replay.p50', replay, 'ms')
    report('server.start.100k-messages.snapshot-and-tail.p50', snapshot, 'ms')
    report('server.start.100k-messages.ratio.p50', replay / snapshot, 'x')
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
  writeFileSync(join(dataDir, 'journal.jsonl'), lines(0, MESSAGES, { withVisitors: true }))
  return dataDir
}
