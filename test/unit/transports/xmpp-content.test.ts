import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/client/index.js'
import { isConfabError } from '../../../src/errors/index.js'
import type { Message, TransportEvent } from '../../../src/transports/types.js'
import { createXmppTransport } from '../../../src/transports/xmpp/index.js'
import { el, NS } from '../../../src/transports/xmpp/xml.js'
import { createXmppAgent, type XmppAgent } from '../../support/xmpp/agent.js'
import { AGENT_CONTENT, VISITOR_CONTENT } from '../../support/xmpp/content-fixtures.js'
import { useVisitors, useXmppServer, xmppHarness } from '../../support/xmpp/harness.js'
import { nodeGlobals } from '../../support/xmpp/node.js'

// Rich content between the visitor's transport and an agent's XMPP client, through a real Prosody
// and a real ejabberd started on 127.0.0.1.

/** A message's content: what is left once who, where and when are taken away. */
const contentOf = ({ id: _id, conversationId: _c, author: _a, createdAt: _t, clientId: _k, ...content }: Message) => content

const messageEvents = (events: TransportEvent[]) => events.flatMap((e) => (e.type === 'message' ? [e.message] : []))

for (const kind of ['prosody', 'ejabberd'] as const) {
  describe(`XMPP rich content on ${kind}`, () => {
    const env = useXmppServer(kind)
    const { transport, visitorInRoom } = useVisitors(env)
    const others: XmppAgent[] = []

    afterEach(() => {
      for (const agent of others.splice(0)) agent.close()
    })

    /** Come back as the same visitor, as after a reload. */
    async function reload(resumeKey: string | undefined) {
      const back = transport()
      await back.connect({ resumeKey })
      return back
    }

    /** Wait until `agent` saw a message with `text` in conversation `id`. */
    async function agentSees(agent: XmppAgent, id: string, text: string) {
      for (let waited = 0; !agent.seen.some((m) => m.room === id && m.text === text); waited += 20) {
        if (waited > 4000) throw new Error(`the agent did not see "${text}"; it saw ${JSON.stringify(agent.seen.map((m) => m.text))}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return agent.seen.find((m) => m.room === id && m.text === text)!
    }

    it('declares every part type as carried', () => {
      expect([...(transport().capabilities.content ?? [])].sort()).toEqual(
        ['cards', 'file', 'form', 'form-response', 'image', 'location', 'rating', 'rating-response'].sort()
      )
    })

    it('brings an agent’s message with every part type, quick replies, buttons and the rest to the visitor unchanged, live and from the archive', async () => {
      const { session, id, seen, visitor } = await visitorInRoom()
      await env.agent.send(id, AGENT_CONTENT)
      await seen.until('the agent’s message', (events) => messageEvents(events).length > 0)
      const [live] = messageEvents(seen.events)
      expect(live!.author.role).toBe('agent')
      expect(contentOf(live!)).toStrictEqual(AGENT_CONTENT)
      const page = await visitor.history(id)
      expect(page.messages.map(contentOf)).toStrictEqual([AGENT_CONTENT])
      const back = await reload(session.resumeKey)
      expect((await back.history(id)).messages.map(contentOf)).toStrictEqual([AGENT_CONTENT])
    })

    it('brings a visitor’s images, file, location, form response and rating to the agent unchanged, and send() answers with what the room stored', async () => {
      const { visitor, id } = await visitorInRoom()
      const stored = await visitor.send(id, { clientId: `rich-${kind}`, ...VISITOR_CONTENT })
      expect(contentOf(stored)).toStrictEqual(VISITOR_CONTENT)
      expect(stored.clientId).toBe(`rich-${kind}`)
      const atAgent = await agentSees(env.agent, id, VISITOR_CONTENT.text)
      const { text: _text, ...rest } = VISITOR_CONTENT
      expect(atAgent.content).toStrictEqual(rest)
      expect((await visitor.history(id)).messages.map(contentOf)).toStrictEqual([VISITOR_CONTENT])
    })

    it('shows a plain XMPP client every rich message as its text with links to its files, and the visitor’s answers as standard data forms', async () => {
      const { visitor, id } = await visitorInRoom()
      await env.agent.send(id, AGENT_CONTENT)
      await visitor.send(id, { clientId: `plain-${kind}`, ...VISITOR_CONTENT })
      const plain = await createXmppAgent(env.server, { username: `plain-${kind}`, nick: 'Observer', autoJoin: false })
      others.push(plain)
      await plain.join(id)
      expect(plain.seen.map((m) => m.body)).toEqual([
        `${AGENT_CONTENT.text}\nhttps://cdn.example.com/parcel.png?size=2&x=<y>\nhttps://cdn.example.com/invoice.pdf`,
        `${VISITOR_CONTENT.text}\nhttps://cdn.example.com/photo.jpg\nhttps://cdn.example.com/receipt.pdf`
      ])
      // What a XEP-0004 reader finds in the visitor's form response, without any Confab code.
      const stanza = new nodeGlobals.DOMParser().parseFromString(plain.seen[1]!.xml, 'text/xml').documentElement
      const submitted = [...stanza.getElementsByTagNameNS(NS.data, 'field')].map((f) => [f.getAttribute('var'), ...[...f.getElementsByTagNameNS(NS.data, 'value')].map((v) => v.textContent)])
      expect(submitted).toEqual([
        ['FORM_TYPE', 'urn:confab:content:1#form'],
        ['order', '1234'],
        ['size', 'l'],
        ['extras', 'wrap'],
        ['FORM_TYPE', 'urn:confab:content:1#rating'],
        ['score', '4'],
        ['comment', (VISITOR_CONTENT.parts![4] as { comment: string }).comment]
      ])
    })

    it('delivers a postback once per client id through repeats, a lost answer and a reload, and shows it to no one', async () => {
      const { visitor, session, id, seen } = await visitorInRoom()
      await env.agent.reply(id, 'Pick one')
      const first = { clientId: `pb1-${kind}`, payload: 'HANDOFF', messageId: 'm-1', actionId: 'human' }
      await Promise.all([visitor.postback!(id, first), visitor.postback!(id, first)])
      await visitor.postback!(id, first)

      const second = { clientId: `pb2-${kind}`, payload: 'PLAN <basic> & more' }
      await env.proxy.loseNextAnswer(session)
      const lost = await visitor.postback!(id, second).then(
        () => undefined,
        (error: unknown) => error
      )
      expect(isConfabError(lost) && lost.retryable).toBe(true)
      await visitor.postback!(id, second)
      const back = await reload(session.resumeKey)
      await back.postback!(id, second)
      await back.postback!(id, first)

      expect(await env.agent.postbacks(id)).toEqual([first, second])
      // Never a message: not live, not in the history, not as the conversation's latest.
      expect(messageEvents(seen.events).map((m) => m.text)).toEqual(['Pick one'])
      expect((await back.history(id)).messages.map((m) => m.text)).toEqual(['Pick one'])
      expect((await back.getConversation(id)).lastMessage?.text).toBe('Pick one')
      expect(env.agent.seen.filter((m) => m.room === id)).toEqual([])
    })

    it('lets a visitor’s client use a postback button and a quick reply, answer a form and rate, each reaching the agent once', async () => {
      const client = createClient({ transport: createXmppTransport(env.options()), resumeKeyStore: null, cache: null, network: null, isVisible: () => true })
      const errors: Error[] = []
      client.on('error', (error) => errors.push(error))
      try {
        await client.connect()
        await client.send('Hello')
        const id = client.$activeId.get()!
        await env.agent.send(id, AGENT_CONTENT)
        for (let waited = 0; !client.$activeMessages.get().some((m) => m.author.role === 'agent'); waited += 20) {
          if (waited > 4000) throw new Error('the agent’s message did not reach the client')
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        const message = client.$activeMessages.get().find((m) => m.author.role === 'agent')!
        // Nothing left out by the client's content guard: every part came as the rules want it.
        expect(errors).toEqual([])
        expect(contentOf(message)).toMatchObject(AGENT_CONTENT)

        const [yes, , human] = AGENT_CONTENT.replies!
        await client.act(message, human!)
        await client.act(message, yes!)
        await client.submitForm(message, { order: '1234', size: 'l', extras: ['wrap'] })
        await client.rate(message, 5, 'Great')

        expect(await env.agent.postbacks(id)).toEqual([{ clientId: expect.any(String), payload: 'HANDOFF', messageId: message.id, actionId: 'human' }])
        const answers = await Promise.all(['Yes <please>', 'Order number: 1234\nSize: Large <XL>\nExtras: Gift wrap', '★★★★★ 5 out of 5\nGreat'].map((text) => agentSees(env.agent, id, text)))
        expect(answers.map((m) => m.content)).toEqual([
          { replyTo: { messageId: message.id, actionId: 'yes' } },
          {
            parts: [
              {
                type: 'form-response',
                fields: [
                  { name: 'order', label: 'Order number', value: '1234' },
                  { name: 'size', label: 'Size', value: 'l' },
                  { name: 'extras', label: 'Extras', value: ['wrap'] }
                ]
              }
            ],
            replyTo: { messageId: message.id }
          },
          { parts: [{ type: 'rating-response', score: 5, comment: 'Great' }], replyTo: { messageId: message.id } }
        ])
        // The postback shows nowhere: the visitor sees the agent's message and the three answers.
        expect(client.$activeMessages.get().map((m) => m.text)).toEqual(['Hello', AGENT_CONTENT.text, ...answers.map((m) => m.text)])
      } finally {
        await client.shutdown()
      }
    })

    it('shows an upload shared from a plain XMPP client as an image, named rather than its URL repeated as text', async () => {
      const { id, seen } = await visitorInRoom()
      const url = 'https://upload.example/f00/photo%20of%20parcel.jpg'
      await env.agent.sendXml(id, el('body', {}, url), el('x', { xmlns: NS.oob }, el('url', {}, url)))
      await seen.until('the upload', (events) => messageEvents(events).length > 0)
      expect(contentOf(messageEvents(seen.events)[0]!)).toStrictEqual({ text: 'photo of parcel.jpg', parts: [{ type: 'image', url, name: 'photo of parcel.jpg' }] })
    })

    it('keeps a message whose Confab element is broken or holds an unknown part, and reports the broken one', async () => {
      const { id, seen, visitor } = await visitorInRoom()
      await env.agent.sendXml(id, el('body', {}, 'Broken inside'), el('content', { xmlns: NS.confab }, '{"parts": ['))
      await xmppHarness(env, kind, 'anonymous').faults!.storeUnknownPart!(id, { text: 'From a newer bot', replies: AGENT_CONTENT.replies })
      await seen.until('both messages', (events) => messageEvents(events).length === 2)
      const [broken, unknown] = messageEvents(seen.events)
      expect(contentOf(broken!)).toStrictEqual({ text: 'Broken inside' })
      expect(contentOf(unknown!)).toStrictEqual({ text: 'From a newer bot', replies: AGENT_CONTENT.replies, parts: [{ type: 'x-unknown' }] })
      const errors = seen.events.flatMap((e) => (e.type === 'error' ? [e.error] : []))
      expect(errors.map((e) => [isConfabError(e) && e.code, e.message.includes('not a JSON object')])).toEqual([['malformed-event', true]])
      expect((await visitor.history(id)).messages.map(contentOf)).toStrictEqual([contentOf(broken!), contentOf(unknown!)])
    })
  })
}
