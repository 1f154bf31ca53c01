import { createSearchIndex, type SearchIndexOptions } from '../../../src/search/index.js'
import type { Message } from '../../../src/transports/types.js'

let next = 0

/** A message with `text`; later calls are newer unless `createdAt` says otherwise. */
export const message = (text: string, extra: Partial<Message> = {}): Message => {
  next++
  return { id: `m${next}`, conversationId: 'c1', author: { role: 'visitor' }, text, createdAt: 1_700_000_000_000 + next, ...extra }
}

/** An index holding `messages`. */
export const indexOf = (messages: Message[], options?: SearchIndexOptions) => {
  const index = createSearchIndex(options)
  index.add(messages)
  return index
}

/** The texts of what `query` finds, best first. */
export const found = (index: ReturnType<typeof createSearchIndex>, query: string) =>
  index.search(query).map((hit) => hit.message.text)

/** The highlighted parts of the first hit, as text. */
export const highlighted = (index: ReturnType<typeof createSearchIndex>, query: string) => {
  const [hit] = index.search(query)
  return hit ? hit.ranges.map(([start, end]) => hit.text.slice(start, end)) : []
}
