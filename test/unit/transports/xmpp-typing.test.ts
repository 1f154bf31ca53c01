import { describe, expect, it } from 'vitest'
import type { TransportEvent } from '../../../src/transports/types.js'
import { online } from '../../support/xmpp/events.js'
import { useVisitors, useXmppServer } from '../../support/xmpp/harness.js'

// Chat states (XEP-0085) as the contract's typing, against a real Prosody on 127.0.0.1.
const env = useXmppServer('prosody')
const { visitorInRoom } = useVisitors(env)

const agentTyping = (events: TransportEvent[]) => events.flatMap((e) => (e.type === 'typing' && e.author.role === 'agent' ? [e.typing] : []))

describe('typing over XMPP', () => {
  it("says the visitor's composing once however often the client says it again, and again after a message", async () => {
    const { visitor, id } = await visitorInRoom()
    await env.agent.reply(id, 'Hello')
    const states = () => env.agent.states.filter((s) => s.room === id).map((s) => s.state)
    for (let i = 0; i < 3; i++) await visitor.setTyping!(id, true)
    await visitor.send(id, { clientId: crypto.randomUUID(), text: 'A question' })
    await visitor.setTyping!(id, true)
    await expect.poll(() => env.agent.seen.filter((m) => m.room === id).map((m) => m.text)).toEqual(['A question'])
    // The message itself carried `active` (with its body): composing may be said once more after it.
    await expect.poll(states).toEqual(['composing', 'composing'])
  })

  it("tells again every 3 s that the agent types while their composing holds, and stops at their next state", async () => {
    const { id, seen } = await visitorInRoom()
    await seen.until('online', (list) => online(list))
    await env.agent.typing(id, true)
    await seen.until('the agent typing', (list) => agentTyping(list).length === 1)
    await seen.until('the agent typing, told again', (list) => agentTyping(list).length === 2, 4500)
    await env.agent.typing(id, false)
    await seen.until('the agent stopping', (list) => agentTyping(list).at(-1) === false)
    await new Promise((resolve) => setTimeout(resolve, 3500))
    expect(agentTyping(seen.events)).toEqual([true, true, false])
  }, 20_000)

  it('stops telling that the agent types once their message came', async () => {
    const { id, seen } = await visitorInRoom()
    await seen.until('online', (list) => online(list))
    await env.agent.typing(id, true)
    await seen.until('the agent typing', (list) => agentTyping(list).length === 1)
    await env.agent.reply(id, 'Here it is')
    await seen.until('the reply', () => seen.texts().includes('Here it is'))
    await new Promise((resolve) => setTimeout(resolve, 3500))
    expect(agentTyping(seen.events)).toEqual([true])
  }, 20_000)
})
