// The client's own cost per message, on the in-memory transport (no network in the figure).
import { createClient } from '../../dist/index.js'
import { createMemoryBackend, createMemoryTransport } from '../../dist/testing.js'
import { percentile, report } from './report.js'

const SENDS = 1000
const RECEIVES = 1000

export async function run() {
  const backend = createMemoryBackend()
  const client = createClient({ transport: createMemoryTransport({ backend }), resumeKeyStore: null })
  await client.connect()
  await client.startConversation()
  const id = client.$activeId.get()

  const sendTimes = []
  for (let i = 0; i < SENDS; i++) {
    const started = performance.now()
    await client.send(`message ${i}`)
    sendTimes.push(performance.now() - started)
  }
  report('client.send.p50', percentile(sendTimes, 50), 'ms')
  report('client.send.p95', percentile(sendTimes, 95), 'ms')

  // Replies arriving into a conversation that already shows SENDS messages.
  const receiveTimes = []
  for (let i = 0; i < RECEIVES; i++) {
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
  report('client.receive.p50', percentile(receiveTimes, 50), 'ms')
  report('client.receive.p95', percentile(receiveTimes, 95), 'ms')
  client.shutdown()
}
