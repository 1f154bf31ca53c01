// A page of the demo site that sends a message with a file and is closed before it leaves (bundled by
// loader.test.ts): the headless client of dist/ on the reference server, as the site's own script on
// the widget's origin, so the widget on the next page finds the message and its bytes on the device.
// Plain JavaScript: the type check runs before anything is built, when dist/ may not exist yet.
import { createClient, createHttpTransport } from '../../dist/index.js'

const client = createClient({ transport: createHttpTransport({ url: location.origin }) })

/** Resolves with the conversation this visitor writes in, once started. */
window.ready = client.connect().then(async () => (await client.startConversation()).id)

/** Send `text` with a small text file, not waiting for it. */
window.sendFile = (text) => void client.send({ text, files: [new File(['Order 1234: two bags of beans'], 'order.txt', { type: 'text/plain' })] })

/** How many files' bytes the device keeps for unsent messages (the `files` store of Confab's databases). */
window.keptFiles = async () => {
  let count = 0
  for (const { name } of await indexedDB.databases()) {
    if (!name?.startsWith('confab-')) continue
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(name)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    if (db.objectStoreNames.contains('files')) {
      count += await new Promise((resolve, reject) => {
        const request = db.transaction('files').objectStore('files').count()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
    }
    db.close()
  }
  return count
}
