import type { SearchResult } from '../../store/index.js'
import type { Conversation } from '../../transports/types.js'

/** The results of one thread, as the search view lists them. */
export interface ThreadGroup {
  conversationId: string
  /** The thread's subject, when it has one and the device knows the thread. */
  subject?: string
  results: SearchResult[]
}

/**
 * Group results by thread. Threads come in the order of their best result, and results keep their
 * order within a thread, so the most relevant hit still comes first.
 *
 * @example
 * groupByThread(client.$search.get().results, client.$conversations.get())
 * // [{ conversationId: 'c2', subject: 'Billing', results: [...] }, { conversationId: 'c1', results: [...] }]
 */
export function groupByThread(results: readonly SearchResult[], conversations: readonly Conversation[]): ThreadGroup[] {
  const groups = new Map<string, ThreadGroup>()
  for (const result of results) {
    const { conversationId } = result.message
    let group = groups.get(conversationId)
    if (!group) {
      const subject = conversations.find((c) => c.id === conversationId)?.subject
      group = subject ? { conversationId, subject, results: [] } : { conversationId, results: [] }
      groups.set(conversationId, group)
    }
    group.results.push(result)
  }
  return [...groups.values()]
}
