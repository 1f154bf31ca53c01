import type { HistoryPage, Message, Transport } from '../../transports/types.js'
import { randomId } from '../../util/ids.js'
import { needCapability, type CheckDefinition } from './define.js'
import { ensure, ensureEqual, ensureOrdered, ensureUnique, show, texts, type Scope } from './tools.js'

/** Page size of the paging checks: small, so a few messages make several pages. */
const PAGE = 4
/** Pages read before the kit decides the cursors go round in circles. */
const MAX_PAGES = 50

/** Fill a conversation with `count` messages, every third from the agent; returns their texts in order. */
async function fill(scope: Scope, transport: Transport, conversationId: string, count: number): Promise<string[]> {
  const written: string[] = []
  for (let i = 1; i <= count; i++) {
    const text = `message ${i}`
    if (i % 3 === 0) await scope.reply(conversationId, text)
    else await scope.send(transport, conversationId, text)
    written.push(text)
  }
  return written
}

/** Every message of a conversation, read newest page first through `before` cursors. */
async function pageBackwards(transport: Transport, conversationId: string): Promise<{ messages: Message[]; oldest: HistoryPage }> {
  let page = await transport.history(conversationId, { limit: PAGE })
  let messages = page.messages
  for (let pages = 1; page.before !== null; pages++) {
    ensure(pages < MAX_PAGES, `paging back took more than ${MAX_PAGES} pages of ${PAGE}: the before cursors go round in circles`)
    const cursor = page.before
    page = await transport.history(conversationId, { before: cursor, limit: PAGE })
    ensure(page.messages.length > 0 || page.before === null, `history({ before: ${show(cursor)} }) answered no messages but another before cursor ${show(page.before)}`)
    ensure(page.messages.length <= PAGE, `history({ limit: ${PAGE} }) answered ${page.messages.length} messages`)
    messages = [...page.messages, ...messages]
  }
  return { messages, oldest: page }
}

/** Messages, history, idempotency, order and paging. */
export const historyChecks: CheckDefinition[] = [
  {
    name: 'answers the history of an empty conversation with no messages and before: null',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const page = await transport.history(conversation.id)
      ensureEqual(page.messages, [], 'messages of an empty conversation')
      ensureEqual(page.before, null, 'before cursor of an empty conversation')
      ensure(page.after === null || typeof page.after === 'string', `after must be a cursor or null, got ${show(page.after)}`)
    }
  },
  {
    name: 'stores one message for a clientId sent twice, and answers both sends with it',
    async run(scope) {
      const { transport, session, conversation } = await scope.thread()
      const clientId = randomId()
      const first = await transport.send(conversation.id, { clientId, text: 'once' })
      ensure(typeof first.id === 'string' && first.id !== '', `the stored message needs an id, got ${show(first)}`)
      ensureEqual(
        [first.clientId, first.conversationId, first.text, first.author?.role],
        [clientId, conversation.id, 'once', 'visitor'],
        'clientId, conversationId, text and author role of the stored message'
      )
      ensure(first.author.id === undefined || first.author.id === session.visitorId, `author.id ${show(first.author.id)} is not the visitor ${session.visitorId}`)
      ensure(Number.isFinite(first.createdAt), `createdAt must be a number, got ${show(first.createdAt)}`)
      const second = await transport.send(conversation.id, { clientId, text: 'once' })
      ensureEqual([second.id, second.seq, second.text], [first.id, first.seq, first.text], 'the answer to the repeated send')
      const page = await transport.history(conversation.id)
      ensureEqual(page.messages.filter((m) => m.clientId === clientId).length, 1, `stored messages with clientId ${clientId}`)
    }
  },
  {
    name: 'stores one message when the same clientId is sent twice at once',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const clientId = randomId()
      const [a, b] = await Promise.all([
        transport.send(conversation.id, { clientId, text: 'raced' }),
        transport.send(conversation.id, { clientId, text: 'raced' })
      ])
      ensureEqual(b.id, a.id, 'ids answered to two simultaneous sends of one clientId')
      const page = await transport.history(conversation.id)
      ensureEqual(page.messages.length, 1, 'messages stored')
    }
  },
  {
    name: 'keeps messages sent one after another in that order, with seq going up by one',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const written = await fill(scope, transport, conversation.id, 12)
      const page = await transport.history(conversation.id, { limit: 50 })
      ensureEqual(texts(page.messages), written, 'texts in history, oldest first')
      ensureUnique(page.messages, 'history')
      ensureOrdered(page.messages, 'history')
    }
  },
  {
    name: 'stores each of a burst of simultaneous sends once, numbered without gaps',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const burst = Array.from({ length: 8 }, (_, i) => ({ clientId: randomId(), text: `burst ${i + 1}` }))
      const answers = await Promise.all(burst.map((outgoing) => transport.send(conversation.id, outgoing)))
      ensureUnique(answers, 'answers to the burst')
      const page = await transport.history(conversation.id, { limit: 50 })
      ensureEqual(page.messages.map((m) => m.clientId).sort(), burst.map((m) => m.clientId).sort(), 'clientIds stored')
      ensureOrdered(page.messages, 'history after a burst')
    }
  },
  {
    name: 'pages history back with before cursors over every message exactly once, ending with before: null',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const written = await fill(scope, transport, conversation.id, 11)
      const { messages } = await pageBackwards(transport, conversation.id)
      ensureEqual(texts(messages), written, 'texts read page by page, back to the start')
      ensureUnique(messages, 'pages read back')
    }
  },
  {
    name: 'pages history forward with after cursors from the first page over every message exactly once',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'historyNewer')
      const written = await fill(scope, transport, conversation.id, 11)
      const { oldest } = await pageBackwards(transport, conversation.id)
      let messages = oldest.messages
      let after = oldest.after
      for (let pages = 1; ; pages++) {
        ensure(pages < MAX_PAGES, `paging forward took more than ${MAX_PAGES} pages: the after cursors go round in circles`)
        ensure(after !== null, 'a page must give an after cursor to read newer messages (capabilities.historyNewer)')
        const page = await transport.history(conversation.id, { after, limit: PAGE })
        if (page.messages.length === 0) break
        messages = [...messages, ...page.messages]
        after = page.after
      }
      ensureEqual(texts(messages), written, 'texts read page by page from the start')
      ensureUnique(messages, 'pages read forward')
    }
  },
  {
    name: 'reads what came later from the after cursor of the newest page, even of an empty conversation',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'historyNewer')
      let after = (await transport.history(conversation.id)).after
      for (const text of ['first', 'second']) {
        ensure(after !== null, `the newest page must give an after cursor (capabilities.historyNewer), got ${show(after)}`)
        await scope.send(transport, conversation.id, text)
        const page = await transport.history(conversation.id, { after })
        ensureEqual(texts(page.messages), [text], `history({ after: ${show(after)} }) once ${show(text)} was sent`)
        after = page.after
      }
      ensureEqual((await transport.history(conversation.id, { after: after! })).messages, [], 'history after the newest message')
    }
  }
]
