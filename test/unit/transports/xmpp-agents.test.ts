import { afterEach, describe, expect, it } from 'vitest'
import type { Transport, TransportEvent } from '../../../src/transports/types.js'
import { createXmppTransport, type XmppTransportOptions } from '../../../src/transports/xmpp/index.js'
import { NS } from '../../../src/transports/xmpp/xml.js'
import { createXmppAgent, registerXmppAccount, type XmppAgent } from '../../support/xmpp/agent.js'
import { record } from '../../support/xmpp/events.js'
import { useXmppServer } from '../../support/xmpp/harness.js'

// How agents learn about conversations (direct invitations, kept offline by the server) and what the
// visitor is told about it, against a real Prosody and a real ejabberd on 127.0.0.1.
const FIVE_MINUTES = 5 * 60_000

for (const kind of ['prosody', 'ejabberd'] as const) {
  describe(`XMPP agents on ${kind}`, () => {
    const env = useXmppServer(kind)
    const open: { close(): void }[] = []
    let accounts = 0

    afterEach(() => {
      for (const made of open.splice(0)) made.close()
    })

    function transport(extra: Partial<XmppTransportOptions>) {
      const made = createXmppTransport(env.options(extra))
      open.push(made)
      return made
    }

    /** An agent account of its own for one test, online, that records invitations without accepting them. */
    async function agent(nick: string): Promise<XmppAgent> {
      const made = await createXmppAgent(env.server, { username: `agent-${++accounts}`, nick, autoJoin: false })
      open.push(made)
      return made
    }

    /** The latest `agentPresence` the visitor was told of for conversation `id`. */
    const presenceOf = (events: TransportEvent[], id: string) =>
      events.flatMap((e) => (e.type === 'conversation' && e.conversation.id === id ? [e.conversation.agentPresence] : [])).at(-1)

    /**
     * A visitor of an agent who accepts nothing by itself, on a clock the test moves, and the
     * invitations the visitor has written so far (counted after each send: its echo comes back after
     * everything the visitor wrote before it has passed the relay).
     */
    async function waitingVisitor(clock: { now: number }) {
      const bea = await agent('Bea')
      const visitor = transport({ agents: [bea.jid], now: () => clock.now })
      const session = await visitor.connect({})
      const frames = env.proxy.record(session)
      const seen = record(visitor)
      const { id } = await visitor.createConversation({ mode: 'messaging' })
      const say = (text: string) => visitor.send(id, { clientId: crypto.randomUUID(), text })
      const invitations = () => frames.filter((frame) => frame.includes(NS.conference)).length
      const told = (presence: 'waiting' | 'present') => seen.until(`agentPresence ${presence}`, (list) => presenceOf(list, id) === presence)
      return { bea, session, id, say, invitations, told }
    }

    it('gives an agent who was offline when the visitor wrote one invitation, both messages once, and its reply to the visitor', async () => {
      await registerXmppAccount(env.server, 'late', 'late-secret')
      const visitor: Transport = transport({ agents: [`late@${env.server.domain}`] })
      const session = await visitor.connect({})
      const seen = record(visitor)
      const conversation = await visitor.createConversation({ mode: 'messaging' })
      const { id } = conversation
      expect(conversation.agentPresence).toBe('waiting')
      await visitor.send(id, { clientId: crypto.randomUUID(), text: 'Hello, is anyone there?' })
      await visitor.send(id, { clientId: crypto.randomUUID(), text: 'My parcel never arrived' })

      const late = await createXmppAgent(env.server, { username: 'late', password: 'late-secret', nick: 'Lee' })
      open.push(late)
      const written = () => late.seen.filter((m) => m.room === id).map((m) => [m.nick, m.text])
      await expect.poll(() => written()).toEqual([
        [session.visitorId, 'Hello, is anyone there?'],
        [session.visitorId, 'My parcel never arrived']
      ])
      await seen.until('the agent in the room', (list) => presenceOf(list, id) === 'present')
      await late.reply(id, 'Sorry for the wait: it ships today')
      await seen.until('the agent’s reply', () => seen.texts().includes('Sorry for the wait: it ships today'))
      expect(late.invitations).toEqual([id])
      expect(written()).toHaveLength(2)
    })

    it('tells the visitor a conversation waits for an agent until one comes in, and again once every agent left', async () => {
      const { bea, session, id, told } = await waitingVisitor({ now: Date.now() })
      await bea.join(id)
      await told('present')
      await bea.leave(id)
      await told('waiting')
      await bea.join(id)
      await told('present')
      // A visitor coming back learns it as it rejoins the room.
      const again = transport({ agents: [bea.jid] })
      await again.connect({ resumeKey: session.resumeKey })
      expect((await again.getConversation(id)).agentPresence).toBe('present')
    })

    it('invites again when the visitor writes after the agent came and left, at most once per room every five minutes', async () => {
      const clock = { now: Date.now() }
      const { bea, id, say, invitations, told } = await waitingVisitor(clock)
      await bea.join(id)
      await told('present')
      await bea.leave(id)
      await told('waiting')
      await say('still there?')
      expect(invitations()).toBe(1)
      clock.now += FIVE_MINUTES
      await say('hello again')
      expect(invitations()).toBe(2)
      await expect.poll(() => bea.invitations).toEqual([id, id])
    })

    it('does not invite an agent again while its invitation is still unanswered', async () => {
      const clock = { now: Date.now() }
      const { bea, id, say, invitations } = await waitingVisitor(clock)
      await say('one')
      clock.now += 2 * FIVE_MINUTES
      await say('two')
      expect(invitations()).toBe(1)
      await expect.poll(() => bea.invitations).toEqual([id])
    })

    it('does not invite while an agent is in the room', async () => {
      const clock = { now: Date.now() }
      const { bea, id, say, invitations, told } = await waitingVisitor(clock)
      await bea.join(id)
      await told('present')
      clock.now += 2 * FIVE_MINUTES
      await say('a question for the agent who is here')
      expect(invitations()).toBe(1)
    })
  })
}
