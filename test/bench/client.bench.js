// The client's own cost per message, on the in-memory transport (no network in the figure).
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { percentile } from './report.js'

const tree = fileURLToPath(new URL('../..', import.meta.url))
const SENDS = 1000
const RECEIVES = 1000

/**
 * Send and receive times of the client built in `root`'s dist/, as [metric, value, unit] figures.
 * `turn` is awaited before each sample (another tree's run takes its sample then).
 * @example
 * const figures = await measure({ root: '/tmp/baseline' })
 */
export async function measure({ root = tree, turn = async () => {} } = {}) {
  const dist = (file) => import(pathToFileURL(join(root, 'dist', file)).href)
  const { createClient } = await dist('index.js')
  const { createMemoryBackend, createMemoryTransport } = await dist('testing.js')
  const backend = createMemoryBackend()
  const client = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: null })
  await client.connect()
  await client.startConversation()
  const id = client.$activeId.get()

  const sendTimes = []
  for (let i = 0; i < SENDS; i++) {
    await turn()
    const started = performance.now()
    await client.send(`message ${i}`)
    sendTimes.push(performance.now() - started)
  }

  // Replies arriving into a conversation that already shows SENDS messages.
  const receiveTimes = []
  for (let i = 0; i < RECEIVES; i++) {
    await turn()
    const started = performance.now()
    const shown = new Promise((resolve) => {
      const stop = client.$activeMessages.listen((list) => {
        if (list.length === SENDS + i + 1) {
          stop()
          resolve()
        }
      })
    })
    backend.reply(id, `reply ${i}`)
    await shown
    receiveTimes.push(performance.now() - started)
  }
  client.shutdown()
  return [
    ['client.send.p50', percentile(sendTimes, 50), 'ms'],
    ['client.send.p95', percentile(sendTimes, 95), 'ms'],
    ['client.receive.p50', percentile(receiveTimes, 50), 'ms'],
    ['client.receive.p95', percentile(receiveTimes, 95), 'ms']
  ]
}
