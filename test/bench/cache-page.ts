// Runs inside the page the cache benchmark opens (bundled by cache.bench.js). It seeds a person's
// IndexedDB with N messages, or boots a client from it and reports how long painting took.
import { createIdbCache } from '../../src/cache/idb.js'
import { personDatabase } from '../../src/cache/partition.js'
import { createClient } from '../../src/client/index.js'
import { createError } from '../../src/errors/index.js'
import { createMemoryTransport } from '../../src/testing/index.js'

const PERSON = 'v-bench'

declare global {
  interface Window {
    seed(site: string, count: number, threads: number): Promise<void>
    boot(site: string): Promise<{ ms: number; shown: number }>
    firstSearch(site: string): Promise<{ ms: number; hits: number }>
  }
}

window.seed = async (site, count, threads) => {
  const cache = await createIdbCache({ name: personDatabase(site, PERSON) })
  const conversations = Array.from({ length: threads }, (_, t) => ({
    id: `c${t}`,
    mode: 'messaging' as const,
    status: 'open' as const,
    createdAt: 1,
    updatedAt: t
  }))
  const perThread = Math.ceil(count / threads)
  for (let t = 0; t < threads; t++) {
    const messages = Array.from({ length: perThread }, (_, i) => ({
      id: `c${t}-m${i}`,
      conversationId: `c${t}`,
      seq: i + 1,
      author: { role: i % 2 ? ('agent' as const) : ('visitor' as const) },
      text: `Message ${i} of thread ${t}: the delivery is planned for Thursday between 9 and 12.`,
      createdAt: 1_700_000_000_000 + i * 60_000
    }))
    await cache.write({ conversations: t === 0 ? conversations : [], messages })
  }
  await cache.write({ meta: { activeId: `c${threads - 1}` } })
  localStorage.setItem(`confab:${site}:person`, PERSON)
  cache.close()
}

window.boot = async (site) => {
  const started = performance.now()
  const down = () => Promise.reject(createError('network', 'the benchmark measures the cache alone'))
  const client = createClient({
    site,
    transport: { ...createMemoryTransport(), connect: down },
    timers: { setTimeout: () => 0, clearTimeout: () => undefined }
  })
  void client.connect()
  await new Promise<void>((resolve) => {
    const stop = client.$activeMessages.subscribe((list) => {
      if (list.length === 0) return
      queueMicrotask(() => stop())
      resolve()
    })
  })
  return { ms: performance.now() - started, shown: client.$activeMessages.get().length }
}

/** The first search after a page load: read every stored message, build the index, answer. */
window.firstSearch = async (site) => {
  const started = performance.now()
  const down = () => Promise.reject(createError('network', 'the benchmark measures the device alone'))
  const client = createClient({
    site,
    transport: { ...createMemoryTransport(), connect: down },
    timers: { setTimeout: () => 0, clearTimeout: () => undefined }
  })
  void client.connect()
  const results = await client.search('delivery thursday', { archive: false })
  return { ms: performance.now() - started, hits: results.length }
}
