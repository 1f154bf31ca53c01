import type { ConfabError } from '../../errors/index.js'
import { randomId } from '../../util/ids.js'
import { fault, needCapability, type CheckDefinition } from './define.js'
import { arrival, lastCursor } from './events.js'
import { ensure, ensureConfabError, ensureEqual, rejection, texts } from './tools.js'

/** Failures the backend produces on purpose, through the harness's faults. */
export const failureChecks: CheckDefinition[] = [
  {
    name: 'reports a refused send (503) as a retryable ConfabError with its status, and stores it once when sent again',
    faults: ['failNextSends'],
    async run(scope) {
      const failNextSends = fault(scope, 'failNextSends')
      const { transport, session, conversation } = await scope.thread()
      const outgoing = { clientId: randomId(), text: 'refused first' }
      await failNextSends(session, 1, 503)
      const error = ensureConfabError(await rejection(transport.send(conversation.id, outgoing), 'a send the backend refused with 503'), 'send()')
      ensureEqual([error.retryable, error.status], [true, 503], 'retryable and status of a 503')
      ensureEqual((await transport.history(conversation.id)).messages.length, 0, 'messages stored by a refused send')
      const stored = await transport.send(conversation.id, outgoing)
      ensureEqual(stored.clientId, outgoing.clientId, 'clientId of the message sent again')
      ensureEqual((await transport.history(conversation.id)).messages.length, 1, 'messages stored after sending again')
    }
  },
  {
    name: 'fails a send whose answer was lost as retryable, and the retry answers the message stored the first time',
    faults: ['dropNextResponse'],
    async run(scope) {
      const dropNextResponse = fault(scope, 'dropNextResponse')
      const { transport, session, conversation } = await scope.thread()
      const outgoing = { clientId: randomId(), text: 'answer lost' }
      await dropNextResponse(session)
      const error = ensureConfabError(await rejection(transport.send(conversation.id, outgoing), 'a send whose answer was lost'), 'send()')
      ensure(error.retryable, `a lost answer must be retryable, got code ${error.code} with retryable false`)
      const [stored] = (await transport.history(conversation.id)).messages
      ensureEqual(stored?.clientId, outgoing.clientId, 'the message the backend stored before the answer was lost')
      const retried = await transport.send(conversation.id, outgoing)
      ensureEqual(retried.id, stored!.id, 'id answered to the retry')
      ensureEqual((await transport.history(conversation.id)).messages.length, 1, 'messages stored after the retry')
    }
  },
  {
    // Waiting out retryAfter and sending again is the client check "lets a client wait out a 429's retryAfter …".
    name: "reports 429 as a retryable ConfabError with code 'rate-limited', its status and retryAfter in ms",
    faults: ['rateLimitNext'],
    async run(scope) {
      const rateLimitNext = fault(scope, 'rateLimitNext')
      const { transport, session, conversation } = await scope.thread()
      await rateLimitNext(session, 1)
      const error: ConfabError = ensureConfabError(await rejection(scope.send(transport, conversation.id, 'too soon'), 'a rate-limited send'), 'send()')
      ensureEqual([error.code, error.retryable, error.status, error.retryAfter], ['rate-limited', true, 429, 1000], 'code, retryable, status and retryAfter of a 429 with Retry-After: 1')
      ensureEqual((await transport.history(conversation.id)).messages.length, 0, 'messages stored by a rate-limited send')
    }
  },
  {
    name: 'starts the session again when it expired (401), so calls made meanwhile still succeed',
    faults: ['expireSession'],
    async run(scope) {
      const expireSession = fault(scope, 'expireSession')
      const { transport, session, conversation } = await scope.thread()
      await scope.send(transport, conversation.id, 'before expiry')
      await expireSession(session)
      const [list, page, opened] = await Promise.all([
        transport.listConversations(),
        transport.history(conversation.id),
        transport.getConversation(conversation.id)
      ])
      ensure(list.conversations.some((c) => c.id === conversation.id), 'listConversations() after expiry lost the conversation')
      ensureEqual(texts(page.messages), ['before expiry'], 'history after expiry')
      ensureEqual(opened.id, conversation.id, 'getConversation() after expiry')
      await expireSession(session)
      await scope.send(transport, conversation.id, 'after expiry')
      ensureEqual(texts((await transport.history(conversation.id)).messages), ['before expiry', 'after expiry'], 'history after a send that met an expired session')
    }
  },
  {
    name: "reports a malformed event as an error event with code 'malformed-event', and the stream goes on",
    faults: ['injectMalformedEvent'],
    async run(scope) {
      const injectMalformedEvent = fault(scope, 'injectMalformedEvent')
      const { transport, session, conversation } = await scope.thread()
      const recorder = await scope.live(transport)
      const from = recorder.mark()
      await injectMalformedEvent(session)
      await recorder.until("an error event with code 'malformed-event'", (events) =>
        events.slice(from).some((e) => e.type === 'error' && (e.error as Partial<ConfabError>)?.code === 'malformed-event')
      )
      await scope.reply(conversation.id, 'after the bad event')
      await arrival(recorder, 'after the bad event', from)
      const dropped = recorder.events.slice(from).filter((e) => e.type === 'status' || e.type === 'reset')
      ensureEqual(dropped.map((e) => e.type), [], 'status or reset events after one malformed event (the stream must go on as it was)')
      ensureEqual(recorder.messages(from).length, 1, 'message events after the malformed event')
    }
  },
  {
    name: 'sends reset when it resumes from a cursor the backend has forgotten, then goes on live',
    faults: ['forgetEvents'],
    async run(scope) {
      const forgetEvents = fault(scope, 'forgetEvents')
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'streamResume')
      const before = await scope.live(transport)
      await scope.reply(conversation.id, 'seen')
      await arrival(before, 'seen')
      const cursor = lastCursor(before.events)!
      before.stop()
      await scope.reply(conversation.id, 'forgotten')
      await forgetEvents()
      const after = scope.listen(transport, cursor)
      await after.until('a reset event', (events) => events.some((e) => e.type === 'reset'))
      await after.until("status 'online'", (events) => events.some((e) => e.type === 'status' && e.status === 'online'))
      await scope.reply(conversation.id, 'live after reset')
      await arrival(after, 'live after reset')
      const reset = after.events.findIndex((e) => e.type === 'reset')
      const firstMessage = after.events.findIndex((e) => e.type === 'message')
      ensure(reset < firstMessage, 'the reset event must come before any message of the resumed stream')
    }
  }
]
