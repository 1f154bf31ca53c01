import { describe, expect, it } from 'vitest'
import { agentSend, openEvents, sleep, startServer, visitor, type Message } from './helpers.js'

describe('demo bot', () => {
  it('answers a visitor no agent answered in time', async () => {
    const server = await startServer({ botDelayMs: 50 })
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    await v.send('anyone there?')
    await events.next()
    const answer = await events.next()
    expect(answer.data.message).toMatchObject({ seq: 2, author: { role: 'bot', name: 'Confab bot' } })
    expect(answer.data.message.text).toMatch(/agent will answer/)
    events.close()
  })

  it('stays quiet when an agent answers first', async () => {
    const server = await startServer({ botDelayMs: 80 })
    const v = await visitor(server)
    await v.send('hello')
    await agentSend(server, v.conversation.id, 'Hi, I am here')
    await sleep(160)
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(body.messages.map((m: Message) => m.author.role)).toEqual(['visitor', 'agent'])
  })

  it('answers only once while no agent has written', async () => {
    const server = await startServer({ botDelayMs: 30 })
    const v = await visitor(server)
    await v.send('first')
    await sleep(90)
    await v.send('second')
    await sleep(90)
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(body.messages.map((m: Message) => m.author.role)).toEqual(['visitor', 'bot', 'visitor'])
  })

  it('leaves a conversation an agent wrote in recently to the agent', async () => {
    const server = await startServer({ botDelayMs: 30 })
    const v = await visitor(server)
    await agentSend(server, v.conversation.id, 'Hi, how can I help?')
    await v.send('my order is late')
    await sleep(90)
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(body.messages.map((m: Message) => m.author.role)).toEqual(['agent', 'visitor'])
  })

  it('is off when the delay is 0', async () => {
    const server = await startServer({ botDelayMs: 0 })
    const v = await visitor(server)
    await v.send('hello?')
    await sleep(100)
    const { body } = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(body.messages).toHaveLength(1)
  })
})
