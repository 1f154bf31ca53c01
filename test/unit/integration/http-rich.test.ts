import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../../src/client/index.js'
import { createHttpTransport } from '../../../src/transports/http/index.js'
import type { Message } from '../../../src/transports/types.js'
import { AGENT_KEY, type TestServer } from '../server/helpers.js'
import { serverWithDemoBot } from '../server/hook-helpers.js'

const clients: ReturnType<typeof createClient>[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) await client.shutdown()
})

function connectClient(url: string) {
  const client = createClient({ transport: createHttpTransport({ url, events: null, random: () => 0 }), resumeKeyStore: null })
  clients.push(client)
  return client
}

/** The newest message of the open conversation that `test` accepts, once there is one. */
async function shown(client: ReturnType<typeof connectClient>, test: (m: Message) => boolean): Promise<Message> {
  let found: Message | undefined
  await vi.waitFor(() => expect((found = [...client.$activeMessages.get()].reverse().find(test))).toBeDefined(), { timeout: 5000 })
  return found!
}

const agentCall = (server: TestServer, path: string) => server.call('GET', `/v1/agent/${path}`, { token: AGENT_KEY })

describe('the widget client and the demo bot, over HTTP', () => {
  it("shows the bot's greeting with its quick replies, and a chosen one brings the carousel", async () => {
    const { server } = await serverWithDemoBot()
    const client = connectClient(server.url)
    await client.send('hello')
    const greeting = await shown(client, (m) => m.author.role === 'bot')
    expect(greeting.replies?.map((r) => r.label)).toEqual(['Track an order', 'See plans', 'Talk to a person'])
    await client.act(greeting, greeting.replies![1]!)
    const plans = await shown(client, (m) => m.parts?.[0]?.type === 'cards')
    expect(plans.parts![0]).toMatchObject({ layout: 'carousel', items: [{ title: 'Basic' }, { title: 'Pro' }, { title: 'Team' }] })
  })

  it('delivers a postback to the bot exactly once when its first answer is lost', async () => {
    const { server } = await serverWithDemoBot()
    const client = connectClient(server.url)
    await client.send('hello')
    const greeting = await shown(client, (m) => m.author.role === 'bot')
    const conversationId = client.$activeId.get()!
    const { visitorId } = (await agentCall(server, `conversations/${conversationId}`)).body
    await server.call('POST', `/v1/_faults/visitors/${visitorId}`, { token: AGENT_KEY, body: { dropNextPostbacks: 1 } })
    await client.act(greeting, greeting.replies!.find((r) => r.type === 'postback')!)
    await shown(client, (m) => m.blockComposer === true)
    const faults = await server.call('POST', `/v1/_faults/visitors/${visitorId}`, { token: AGENT_KEY, body: {} })
    expect(faults.body.dropNextPostbacks).toBe(0)
    expect((await agentCall(server, `conversations/${conversationId}/postbacks`)).body.postbacks).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const history = (await agentCall(server, `conversations/${conversationId}/messages`)).body.messages as Message[]
    expect(history.filter((m) => m.metadata?.flow === 'handoff')).toHaveLength(1)
    expect(client.$activeMessages.get().some((m) => m.text === 'Talk to a person')).toBe(false)
  })

  it("answers a form submitted through the client with the order's status", async () => {
    const { server } = await serverWithDemoBot()
    const client = connectClient(server.url)
    await client.send('where is my order?')
    const form = await shown(client, (m) => m.parts?.[0]?.type === 'form')
    const answer = await client.submitForm(form, { order: 'B-77', email: 'bo@example.com' })
    expect(answer.parts).toEqual([
      {
        type: 'form-response',
        fields: [
          { name: 'order', label: 'Order number', value: 'B-77' },
          { name: 'email', label: 'Email', value: 'bo@example.com' }
        ]
      }
    ])
    const status = await shown(client, (m) => m.metadata?.flow === 'order-status')
    expect(status.text).toMatch(/^Order \*\*B-77\*\* /)
  })
})
