import { describe, expect, it, vi } from 'vitest'
import { mergeMessages, upsertMessage, type ChatMessage } from '../../../src/store/index.js'
import type { Message } from '../../../src/transports/types.js'

const message = (seq: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  author: { role: 'agent' },
  text: `text ${seq}`,
  createdAt: 1000 + seq,
  status: 'sent',
  ...extra
})

describe('message lists', () => {
  it('order confirmed messages by sequence and keep unsent ones at the bottom', () => {
    let list: ChatMessage[] = []
    list = upsertMessage(list, message(2))
    list = upsertMessage(list, { ...message(0), id: 'local', clientId: 'local', seq: undefined, status: 'sending', createdAt: 1 })
    list = upsertMessage(list, message(1))
    expect(list.map((m) => m.id)).toEqual(['m1', 'm2', 'local'])
  })

  it('add a message that arrives in order without sorting the list again', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => message(i + 1))
    const sort = vi.spyOn(Array.prototype, 'sort')
    try {
      const next = upsertMessage(list, message(10_001))
      expect(next.at(-1)!.seq).toBe(10_001)
      expect(sort).not.toHaveBeenCalled()
    } finally {
      sort.mockRestore()
    }
  })

  it('put a message that arrives late in its place', () => {
    const list = upsertMessage([message(1), message(3), message(4)], message(2))
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3, 4])
  })

  it('merge a local echo with its confirmation by client id', () => {
    const echo: ChatMessage = { ...message(0), id: 'k1', clientId: 'k1', seq: undefined, status: 'sending' }
    const list = upsertMessage([echo], message(5, { clientId: 'k1' }))
    expect(list).toEqual([message(5, { clientId: 'k1' })])
  })

  it('never turn a confirmed message back into a pending one', () => {
    const confirmed = message(3, { clientId: 'k3' })
    const list = upsertMessage([confirmed], { ...confirmed, id: 'k3', status: 'sending' })
    expect(list).toEqual([confirmed])
  })

  it('merge a page without duplicating what is already shown', () => {
    const shown = [message(4), message(5)]
    const page: Message[] = [1, 2, 3, 4, 5].map((seq) => {
      const { status: _status, ...rest } = message(seq)
      return rest
    })
    expect(mergeMessages(shown, page).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('merge ten thousand messages in one pass', () => {
    const page: Message[] = Array.from({ length: 10_000 }, (_, i) => message(i + 1))
    const started = performance.now()
    const merged = mergeMessages(mergeMessages([], page), page)
    expect(merged).toHaveLength(10_000)
    // Generous bound: a per-message sort would take seconds here.
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})
