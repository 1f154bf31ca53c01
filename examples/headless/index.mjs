// A headless Confab client in a terminal: the same client the widget uses, with no UI at all.
// Start the reference server (`npm start`), then:  node examples/headless/index.mjs http://127.0.0.1:8787
// Type a line to send it; agent replies are printed as they arrive. Ctrl+D quits.
import { createInterface } from 'node:readline'
import { createClient, createHttpTransport } from '../../dist/index.js'

const url = process.argv[2] ?? 'http://127.0.0.1:8787'
const client = createClient({
  transport: createHttpTransport({ url }),
  mode: 'messaging',
  // Node has no localStorage: keep the resume key in memory for this run.
  resumeKeyStore: null
})

client.on('message', (message) => console.log(`${message.author.name ?? message.author.role}: ${message.text}`))
client.on('failed', (message) => console.log(`not sent (${message.error}): ${message.text}`))
client.on('error', (error) => console.error(`[${error.code}] ${error.message}`))
client.$status.listen((status) => console.log(`(${status})`))

await client.connect()
console.log(`connected as ${client.$session.get()?.visitorId}; type a message and press Enter`)

const input = createInterface({ input: process.stdin })
for await (const line of input) {
  if (!line.trim()) continue
  const message = await client.send(line)
  console.log(`you (${message.status}): ${message.text}`)
}
// Stdin ended: give replies in flight a moment, then leave.
setTimeout(() => {
  client.shutdown()
  process.exit(0)
}, Number(process.env.LINGER_MS ?? 500))
