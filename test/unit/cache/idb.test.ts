import { IDBDatabase, IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { createIdbCache } from '../../../src/cache/idb.js'
import { messageKey, openDatabase, SCHEMA_VERSION } from '../../../src/cache/schema.js'
import type { ConfabError } from '../../../src/errors/index.js'
import type { Conversation, Message } from '../../../src/transports/types.js'

const conversation = (id: string, updatedAt = 1): Conversation => ({
  id,
  mode: 'messaging',
  status: 'open',
  createdAt: 1,
  updatedAt
})
const message = (conversationId: string, seq: number): Message => ({
  id: `${conversationId}-m${seq}`,
  conversationId,
  seq,
  author: { role: seq % 2 ? 'visitor' : 'agent' },
  text: `message ${seq}`,
  createdAt: 1000 + seq
})

/** A fresh, isolated IndexedDB for each test. */
function freshIdb() {
  return { indexedDB: new IDBFactory(), IDBKeyRange }
}

function open(env: ReturnType<typeof freshIdb>, name = 'confab-test-v-1', errors: ConfabError[] = []) {
  return createIdbCache({ name, ...env, onError: (e) => errors.push(e) })
}

describe('the IndexedDB cache', () => {
  it('keeps conversations, messages and meta across reopening', async () => {
    const env = freshIdb()
    const first = await open(env)
    expect(first.persistent).toBe(true)
    await first.write({
      conversations: [conversation('c1')],
      messages: [1, 2, 3].map((n) => message('c1', n)),
      meta: { activeId: 'c1', streamCursor: '17' }
    })
    first.close()

    const second = await open(env)
    const snapshot = await second.load()
    expect(snapshot.conversations).toEqual([conversation('c1')])
    expect(snapshot.messages.c1?.map((m) => m.seq)).toEqual([1, 2, 3])
    expect(snapshot.meta).toEqual({ activeId: 'c1', streamCursor: '17' })
  })

  it('reads the newest page of the open thread and pages back through older ones', async () => {
    const env = freshIdb()
    const cache = await open(env)
    await cache.write({
      conversations: [conversation('c1'), conversation('c2')],
      messages: [...Array.from({ length: 120 }, (_, i) => message('c1', i + 1)), message('c2', 1)],
      meta: { activeId: 'c1' }
    })
    const snapshot = await cache.load({ messagesPerConversation: 50 })
    expect(snapshot.messages.c1?.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 71))
    expect(snapshot.messages.c2).toBeUndefined()
    const older = await cache.older('c1', snapshot.messages.c1![0]!, 50)
    expect(older.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 21))
    const oldest = await cache.older('c1', older[0]!, 50)
    expect(oldest.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(await cache.older('c1', oldest[0]!, 50)).toEqual([])
  })

  it('merges meta patches instead of replacing them', async () => {
    const cache = await open(freshIdb())
    await cache.write({ meta: { activeId: 'c1' } })
    await cache.write({ meta: { streamCursor: '4' } })
    expect((await cache.load()).meta).toEqual({ activeId: 'c1', streamCursor: '4' })
  })

  it('writes a change set in one transaction', async () => {
    const env = freshIdb()
    const cache = await open(env)
    const db = await openDatabase(env.indexedDB, 'confab-test-v-1')
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction')
    db.close()
    await cache.write({ conversations: [conversation('c1')], messages: [message('c1', 1), message('c1', 2)], meta: { activeId: 'c1' } })
    expect(spy).toHaveBeenCalledTimes(1)
    expect(spy.mock.calls[0]?.[0]).toEqual(['conversations', 'messages', 'meta'])
    spy.mockRestore()
  })

  it('stores none of a change set when one of its records cannot be stored', async () => {
    const env = freshIdb()
    const cache = await open(env, 'confab-atomic')
    const uncloneable = { ...message('c1', 2), metadata: { callback: () => 1 } } as unknown as Message
    await cache.write({ conversations: [conversation('c1')], messages: [message('c1', 1), uncloneable] })
    cache.close()
    const reopened = await open(env, 'confab-atomic')
    expect((await reopened.load()).conversations).toEqual([])
  })

  it('skips a corrupt record and reports it', async () => {
    const env = freshIdb()
    const errors: ConfabError[] = []
    const cache = await open(env, 'confab-test-v-1', errors)
    await cache.write({
      conversations: [conversation('c1'), { id: 'broken' } as unknown as Conversation],
      messages: [message('c1', 1), { ...message('c1', 2), text: 42 } as unknown as Message, message('c1', 3)],
      meta: { activeId: 'c1' }
    })
    const snapshot = await cache.load()
    expect(snapshot.conversations.map((c) => c.id)).toEqual(['c1'])
    expect(snapshot.messages.c1?.map((m) => m.seq)).toEqual([1, 3])
    expect(errors.map((e) => [e.code, e.message])).toEqual([['storage', 'Skipped 2 corrupt record(s) in the stored history']])
  })

  it('keeps two people apart: one person never reads the other', async () => {
    const env = freshIdb()
    const ada = await open(env, 'confab-shop-u-ada')
    const bob = await open(env, 'confab-shop-u-bob')
    await ada.write({ conversations: [conversation('ada-thread')], messages: [message('ada-thread', 1)], meta: { activeId: 'ada-thread' } })
    const seenByBob = await bob.load()
    expect(seenByBob).toEqual({ conversations: [], messages: {}, meta: {}, outbox: [] })
    expect(await bob.older('ada-thread', { createdAt: Infinity, id: '' }, 10)).toEqual([])
  })

  it('deletes its database on destroy', async () => {
    const env = freshIdb()
    const cache = await open(env, 'confab-shop-v-gone')
    await cache.write({ conversations: [conversation('c1')] })
    await cache.destroy()
    expect((await env.indexedDB.databases()).map((d) => d.name)).not.toContain('confab-shop-v-gone')
  })
})

describe('degrading to memory', () => {
  it('works in memory and says why when IndexedDB is missing', async () => {
    const errors: ConfabError[] = []
    const cache = await createIdbCache({ name: 'x', indexedDB: undefined, IDBKeyRange: undefined, onError: (e) => errors.push(e) })
    // Node has no global indexedDB, so this is the missing case.
    expect(cache.persistent).toBe(false)
    expect(cache.reason).toBe('IndexedDB is not available in this browser')
    await cache.write({ conversations: [conversation('c1')], meta: { activeId: 'c1' }, messages: [message('c1', 1)] })
    expect((await cache.load()).messages.c1).toHaveLength(1)
    expect(errors[0]?.code).toBe('storage')
  })

  it('works in memory when opening is refused (private mode, sandboxed frame)', async () => {
    const refusing = {
      open() {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      }
    } as unknown as IDBFactory
    const cache = await createIdbCache({ name: 'x', indexedDB: refusing, IDBKeyRange })
    expect(cache.persistent).toBe(false)
    expect(cache.reason).toMatch(/blocked/)
  })

  it('goes on in memory when a transaction aborts after its records were queued', async () => {
    const env = freshIdb()
    const errors: ConfabError[] = []
    const cache = await open(env, 'confab-aborted', errors)
    const transaction = IDBDatabase.prototype.transaction
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args) {
      const tx = transaction.apply(this, args)
      queueMicrotask(() => tx.abort())
      return tx
    })
    await cache.write({ conversations: [conversation('c1')], messages: [message('c1', 1)], meta: { activeId: 'c1' } })
    spy.mockRestore()
    expect(cache.persistent).toBe(false)
    expect(errors.map((e) => e.code)).toEqual(['storage'])
    expect((await cache.load()).messages.c1).toHaveLength(1)
  })

  it('goes on in memory when a write fails (quota) and keeps the data for this page', async () => {
    const env = freshIdb()
    const errors: ConfabError[] = []
    const cache = await open(env, 'confab-full', errors)
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(() => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError')
    })
    await cache.write({ conversations: [conversation('c1')], messages: [message('c1', 1)], meta: { activeId: 'c1' } })
    spy.mockRestore()
    expect(cache.persistent).toBe(false)
    expect(cache.reason).toBe('storage on this device is full')
    expect(errors.map((e) => e.code)).toEqual(['storage'])
    expect((await cache.load()).messages.c1).toHaveLength(1)
  })
})

describe('schema migrations', () => {
  it('opens a version 1 database and keeps its data', async () => {
    const env = freshIdb()
    // A device that last ran schema 1: one key-value store.
    const old = await openDatabase(env.indexedDB, 'confab-shop-v-old', 1)
    const tx = old.transaction('keyval', 'readwrite')
    const store = tx.objectStore('keyval')
    store.put(conversation('c1'), 'conversation:c1')
    // Written in the same millisecond: the order must still follow the sequence.
    store.put({ ...message('c1', 3), id: 'a-third', createdAt: 1002 }, 'message:c1:a-third')
    store.put(message('c1', 1), 'message:c1:c1-m1')
    store.put(message('c1', 2), 'message:c1:c1-m2')
    store.put({ activeId: 'c1', streamCursor: '9' }, 'meta')
    await new Promise((resolve) => (tx.oncomplete = resolve))
    old.close()

    const cache = await open(env, 'confab-shop-v-old')
    const snapshot = await cache.load()
    expect(snapshot.conversations).toEqual([conversation('c1')])
    expect(snapshot.messages.c1?.map((m) => m.text)).toEqual(['message 1', 'message 2', 'message 3'])
    expect(snapshot.meta).toEqual({ activeId: 'c1', streamCursor: '9' })
    const upgraded = await openDatabase(env.indexedDB, 'confab-shop-v-old')
    expect(upgraded.version).toBe(SCHEMA_VERSION)
    expect([...upgraded.objectStoreNames].sort()).toEqual(['conversations', 'files', 'messages', 'meta', 'outbox'])
    upgraded.close()
  })
})

describe('rich content in a database of today’s schema', () => {
  /** A device that last ran before rich content: schema 2 records of plain-text messages, written as it wrote them. */
  async function plainDevice(env: ReturnType<typeof freshIdb>, name: string) {
    const db = await openDatabase(env.indexedDB, name, 2)
    const tx = db.transaction(['conversations', 'messages', 'meta', 'outbox'], 'readwrite')
    tx.objectStore('conversations').put(conversation('c1'), 'c1')
    for (const seq of [1, 2, 3]) tx.objectStore('messages').put(message('c1', seq), messageKey(message('c1', seq)))
    tx.objectStore('meta').put({ activeId: 'c1', streamCursor: '3' }, 'meta')
    const queued = { ...message('c1', 4), id: 'q1', clientId: 'q1', seq: undefined, status: 'queued' }
    tx.objectStore('outbox').put(queued, 'q1')
    await new Promise((resolve) => (tx.oncomplete = resolve))
    db.close()
    return { queued }
  }

  const cards: Message = {
    ...message('c1', 5),
    author: { role: 'bot', name: 'Shop bot' },
    text: 'Our **boots**',
    parts: [{ type: 'cards', layout: 'carousel', items: [{ title: 'Trail', actions: [{ type: 'postback', id: 'add', label: 'Add', payload: 'ADD' }] }, { title: 'City' }] }],
    replies: [{ type: 'reply', id: 'more', label: 'More' }],
    blockComposer: true,
    metadata: { campaign: 'spring', nested: [1, null, { deep: true }] }
  }
  const answer: Message = {
    ...message('c1', 6),
    text: 'Size: Large',
    parts: [{ type: 'form-response', fields: [{ name: 'size', label: 'Size', value: 'l' }, { name: 'topics', label: 'Topics', value: ['a', 'b'] }] }],
    replyTo: { messageId: 'c1-m5', actionId: 'more' }
  }
  const postback = { ...message('c1', 7), id: 'p1', clientId: 'p1', seq: undefined, text: 'Add', status: 'queued' as const, postback: { payload: 'ADD', messageId: 'c1-m5', actionId: 'add' } }

  it('reads the plain-text messages it held beside rich messages written after, every field intact', async () => {
    const env = freshIdb()
    const { queued } = await plainDevice(env, 'confab-shop-v-plain')
    const errors: ConfabError[] = []
    const writer = await open(env, 'confab-shop-v-plain', errors)
    await writer.write({ messages: [cards, answer], outbox: [postback] })
    writer.close()

    const reader = await open(env, 'confab-shop-v-plain', errors)
    const snapshot = await reader.load()
    expect(snapshot.messages.c1).toEqual([message('c1', 1), message('c1', 2), message('c1', 3), cards, answer])
    expect(snapshot.outbox).toEqual([queued, postback])
    expect(await reader.older('c1', answer, 2)).toEqual([message('c1', 3), cards])
    expect((await reader.all()).map((m) => m.id)).toEqual(['c1-m1', 'c1-m2', 'c1-m3', 'c1-m5', 'c1-m6'])
    await reader.write({ unqueue: ['p1'] })
    expect(await reader.outbox()).toEqual([queued])
    expect(errors).toEqual([])
    reader.close()
    // Rich content took no upgrade of its own: the only one since is the store of files' bytes.
    const db = await openDatabase(env.indexedDB, 'confab-shop-v-plain')
    expect([...db.objectStoreNames].sort()).toEqual(['conversations', 'files', 'messages', 'meta', 'outbox'])
    db.close()
  })

  it('skips a postback record without its payload, as a corrupt record', async () => {
    const env = freshIdb()
    const errors: ConfabError[] = []
    const cache = await open(env, 'confab-shop-v-broken', errors)
    await cache.write({ outbox: [postback, { ...postback, id: 'p2', clientId: 'p2', postback: { payload: 7 } as never }] })
    expect((await cache.outbox()).map((entry) => entry.clientId)).toEqual(['p1'])
  })
})
