import { describe, expect, it } from 'vitest'
import type { TransportEvent } from '../../../src/transports/types.js'
import { createXmppAgent } from '../../support/xmpp/agent.js'
import { useVisitors, useXmppServer } from '../../support/xmpp/harness.js'

// Read receipts as displayed chat markers (XEP-0333) in the conversation's room, against a real
// Prosody and a real ejabberd on 127.0.0.1.
const reads = (events: TransportEvent[]) => events.flatMap((e) => (e.type === 'read' ? [`${e.reader.role} ${e.messageId}`] : []))

for (const kind of ['prosody', 'ejabberd'] as const) {
  describe(`XMPP read receipts on ${kind}`, () => {
    const env = useXmppServer(kind)
    const { visitorInRoom } = useVisitors(env)
    let agents = 0

    it("sends a displayed marker naming the room's stanza-id, which the room archives for anyone who joins later", async () => {
      const { visitor, id } = await visitorInRoom()
      await env.agent.reply(id, 'Your order shipped')
      const [reply] = (await visitor.history(id)).messages
      await visitor.markRead!(id, reply!.id)
      const late = await createXmppAgent(env.server, { username: `reader-${kind}-${++agents}`, nick: 'Late', autoJoin: false })
      try {
        await late.join(id)
        expect(late.markers.filter((m) => m.room === id).map((m) => m.id)).toEqual([reply!.id])
      } finally {
        late.close()
      }
    })

    it("marks the visitor's messages markable, so any XMPP client may say it read them", async () => {
      const { visitor, id } = await visitorInRoom()
      await visitor.send(id, { clientId: 'k1', text: 'Anyone there?' })
      await env.agent.join(id)
      await expect.poll(() => env.agent.seen.find((m) => m.room === id)?.xml).toContain('urn:xmpp:chat-markers:0')
      expect(env.agent.seen.find((m) => m.room === id)!.xml).toMatch(/<markable[^>]*xmlns="urn:xmpp:chat-markers:0"/)
    })

    it("turns the agent's marker into one read event, and one naming an older message after it into none", async () => {
      const { visitor, id, seen } = await visitorInRoom()
      const first = await visitor.send(id, { clientId: 'q1', text: 'First' })
      const second = await visitor.send(id, { clientId: 'q2', text: 'Second' })
      await env.agent.markRead(id, second.id)
      await seen.until('the read event', (list) => reads(list).length > 0)
      await env.agent.markRead(id, first.id)
      await env.agent.reply(id, 'a witness after the older marker')
      await seen.until('the witness', () => seen.texts().includes('a witness after the older marker'))
      expect(reads(seen.events)).toEqual([`agent ${second.id}`])
      expect((await visitor.getConversation(id)).read?.agent).toMatchObject({ messageId: second.id, reader: { role: 'agent', name: 'Agent' } })
    })

    it('fills a history page past the markers the archive keeps between messages', async () => {
      const { visitor, id } = await visitorInRoom()
      for (let i = 1; i <= 6; i++) {
        const sent = await visitor.send(id, { clientId: `m${i}`, text: `Question ${i}` })
        await env.agent.markRead(id, sent.id)
      }
      const page = await visitor.history(id, { limit: 4 })
      expect(page.messages.map((m) => m.text)).toEqual(['Question 3', 'Question 4', 'Question 5', 'Question 6'])
      const older = await visitor.history(id, { limit: 4, before: page.before! })
      expect(older.messages.map((m) => m.text)).toEqual(['Question 1', 'Question 2'])
      expect(older.before).toBeNull()
    })
  })
}
