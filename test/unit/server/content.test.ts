import { describe, expect, it } from 'vitest'
import { AGENT_CONTENT, VISITOR_CONTENT } from '../content-fixtures.js'
import { AGENT_KEY, openEvents, startServer, visitor, type TestServer } from './helpers.js'

const agentPost = (server: TestServer, id: string, body: unknown) =>
  server.call('POST', `/v1/agent/conversations/${id}/messages`, { token: AGENT_KEY, body })

describe('rich content on the reference server', () => {
  it('stores an agent message with every part type and serves it in history as sent', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    expect(sent.status).toBe(201)
    expect(sent.body).toMatchObject(AGENT_CONTENT)
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0]).toEqual(sent.body)
  })

  it('stores a visitor message with every part type a visitor may send', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const sent = await server.call('POST', path, { token: v.token, body: { clientId: 'v1', ...VISITOR_CONTENT } })
    expect(sent.status).toBe(201)
    expect(sent.body).toMatchObject(VISITOR_CONTENT)
  })

  it('leaves unknown keys of a message out of what it stores', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const sent = await server.call('POST', path, { token: v.token, body: { clientId: 'v1', text: 'hi', seq: 99, admin: true } })
    expect(sent.status).toBe(201)
    expect(sent.body).not.toHaveProperty('admin')
    expect(sent.body.seq).toBe(1)
  })

  it('refuses a card from a visitor with 400 naming the part', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const body = { clientId: 'v1', text: 'hi', parts: [AGENT_CONTENT.parts![3]] }
    const { status, body: answer } = await server.call('POST', path, { token: v.token, body })
    expect(status).toBe(400)
    expect(answer.error).toEqual({ code: 'bad-request', message: '"parts[0].type" cards is sent by agents and bots, not by visitors' })
  })

  it('refuses metadata over 4 KB with 413', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const { status, body } = await agentPost(server, v.conversation.id, { clientId: 'a1', text: 'hi', metadata: { x: 'y'.repeat(5000) } })
    expect(status).toBe(413)
    expect(body.error).toEqual({ code: 'too-large', message: '"metadata" is larger than 4096 bytes as JSON' })
  })

  it('sends the content in the event stream and as the conversation\'s last message', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: v.token })
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    expect((await events.next()).data.message).toEqual(sent.body)
    events.close()
    const conversation = await server.call('GET', `/v1/conversations/${v.conversation.id}`, { token: v.token })
    expect(conversation.body.lastMessage).toEqual(sent.body)
  })

  it('keeps the content through a restart', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    await server.restart()
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0]).toEqual(sent.body)
  })

  it('finds a message by the title of one of its cards', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const sent = await agentPost(server, v.conversation.id, { clientId: 'a1', ...AGENT_CONTENT })
    const { body } = await server.call('GET', '/v1/search?q=basic', { token: v.token })
    expect(body.hits).toEqual([{ message: sent.body }])
  })

  const card = (extra: object = {}) => ({ type: 'cards', layout: 'carousel', items: [{ title: 'A', ...extra }] })
  const form = (field: object) => ({ type: 'form', fields: [{ name: 'f', label: 'F', type: 'text', ...field }] })
  const reply = (extra: object = {}) => ({ type: 'reply', id: 'r', label: 'R', ...extra })

  it.each<[string, object, number, string]>([
    ['parts that are not a list', { parts: {} }, 400, '"parts" must be an array of parts'],
    ['11 parts', { parts: Array.from({ length: 11 }, () => ({ type: 'rating' })) }, 413, '"parts" must hold 1 to 10 parts'],
    ['a part of an unknown type', { parts: [{ type: 'video' }] }, 400, '"parts[0].type" is not a part type this client knows ("video")'],
    ['an image without a url', { parts: [{ type: 'image' }] }, 400, '"parts[0].url" is missing'],
    ['an image from a javascript: URL', { parts: [{ type: 'image', url: 'javascript:alert(1)' }] }, 400, '"parts[0].url" must be a URL starting with https: or http:'],
    ['a file without a name', { parts: [{ type: 'file', url: 'https://a.example/f' }] }, 400, '"parts[0].name" is missing'],
    ['a latitude of 91', { parts: [{ type: 'location', latitude: 91, longitude: 0 }] }, 400, '"parts[0].latitude" must be between -90 and 90'],
    ['cards in a grid layout', { parts: [{ type: 'cards', layout: 'grid', items: [] }] }, 400, '"parts[0].layout" must be carousel or list'],
    ['no cards', { parts: [{ type: 'cards', layout: 'list', items: [] }] }, 400, '"parts[0].items" must hold 1 to 10 cards'],
    ['a card title over 80 characters', { parts: [card({ title: 'x'.repeat(81) })] }, 413, '"parts[0].items[0].title" is longer than 80 characters'],
    ['a card with 4 buttons', { parts: [card({ actions: [1, 2, 3, 4].map((i) => reply({ id: `r${i}` })) })] }, 413, '"parts[0].items[0].actions" must hold 1 to 3 actions'],
    ['a form field of type date', { parts: [form({ type: 'date' })] }, 400, '"parts[0].fields[0].type" must be one of text, email, number, select, multiselect'],
    ['a select without options', { parts: [form({ type: 'select' })] }, 400, '"parts[0].fields[0].options" must be an array of choices'],
    ['two forms', { parts: [form({}), form({})] }, 400, '"parts" holds at most one form'],
    ['a rating score of 6', { parts: [{ type: 'rating-response', score: 6 }] }, 400, '"parts[0].score" must be between 1 and 5'],
    ['a link action to a data: URL', { actions: [{ type: 'link', id: 'l', label: 'L', url: 'data:text/html,x' }] }, 400, '"actions[0].url" must be a URL starting with http: or https: or mailto: or tel:'],
    ['a quick reply of type link', { replies: [{ type: 'link', id: 'l', label: 'L', url: 'https://a.example' }] }, 400, '"replies[0].type" must be one of reply, postback'],
    ['a postback without payload', { replies: [{ type: 'postback', id: 'p', label: 'P' }] }, 400, '"replies[0].payload" is missing'],
    ['a blank button label', { actions: [reply({ label: ' ' })] }, 400, '"actions[0].label" is blank'],
    ['two actions with one id', { replies: [reply(), reply()] }, 400, '"replies[1].id" repeats the id "r"'],
    ['a host action without name', { actions: [{ type: 'host', id: 'h', label: 'Buy' }] }, 400, '"actions[0].name" is missing'],
    ['a blockComposer that is not boolean', { blockComposer: 'yes' }, 400, '"blockComposer" must be true or false'],
    ['a replyTo without messageId', { replyTo: {} }, 400, '"replyTo.messageId" is missing'],
    ['metadata that is a list', { metadata: [1] }, 400, '"metadata" must be an object'],
    ['text over 5000 characters', { text: 'x'.repeat(5001) }, 413, '"text" is longer than 5000 characters']
  ])('refuses an agent message with %s', async (_, content, status, message) => {
    const server = await startServer()
    const v = await visitor(server)
    const answer = await agentPost(server, v.conversation.id, { clientId: 'a1', text: 'hi', ...content })
    expect({ status: answer.status, error: answer.body.error }).toEqual({
      status,
      error: { code: status === 413 ? 'too-large' : 'bad-request', message }
    })
  })

  it.each<[string, object]>([
    ['quick replies', { replies: [reply()] }],
    ['buttons', { actions: [reply()] }],
    ['blockComposer', { blockComposer: true }],
    ['a form', { parts: [form({})] }],
    ['a rating request', { parts: [{ type: 'rating' }] }]
  ])('refuses %s from a visitor with 400', async (_, content) => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/conversations/${v.conversation.id}/messages`
    const answer = await server.call('POST', path, { token: v.token, body: { clientId: 'v1', text: 'hi', ...content } })
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(/is sent by agents and bots, not by visitors/)
  })

  it('stores a message with a part of an unknown type through the unchecked-message fault', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const path = `/v1/_faults/conversations/${v.conversation.id}/unchecked-message`
    const answer = await server.call('POST', path, { token: AGENT_KEY, body: { text: 'New!', parts: [{ type: 'x-unknown' }] } })
    expect(answer.status).toBe(201)
    const history = await server.call('GET', `/v1/conversations/${v.conversation.id}/messages`, { token: v.token })
    expect(history.body.messages[0]).toMatchObject({ text: 'New!', parts: [{ type: 'x-unknown' }], author: { role: 'agent' } })
  })
})
