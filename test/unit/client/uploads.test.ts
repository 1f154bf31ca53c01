/**
 * Files sent with a message: shown at once, kept on the device with it, uploaded once by the leading
 * tab through reloads, lost answers, expired slots and hand-overs, and sent once.
 */
import { describe, expect, it, vi } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { createMemoryCache } from '../../../src/cache/memory.js'
import type { Cache, CacheChanges } from '../../../src/cache/types.js'
import type { Client, ClientOptions } from '../../../src/client/index.js'
import { loadUploads } from '../../../src/client/uploads/load.js'
import { createError } from '../../../src/errors/index.js'
import { createMemoryBackend, createMemoryTransport, type MemoryBackend } from '../../../src/testing/index.js'
import type { Transport } from '../../../src/transports/types.js'
import { createMapStorage } from '../../support/storage.js'
import { setup } from './helpers.js'
import { createProfile, openPage } from './profile.js'
import { leaderAndFollower } from './tabs-helpers.js'

const png = (size = 1000, name = 'photo.png') => new File([new Uint8Array(size).fill(7)], name, { type: 'image/png' })
const pdf = (size = 1000, name = 'report.pdf') => new File([new Uint8Array(size).fill(1)], name, { type: 'application/pdf' })

/** One browser profile (IndexedDB, localStorage) whose pages share one backend. */
function createDeviceWithIdb(backend: MemoryBackend = createMemoryBackend()) {
  const profile = createProfile()
  const page = (transport: Transport = createMemoryTransport({ backend }), options: Partial<ClientOptions> = {}) => openPage(profile, transport, options)
  const databases = async () => (await profile.indexedDB.databases()).map((d) => d.name)
  return { backend, page, databases }
}

/** A memory transport whose puts never end: a page closed (or reloaded) in the middle of one. */
function cutOff(backend: MemoryBackend) {
  const inner = createMemoryTransport({ backend })
  let started!: () => void
  const putStarted = new Promise<void>((resolve) => (started = resolve))
  const transport: Transport = {
    ...inner,
    putUpload: () => {
      started()
      return new Promise<void>(() => undefined)
    }
  }
  return { transport, putStarted }
}

/** A client connected with a conversation open. */
async function ready(client: Client) {
  await client.connect()
  await client.startConversation()
  return client
}

/** A page of a fresh profile that sends `text` with a file and is cut off in the middle of its put (a reload, a crash). */
async function leftMidUpload(text: string) {
  const browser = createDeviceWithIdb()
  const cut = cutOff(browser.backend)
  const before = await ready(browser.page(cut.transport))
  void before.send({ text, files: [png(5000)] })
  const fileId = before.$activeMessages.get().at(-1)!.files![0]!.id
  await cut.putStarted
  return { browser, conversationId: before.$activeId.get()!, fileId }
}

const stored = (backend: MemoryBackend, conversationId: string) => backend.messages(conversationId).filter((m) => m.author.role === 'visitor')

/** What a page's failed `import()` of a chunk throws (Firefox's words), as offline or after a deploy. */
const chunkLost = () => new TypeError('error loading dynamically imported module: https://shop.example/assets/uploads-4f2a.js')

/** The upload step's loader, counting its calls; it fails while `broken()` says so. */
function countedLoader(broken: () => boolean = () => false) {
  const loader = { calls: 0, load: () => (loader.calls++, broken() ? Promise.reject(chunkLost()) : loadUploads()) }
  return loader
}

/** The statuses one of the visitor's messages went through, each change once, from now on. */
function statusesOf(client: Client, text: string): string[] {
  const seen: string[] = []
  client.$activeMessages.subscribe((messages) => {
    const status = messages.find((m) => m.text === text)?.status
    if (status && status !== seen.at(-1)) seen.push(status)
  })
  return seen
}

describe('sending files', () => {
  it('shows the files at once and sends the message once, a part for each file', async () => {
    const { client, backend } = setup()
    await ready(client)
    const sending = client.send({ text: 'Here you go', files: [png(), { file: pdf(), name: 'invoice.pdf' }] })
    const shown = client.$activeMessages.get().at(-1)!
    expect(shown.text).toBe('Here you go')
    expect(shown.files?.map((f) => [f.kind, f.name, f.size, f.type, f.url])).toEqual([
      ['image', 'photo.png', 1000, 'image/png', undefined],
      ['file', 'invoice.pdf', 1000, 'application/pdf', undefined]
    ])
    const sent = await sending
    expect(sent.status).toBe('sent')
    const [message] = stored(backend, client.$activeId.get()!)
    expect(stored(backend, client.$activeId.get()!)).toHaveLength(1)
    expect(message!.parts).toEqual([
      { type: 'image', url: backend.uploads()[0]!.url, name: 'photo.png', size: 1000, mediaType: 'image/png' },
      { type: 'file', url: backend.uploads()[1]!.url, name: 'invoice.pdf', size: 1000, mediaType: 'application/pdf' }
    ])
    expect(backend.uploads().map((u) => [u.clientId, u.puts])).toEqual(shown.files!.map((f) => [f.id, 1]))
  })

  it('sends files without text, their names standing as its text', async () => {
    const { client, backend } = setup()
    await ready(client)
    const sending = client.send({ text: '', files: [{ file: png(), name: 'my_cat.png', width: 640, height: 480 }] })
    expect(client.$activeMessages.get().at(-1)!.text).toBe('')
    await sending
    const [message] = stored(backend, client.$activeId.get()!)
    expect(message!.text).toBe('my\\_cat.png')
    expect(message!.parts).toEqual([expect.objectContaining({ type: 'image', name: 'my_cat.png', width: 640, height: 480 })])
  })

  it('refuses a file larger than the session allows before showing anything', async () => {
    const { client } = setup({ transport: createMemoryTransport({ uploadLimits: { maxBytes: 25 * 1024 * 1024, types: [] } }) })
    await ready(client)
    await expect(client.send({ text: 'Video', files: [new File([new Uint8Array(25 * 1024 * 1024 + 1)], 'video.mov', { type: 'video/quicktime' })] })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '"video.mov" is larger than 25 MB'
    })
    expect(client.$activeMessages.get()).toEqual([])
  })

  it('refuses a file of a type the backend does not accept before showing anything', async () => {
    const { client } = setup()
    await ready(client)
    const exe = new File([new Uint8Array(10)], 'report.exe', { type: 'application/x-msdownload' })
    await expect(client.send({ text: 'Run this', files: [exe] })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '"report.exe" is of a type this chat does not accept (application/x-msdownload)'
    })
    expect(client.$activeMessages.get()).toEqual([])
  })

  it('refuses more files than a message holds', async () => {
    const { client } = setup()
    await ready(client)
    await expect(client.send({ text: 'Many', files: Array.from({ length: 11 }, () => png(10)) })).rejects.toMatchObject({ code: 'invalid-argument' })
    expect(client.$activeMessages.get()).toEqual([])
  })

  it('refuses files when the transport takes no uploads', async () => {
    const { requestUpload: _request, putUpload: _put, ...inner } = createMemoryTransport()
    const { client } = setup({ transport: { ...inner, capabilities: { ...inner.capabilities, uploads: false } } })
    await ready(client)
    await expect(client.send({ text: 'A photo', files: [png()] })).rejects.toMatchObject({ code: 'unsupported' })
    expect(client.$activeMessages.get()).toEqual([])
  })

  it('shows upload progress in the store as the bytes go', async () => {
    const { client, backend } = setup()
    await ready(client)
    backend.slowPuts(30)
    const seen = new Set<number>()
    client.$messages.listen(() => {
      const loaded = client.$activeMessages.get().at(-1)?.files?.[0]?.loaded
      if (loaded !== undefined) seen.add(loaded)
    })
    const progress: number[] = []
    client.on('upload', ({ file }) => progress.push(file.loaded ?? -1))
    await client.send({ text: 'Slow', files: [png(4000)] })
    expect([...seen]).toEqual(expect.arrayContaining([4000]))
    expect(Math.min(...seen)).toBeLessThan(4000)
    // The last event is the file stored: its progress is no longer kept.
    expect(progress.at(-1)).toBe(-1)
  })

  it('updates the store at most every 100 ms per file, however often the bytes move', async () => {
    const inner = createMemoryTransport()
    const transport: Transport = {
      ...inner,
      async putUpload(slot, file, options) {
        for (let loaded = 1; loaded <= 1000; loaded++) options?.onProgress?.(loaded)
        return inner.putUpload!(slot, file, {})
      }
    }
    const { client } = setup({ transport })
    await ready(client)
    let updates = 0
    client.$messages.listen(() => updates++)
    await client.send({ text: 'Chatty progress', files: [png(1000)] })
    // queued → sending, one progress at once, the last (1000 of 1000), the url, sent: never a thousand.
    expect(updates).toBeLessThan(10)
  })
})

describe('files through failures', () => {
  it('completes an upload cut off by a reload exactly once, with the same file id', async () => {
    const { browser, conversationId, fileId } = await leftMidUpload('Before the reload')
    const after = browser.page()
    await after.connect()
    await vi.waitFor(() => expect(stored(browser.backend, conversationId)).toHaveLength(1))
    await vi.waitFor(() => expect(after.$activeMessages.get().map((m) => m.status)).toEqual(['sent']))
    expect(browser.backend.uploads().map((u) => [u.clientId, u.puts, u.slots])).toEqual([[fileId, 1, 1]])
    expect(stored(browser.backend, conversationId)[0]!.parts).toEqual([expect.objectContaining({ url: browser.backend.uploads()[0]!.url })])
  })

  it('asks for the slot again after a lost answer, and puts the file once', async () => {
    const { client, backend } = setup()
    await ready(client)
    backend.failNextSlots(1, undefined, { stored: true })
    await client.send({ text: 'Slot answer lost', files: [png()] })
    expect(backend.uploads().map((u) => [u.puts, u.slots])).toEqual([[1, 1]])
    expect(stored(backend, client.$activeId.get()!)).toHaveLength(1)
  })

  it('does not put the file again after the answer to its put was lost', async () => {
    const { client, backend } = setup()
    await ready(client)
    backend.failNextPuts(1, undefined, { stored: true })
    await client.send({ text: 'Put answer lost', files: [png()] })
    expect(backend.uploads().map((u) => u.puts)).toEqual([1])
    expect(stored(backend, client.$activeId.get()!)).toHaveLength(1)
  })

  it('asks for a fresh slot at once when the slot expired, without counting an attempt', async () => {
    const backend = createMemoryBackend()
    const inner = createMemoryTransport({ backend })
    let expire = true
    const transport: Transport = {
      ...inner,
      putUpload(slot, file, options) {
        // The slot expires between its answer and the put, once.
        if (expire) backend.expireSlots()
        expire = false
        return inner.putUpload!(slot, file, options)
      }
    }
    const { client } = setup({ backend, transport, maxSendAttempts: 1 })
    await ready(client)
    const sent = await client.send({ text: 'Expired slot', files: [png()] })
    expect(sent.status).toBe('sent')
    expect(backend.uploads().map((u) => [u.puts, u.slots])).toEqual([[1, 2]])
  })

  it('fails a message whose file the backend refuses for good, marked refused', async () => {
    const backend = createMemoryBackend()
    const inner = createMemoryTransport({ backend })
    // The session promises more than the backend takes (limits changed since it started).
    const transport: Transport = { ...inner, connect: async (input) => ({ ...(await inner.connect(input)), uploadLimits: { maxBytes: 1e9, types: [] } }) }
    const { client } = setup({ backend, transport })
    await ready(client)
    const failed = await client.send({ text: 'An archive', files: [new File([new Uint8Array(10)], 'backup.zip', { type: 'application/zip' })] })
    expect(failed).toMatchObject({ status: 'failed', refused: true, error: '"backup.zip" is of a type this chat does not accept (application/zip)' })
    expect(client.$activeMessages.get().at(-1)).toMatchObject({ status: 'failed', refused: true })
    expect(stored(backend, client.$activeId.get()!)).toEqual([])
  })

  it('resumes a failed message with the files still missing when retried', async () => {
    const backend = createMemoryBackend()
    const inner = createMemoryTransport({ backend })
    let failed = false
    // The second file's first put gets no answer; the first file goes.
    const transport: Transport = {
      ...inner,
      putUpload(slot, file, options) {
        if (file.size === 200 && !failed) return Promise.reject(createError('network', 'no answer', { retryable: (failed = true) }))
        return inner.putUpload!(slot, file, options)
      }
    }
    const { client } = setup({ backend, transport, maxSendAttempts: 1 })
    await ready(client)
    const first = await client.send({ text: 'Two files', files: [png(100, 'a.png'), png(200, 'b.png')] })
    expect(first.status).toBe('failed')
    expect(first.files!.map((f) => !!f.url)).toEqual([true, false])
    expect((await client.retry(first.clientId!)).status).toBe('sent')
    expect(backend.uploads().map((u) => [u.name, u.puts, u.slots])).toEqual([
      ['a.png', 1, 1],
      ['b.png', 1, 1]
    ])
    expect(stored(backend, client.$activeId.get()!)).toHaveLength(1)
  })

  it('waits while offline and uploads once back online', async () => {
    let onLine = false
    const listeners: (() => void)[] = []
    const { client, backend } = setup({ network: { get onLine() { return onLine }, addEventListener: (_type, listener) => listeners.push(listener) } })
    await client.connect()
    await client.startConversation()
    const sending = client.send({ text: 'Offline photo', files: [png()] })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(backend.uploads()).toEqual([])
    expect(client.$activeMessages.get().at(-1)!.status).toBe('queued')
    onLine = true
    listeners.forEach((listener) => listener())
    expect((await sending).status).toBe('sent')
    expect(backend.uploads().map((u) => u.puts)).toEqual([1])
  })
})

describe('taking a file off', () => {
  it('stops its upload and sends the message without it', async () => {
    const { client, backend } = setup()
    await ready(client)
    backend.slowPuts(50)
    const sending = client.send({ text: 'Two photos', files: [png(1000, 'keep.png'), png(1000, 'drop.png')] })
    const [, drop] = client.$activeMessages.get().at(-1)!.files!
    await vi.waitFor(() => expect(backend.uploads().map((u) => u.name)).toContain('drop.png'))
    client.cancelFile(client.$activeMessages.get().at(-1)!.clientId!, drop!.id)
    expect((await sending).status).toBe('sent')
    const [message] = stored(backend, client.$activeId.get()!)
    expect(message!.parts?.map((p) => (p as { name: string }).name)).toEqual(['keep.png'])
    expect(backend.uploads().find((u) => u.name === 'drop.png')?.puts).toBe(0)
  })

  it('discards a message left with nothing to send, and its send() resolves', async () => {
    const { client, backend } = setup()
    await ready(client)
    backend.slowPuts(50)
    const sending = client.send({ text: '', files: [png()] })
    const { clientId, files } = client.$activeMessages.get().at(-1)!
    await vi.waitFor(() => expect(backend.uploads()).toHaveLength(1))
    client.cancelFile(clientId!, files![0]!.id)
    expect(client.$activeMessages.get()).toEqual([])
    await sending
    expect(stored(backend, client.$activeId.get()!)).toEqual([])
    expect(backend.uploads()[0]!.puts).toBe(0)
  })
})

describe('the bytes on the device', () => {
  it('keeps the bytes in IndexedDB with the message until the backend holds them', async () => {
    const browser = createDeviceWithIdb()
    const cut = cutOff(browser.backend)
    const client = await ready(browser.page(cut.transport))
    void client.send({ text: 'Kept', files: [png(300)] })
    const { id } = client.$activeMessages.get().at(-1)!.files![0]!
    await cut.putStarted
    // Another page of the same browser, which did not attach it.
    const other = browser.page(cut.transport)
    void other.connect()
    expect(await (await other.fileBlob(id))?.arrayBuffer()).toEqual(await png(300).arrayBuffer())
  })

  it('writes a file’s bytes to the device once, however often its message is kept', async () => {
    const written: string[] = []
    const { client } = setup({
      cache: async () => {
        const inner = createMemoryCache()
        return Object.assign(Object.create(inner) as Cache, {
          write: (changes: CacheChanges) => {
            written.push(...(changes.files ?? []).map((f) => f.id))
            return inner.write(changes)
          }
        })
      }
    })
    await ready(client)
    const sent = await client.send({ text: 'Once', files: [png(300)] })
    expect(sent.status).toBe('sent')
    expect(written).toHaveLength(1)
  })

  it('lets go of the bytes once the file is stored', async () => {
    const browser = createDeviceWithIdb()
    const client = await ready(browser.page())
    const sent = client.send({ text: 'Gone after', files: [png(300)] })
    const { id } = client.$activeMessages.get().at(-1)!.files![0]!
    await sent
    expect(await client.fileBlob(id)).toBeUndefined()
    expect(await browser.page().fileBlob(id)).toBeUndefined()
  })

  it('deletes the bytes with the person’s data on shutdown', async () => {
    const browser = createDeviceWithIdb()
    const cut = cutOff(browser.backend)
    const client = await ready(browser.page(cut.transport))
    void client.send({ text: 'Wiped', files: [png(300)] })
    const { id } = client.$activeMessages.get().at(-1)!.files![0]!
    await cut.putStarted
    await client.shutdown()
    expect(await client.fileBlob(id)).toBeUndefined()
    expect(await browser.databases()).toEqual([])
  })

  it('uploads from memory when IndexedDB is unavailable, and says a reload would lose the files', async () => {
    const errors: string[] = []
    const { client, backend } = setup({ cache: (name) => createIdbCache({ name, indexedDB: undefined, IDBKeyRange: undefined }) })
    client.on('error', (error) => errors.push(error.code))
    await ready(client)
    const sending = client.send({ text: 'In memory', files: [png()] })
    expect(client.$storage.get()).toEqual({ persistent: false, reason: expect.stringMatching(/reload would lose them$/) })
    expect((await sending).status).toBe('sent')
    expect(backend.uploads().map((u) => u.puts)).toEqual([1])
  })

  it('fails a message whose file was lost with a page that kept it in memory only, naming the file', async () => {
    const backend = createMemoryBackend()
    // localStorage, which keeps the journal of unsent messages where IndexedDB is missing.
    const storage = createMapStorage()
    const profile = createProfile()
    // No IndexedDB here: the default cache keeps history in memory, and unsent messages in the journal.
    const page = (transport: Transport) => openPage(profile, transport, { cache: undefined, storage })
    const cut = cutOff(backend)
    const before = await ready(page(cut.transport))
    void before.send({ text: 'Lost with the page', files: [png(100, 'lost.png')] })
    await cut.putStarted
    const after = page(createMemoryTransport({ backend }))
    await after.connect()
    await vi.waitFor(() =>
      expect(after.$activeMessages.get().at(-1)).toMatchObject({ status: 'failed', error: '"lost.png" is no longer on this device: attach it again' })
    )
  })
})

describe('the upload step, loaded on first need', () => {
  it('is never loaded for a visitor who sends no file', async () => {
    const loader = countedLoader()
    const { client } = setup({ loadUploads: loader.load })
    await ready(client)
    expect((await client.send('Hello')).status).toBe('sent')
    expect((await client.send({ text: 'Anyone there?' })).status).toBe('sent')
    expect(await client.fileBlob('no-such-file')).toBeUndefined()
    expect(loader.calls).toBe(0)
  })

  it('is not needed to refuse a bad file: send() rejects before anything loads', async () => {
    const loader = countedLoader(() => true)
    const { client } = setup({ loadUploads: loader.load, transport: createMemoryTransport({ uploadLimits: { maxBytes: 1000, types: [] } }) })
    await ready(client)
    await expect(client.send({ text: 'Too big', files: [png(1001)] })).rejects.toMatchObject({ code: 'invalid-argument', message: '"photo.png" is larger than 1000 bytes' })
    expect(client.$activeMessages.get()).toEqual([])
    expect(loader.calls).toBe(0)
  })

  it('keeps a message with files queued while the upload step cannot load, and sends it once when it loads', async () => {
    let offline = true
    const loader = countedLoader(() => offline)
    const { client, backend } = setup({ loadUploads: loader.load })
    await ready(client)
    const statuses = statusesOf(client, 'Photo')
    const sending = client.send({ text: 'Photo', files: [png()] })
    // Tried again as a send that got no answer is: queued, never failed.
    await vi.waitFor(() => expect(loader.calls).toBeGreaterThanOrEqual(3))
    expect(statuses).toContain('queued')
    expect(statuses).not.toContain('failed')
    expect(backend.uploads()).toEqual([])
    offline = false
    expect((await sending).status).toBe('sent')
    expect(stored(backend, client.$activeId.get()!)).toHaveLength(1)
    expect(backend.uploads().map((u) => u.puts)).toEqual([1])
  })

  it('is loaded by a reloaded page that finds a message with files on the device, then resumes it once, through a failed load', async () => {
    const { browser, conversationId } = await leftMidUpload('Left mid-upload')
    let failures = 1
    const loader = countedLoader(() => failures-- > 0)
    const after = browser.page(undefined, { loadUploads: loader.load })
    const statuses = statusesOf(after, 'Left mid-upload')
    await after.connect()
    await vi.waitFor(() => expect(after.$activeMessages.get().map((m) => m.status)).toEqual(['sent']))
    expect(loader.calls).toBe(2)
    expect(statuses).toEqual(['queued', 'sending', 'queued', 'sending', 'sent'])
    expect(stored(browser.backend, conversationId)).toHaveLength(1)
    expect(browser.backend.uploads().map((u) => [u.puts, u.slots])).toEqual([[1, 1]])
  })

  it('is loaded once by preloadUploads(), however often it is called, and a failed preload loses nothing', async () => {
    let offline = true
    const loader = countedLoader(() => offline)
    const { client } = setup({ loadUploads: loader.load })
    await expect(client.preloadUploads()).resolves.toBeUndefined()
    offline = false
    await Promise.all([client.preloadUploads(), client.preloadUploads()])
    expect(loader.calls).toBe(2)
    await ready(client)
    expect((await client.send({ text: 'Preloaded', files: [png()] })).status).toBe('sent')
    expect(loader.calls).toBe(2)
  })
})

describe('files and tabs', () => {
  it('has the leading tab upload a file sent in another tab, once', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    const sent = await follower.client.send({ text: 'From the follower', files: [png(2000)] })
    expect(sent.status).toBe('sent')
    expect(browser.backend.uploads().map((u) => u.puts)).toEqual([1])
    expect(follower.sends).toEqual([])
    expect(leader.sends).toHaveLength(1)
    expect(browser.backend.messages(conversation.id).filter((m) => m.parts?.length)).toHaveLength(1)
  })

  it('shows the leader’s upload progress in the other tabs', async () => {
    const { browser, follower } = await leaderAndFollower()
    browser.backend.slowPuts(30)
    const seen = new Set<number>()
    follower.client.$messages.listen(() => {
      const loaded = follower.client.$activeMessages.get().at(-1)?.files?.[0]?.loaded
      if (loaded !== undefined) seen.add(loaded)
    })
    await follower.client.send({ text: 'Progress everywhere', files: [png(4000)] })
    expect(seen.size).toBeGreaterThan(0)
  })

  it('stops uploading in a tab that stops leading, and the new leader uploads the file once', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    browser.backend.slowPuts(40)
    const sending = follower.client.send({ text: 'Handed over mid-upload', files: [png(4000)] })
    await vi.waitFor(() => expect(follower.client.$activeMessages.get().at(-1)?.files?.[0]?.loaded).toBeGreaterThan(0))
    leader.leadership.set(false)
    follower.leadership.set(true)
    expect((await sending).status).toBe('sent')
    // The new leader sent it; the old one's upload ended where it was, and never completed.
    expect([leader.sends.length, follower.sends.length]).toEqual([0, 1])
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(browser.backend.uploads().map((u) => u.puts)).toEqual([1])
    expect(browser.backend.messages(conversation.id).filter((m) => m.text === 'Handed over mid-upload')).toHaveLength(1)
  })

  it('takes a file off in every tab, from any tab', async () => {
    const { browser, leader, follower } = await leaderAndFollower()
    browser.backend.slowPuts(50)
    const sending = follower.client.send({ text: 'Changed my mind', files: [png(4000, 'a.png'), png(4000, 'b.png')] })
    const message = follower.client.$activeMessages.get().at(-1)!
    await vi.waitFor(() => expect(browser.backend.uploads()).toHaveLength(1))
    follower.client.cancelFile(message.clientId!, message.files![0]!.id)
    await vi.waitFor(() => expect(leader.client.$activeMessages.get().at(-1)!.files?.map((f) => f.name)).toEqual(['b.png']))
    expect((await sending).status).toBe('sent')
    expect(browser.backend.uploads().map((u) => [u.name, u.puts])).toEqual([
      ['a.png', 0],
      ['b.png', 1]
    ])
  })

  it('shows the bytes of a file attached in another tab', async () => {
    const { browser, leader, follower } = await leaderAndFollower()
    browser.backend.failNextSlots(1, createError('http', 'down', { status: 503, retryable: true }))
    browser.backend.slowPuts(50)
    void follower.client.send({ text: 'Preview', files: [png(300)] })
    const { id } = follower.client.$activeMessages.get().at(-1)!.files![0]!
    await vi.waitFor(async () => expect((await leader.client.fileBlob(id))?.size).toBe(300))
  })
})
