import type { Message, Transport } from '../../transports/types.js'
import { needCapability, type CheckDefinition } from './define.js'
import { ensure, ensureEqual, show, skipCheck, SETTLE_MS, texts, type Scope } from './tools.js'

/** The harness's `agent[name]`, or the check is skipped. */
function agentCan<K extends 'markRead' | 'readPosition'>(scope: Scope, name: K): NonNullable<Scope['harness']['agent'][K]> {
  const found = scope.harness.agent[name]
  if (typeof found !== 'function') skipCheck(`the harness offers no agent.${name}`)
  return found.bind(scope.harness.agent) as NonNullable<Scope['harness']['agent'][K]>
}

/** Poll `read` until it gives `expected` (the backend may take a moment to hear); fail after the check's wait. */
async function until<T>(scope: Scope, what: string, read: () => Promise<T>, expected: T): Promise<void> {
  const deadline = Date.now() + scope.waitMs
  let got = await read()
  while (show(got) !== show(expected) && Date.now() < deadline) {
    await scope.pause(50)
    got = await read()
  }
  ensureEqual(got, expected, what)
}

/** The agent's messages `wanted`, as the visitor's history has them (the backend's ids, in order). */
async function agentMessages(scope: Scope, transport: Transport, conversationId: string, wanted: string[]): Promise<Message[]> {
  for (const text of wanted) await scope.reply(conversationId, text)
  const { messages } = await transport.history(conversationId)
  ensureEqual(texts(messages), wanted, 'history after the agent wrote')
  return messages
}

/** Read receipts (`capabilities.readReceipts`): the visitor's `markRead`, and the agents' reads as `read` events. */
export const readChecks: CheckDefinition[] = [
  {
    name: 'with readReceipts, markRead() resolves for a message of the conversation, again for the same one, and for an earlier one',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'readReceipts')
      const [first, second] = await agentMessages(scope, transport, conversation.id, ['first', 'second'])
      await transport.markRead!(conversation.id, second!.id)
      await transport.markRead!(conversation.id, second!.id)
      await transport.markRead!(conversation.id, first!.id)
    }
  },
  {
    name: "with readReceipts, moves the visitor's read position only forward: an earlier message after a later one leaves it at the later",
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'readReceipts')
      const position = agentCan(scope, 'readPosition')
      const [first, second] = await agentMessages(scope, transport, conversation.id, ['older', 'newer'])
      await transport.markRead!(conversation.id, first!.id)
      await until(scope, 'the read position after markRead() of the first message', () => position(conversation.id), first!.id)
      await transport.markRead!(conversation.id, second!.id)
      await until(scope, 'the read position after markRead() of the second message', () => position(conversation.id), second!.id)
      await transport.markRead!(conversation.id, first!.id)
      // Time for a read that should not have gone to arrive all the same.
      await scope.pause(SETTLE_MS * 3)
      ensureEqual(await position(conversation.id), second!.id, 'the read position after markRead() of the first message again')
    }
  },
  {
    name: "with readReceipts, delivers an agent's read of the visitor's message as a read event",
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'readReceipts')
      const markRead = agentCan(scope, 'markRead')
      const recorder = await scope.live(transport)
      const sent = await scope.send(transport, conversation.id, 'did you read this?')
      await markRead(conversation.id, sent.id)
      await recorder.until(`a read event for message ${sent.id} from the agents' side`, (events) =>
        events.some((e) => e.type === 'read' && e.messageId === sent.id && e.reader.role !== 'visitor')
      )
      const event = recorder.events.find((e) => e.type === 'read' && e.messageId === sent.id && e.reader.role !== 'visitor')!
      ensure(event.type === 'read' && event.conversationId === conversation.id, `the read event must name conversation ${conversation.id}, got ${show(event)}`)
      ensure(event.at === undefined || Number.isFinite(event.at), `a read event's at must be a time in ms or absent, got ${show(event.at)}`)
    }
  },
  {
    name: "with readReceipts, tells a new session how far the agents read (the conversation's read.agent), so a missed read event heals",
    async run(scope) {
      const { transport, session, conversation } = await scope.thread()
      needCapability(transport, 'readReceipts')
      const markRead = agentCan(scope, 'markRead')
      const sent = await scope.send(transport, conversation.id, 'read me later')
      await markRead(conversation.id, sent.id)
      const again = await scope.visitor(session.resumeKey)
      await until(scope, "read.agent.messageId of the conversation in a new session", async () => (await again.transport.getConversation(conversation.id)).read?.agent?.messageId, sent.id)
    }
  }
]
