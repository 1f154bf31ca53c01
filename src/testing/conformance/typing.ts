import type { Transport, TransportEvent } from '../../transports/types.js'
import { needCapability, type CheckDefinition } from './define.js'
import { arrival } from './events.js'
import { ConformanceError, describeEvent, ensure, ensureEqual, SETTLE_MS, show, skipCheck, type Scope } from './tools.js'

/** Call `setTyping()`, failing with what it rejected with. */
async function setTyping(transport: Transport, conversationId: string, typing: boolean): Promise<void> {
  ensure(typeof transport.setTyping === 'function', 'capabilities.typing is true, but the transport has no setTyping()')
  try {
    await transport.setTyping(conversationId, typing)
  } catch (error) {
    throw new ConformanceError(`setTyping(${show(conversationId)}, ${typing}) rejected: ${error instanceof Error ? error.message : show(error)}`, { cause: error })
  }
}

/** Wait until the agents' side (`agent.sawTyping()`) says `typing`, asking again every 50 ms. */
async function agentSees(scope: Scope, conversationId: string, typing: boolean): Promise<void> {
  const saw = scope.harness.agent.sawTyping!
  const deadline = Date.now() + scope.waitMs
  let last: unknown
  while ((last = await saw.call(scope.harness.agent, conversationId)) !== typing) {
    if (Date.now() > deadline) {
      throw new ConformanceError(`Waited ${scope.waitMs} ms for the agents' side to see the visitor ${typing ? 'typing' : 'stop typing'}; agent.sawTyping() answered ${show(last)}`)
    }
    await scope.pause(50)
  }
}

const typingOf = (conversationId: string, typing: boolean) => (event: TransportEvent) =>
  event.type === 'typing' && event.conversationId === conversationId && event.typing === typing

/** Typing, both ways (`setTyping`, `typing` events), for transports that declare `capabilities.typing`. */
export const typingChecks: CheckDefinition[] = [
  {
    name: 'tells the backend with setTyping() that the visitor types and then stopped, and does not tell the visitor of it',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'typing')
      const id = conversation.id
      const recorder = await scope.live(transport)
      // An agent in the conversation first: a backend may tell only those there (an XMPP room's occupants).
      await scope.reply(id, 'here to help')
      await arrival(recorder, 'here to help')
      const seeing = typeof scope.harness.agent.sawTyping === 'function'
      await setTyping(transport, id, true)
      if (seeing) await agentSees(scope, id, true)
      // Said again, as the client does while the visitor keeps typing.
      await setTyping(transport, id, true)
      await setTyping(transport, id, false)
      if (seeing) await agentSees(scope, id, false)
      await scope.pause(SETTLE_MS)
      const echoed = recorder.events.filter((event) => event.type === 'typing' && event.author.role === 'visitor')
      ensureEqual(echoed.map(describeEvent), [], "typing events of the visitor's own typing on its stream")
    }
  },
  {
    name: "delivers the agent's typing as typing events of the conversation: typing, then stopped",
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      needCapability(transport, 'typing')
      const { agent } = scope.harness
      if (typeof agent.typing !== 'function') skipCheck('the harness offers no agent.typing')
      const id = conversation.id
      const recorder = await scope.live(transport)
      const from = recorder.mark()
      /**
       * The agent says it until the visitor hears it, as an agent's console repeats it: typing is of
       * the moment and need not be replayed, so one that falls between two long polls is lost.
       */
      const say = async (typing: boolean) => {
        const heard = recorder.until(`a typing event { conversationId: ${show(id)}, typing: ${typing} }`, (events) => events.slice(from).some(typingOf(id, typing)))
        let done = false
        void heard.then(() => (done = true), () => (done = true))
        while (!done) {
          await agent.typing!(id, typing)
          await Promise.race([heard.catch(() => undefined), scope.pause(300)])
        }
        await heard
      }
      await say(true)
      const started = recorder.events.slice(from).find(typingOf(id, true)) as Extract<TransportEvent, { type: 'typing' }>
      ensure(started.author && started.author.role !== 'visitor', `the typing event must name who types (an agent), got author ${show(started.author)}`)
      await say(false)
    }
  }
]
