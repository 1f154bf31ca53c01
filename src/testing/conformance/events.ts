import type { TransportEvent } from '../../transports/types.js'
import { fault, needCapability, type CheckDefinition } from './define.js'
import { ensure, ensureEqual, onlineSince, SETTLE_MS, show, texts, type Recorder } from './tools.js'

/** The cursor of the last event that carried one. */
export function lastCursor(events: readonly TransportEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.cursor !== undefined) return events[i]!.cursor
  return undefined
}

/** Wait until the recorder has a message with `text`. */
export const arrival = (recorder: Recorder, text: string, from = 0) =>
  recorder.until(`a message event ${show(text)}`, () => texts(recorder.messages(from)).includes(text))

/** The live event stream: delivery, resume, unsubscribe and close. */
export const eventChecks: CheckDefinition[] = [
  {
    name: "reports status 'online' after subscribe() and delivers an agent's message as a message event",
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const recorder = await scope.live(transport)
      await scope.reply(conversation.id, 'hello from the agent')
      await arrival(recorder, 'hello from the agent')
      const [message] = recorder.messages()
      ensureEqual([message!.conversationId, message!.author.role], [conversation.id, 'agent'], 'conversationId and author role of the event')
      if (transport.capabilities.streamResume) {
        const event = recorder.events.find((e) => e.type === 'message')!
        ensure(typeof event.cursor === 'string' && event.cursor !== '', `with capabilities.streamResume, message events must carry a cursor, got ${show(event.cursor)}`)
      }
    }
  },
  {
    name: 'resumes from the last event cursor with exactly the events missed, none twice',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'streamResume')
      const before = await scope.live(transport)
      await scope.reply(conversation.id, 'seen live')
      await arrival(before, 'seen live')
      const cursor = lastCursor(before.events)
      ensure(cursor !== undefined, 'no event carried a cursor to resume from')
      before.stop()

      for (const text of ['missed 1', 'missed 2', 'missed 3']) await scope.reply(conversation.id, text)
      const after = await scope.live(transport, cursor)
      await scope.reply(conversation.id, 'live again')
      await arrival(after, 'live again')
      ensureEqual(texts(after.messages()), ['missed 1', 'missed 2', 'missed 3', 'live again'], `messages after subscribe({ cursor: ${show(cursor)} })`)
      ensure(!after.events.some((e) => e.type === 'reset'), 'a resume from a cursor the backend still knows must not bring reset')
    }
  },
  {
    name: 'stops delivering events to a listener after its unsubscribe, which is harmless to call twice',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const stopped = await scope.live(transport)
      const witness = await scope.live(transport)
      stopped.stop()
      stopped.stop()
      const from = stopped.mark()
      await scope.reply(conversation.id, 'after unsubscribe')
      await arrival(witness, 'after unsubscribe')
      await scope.pause(SETTLE_MS)
      const late = stopped.events.slice(from).filter((e) => e.type !== 'status')
      ensureEqual(late.map((e) => e.type), [], 'events after unsubscribe')
    }
  },
  {
    name: 'stops every stream on close() and works again after a new connect()',
    async run(scope) {
      const { transport, session, conversation } = await scope.thread()
      const closed = await scope.live(transport)
      const other = await scope.visitor(session.resumeKey)
      const witness = await scope.live(other.transport)
      transport.close()
      const from = closed.mark()
      await scope.reply(conversation.id, 'after close')
      await arrival(witness, 'after close')
      await scope.pause(SETTLE_MS)
      const lateTypes = () => closed.events.slice(from).filter((e) => e.type !== 'status').map((e) => e.type)
      ensureEqual(lateTypes(), [], 'events after close()')

      const again = await transport.connect({ resumeKey: session.resumeKey })
      ensureEqual(again.visitorId, session.visitorId, 'visitorId when connecting again after close()')
      const page = await transport.history(conversation.id)
      ensureEqual(texts(page.messages), ['after close'], 'history after connecting again')
      const reopened = await scope.live(transport)
      await scope.reply(conversation.id, 'after reconnecting')
      await arrival(reopened, 'after reconnecting')
      await arrival(witness, 'after reconnecting')
      ensureEqual(lateTypes(), [], 'events reaching the listener of a stream closed before the new connect()')
    }
  },
  {
    name: 'reconnects on its own when the backend cuts the stream, and misses nothing',
    faults: ['killStreams'],
    async run(scope) {
      const kill = fault(scope, 'killStreams')
      const { transport, session, conversation } = await scope.thread()
      needCapability(transport, 'streamResume')
      const recorder = await scope.live(transport)
      await scope.reply(conversation.id, 'before the cut')
      await arrival(recorder, 'before the cut')
      const from = recorder.mark()
      await kill(session)
      await scope.reply(conversation.id, 'during the cut')
      await recorder.until("a status other than 'online' after the stream was cut", (events) =>
        events.slice(from).some((e) => e.type === 'status' && e.status !== 'online')
      )
      const down = recorder.events.findIndex((e, i) => i >= from && e.type === 'status' && e.status !== 'online')
      await recorder.until("status 'online' again", onlineSince(down))
      await scope.reply(conversation.id, 'after the cut')
      await arrival(recorder, 'after the cut')
      ensureEqual(texts(recorder.messages(from)), ['during the cut', 'after the cut'], 'messages after the stream was cut')
    }
  }
]
