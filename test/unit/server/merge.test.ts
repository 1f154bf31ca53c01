import { describe, expect, it } from 'vitest'
import { openEvents, sleep, visitor, type Conversation } from './helpers.js'
import { signIn, signToken, startIdentityServer, userToken } from './identity-helpers.js'

const ids = (list: { body: { conversations: Conversation[] } }) => list.body.conversations.map((c) => c.id)

describe('merging an anonymous visitor into an identified user', () => {
  it('moves the anonymous visitor conversations, with their messages, to the user', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    const sent = await anonymous.send('Where is my order?')
    const user = await signIn(server, userToken('user-1'), anonymous.resumeKey)
    const list = await server.call('GET', '/v1/conversations', { token: user.body.token })
    expect(ids(list)).toEqual([anonymous.conversation.id])
    const history = await server.call('GET', `/v1/conversations/${anonymous.conversation.id}/messages`, { token: user.body.token })
    expect(history.body.messages).toEqual([sent.body])
  })

  it('shows the moved conversations on the user other devices', async () => {
    const server = await startIdentityServer()
    const phone = await signIn(server, userToken('user-1'))
    const anonymous = await visitor(server)
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    const list = await server.call('GET', '/v1/conversations', { token: phone.body.token })
    expect(ids(list)).toEqual([anonymous.conversation.id])
  })

  it('sends a conversation event for each moved conversation to the user streams', async () => {
    const server = await startIdentityServer()
    const phone = await signIn(server, userToken('user-1'))
    const events = await openEvents(server.url, '/v1/events', { token: phone.body.token })
    const anonymous = await visitor(server)
    const other = await server.call('POST', '/v1/conversations', { token: anonymous.token, body: { mode: 'chat' } })
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    const moved = [await events.next(), await events.next()]
    expect(moved.map((e) => e.event)).toEqual(['conversation', 'conversation'])
    expect(moved.map((e) => e.data.conversation.id)).toEqual([anonymous.conversation.id, other.body.id])
    expect(Number(moved[1]!.id)).toBe(Number(moved[0]!.id) + 1)
    events.close()
  })

  it('lists the user own and moved conversations together, newest activity first', async () => {
    const server = await startIdentityServer()
    const user = await signIn(server, userToken('user-1'))
    const own = await server.call('POST', '/v1/conversations', { token: user.body.token, body: { mode: 'messaging' } })
    const anonymous = await visitor(server)
    await sleep(5)
    await anonymous.send('newest')
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    const list = await server.call('GET', '/v1/conversations', { token: user.body.token })
    expect(ids(list)).toEqual([anonymous.conversation.id, own.body.id])
  })

  it('starts a fresh anonymous visitor for the resume key of a merged visitor', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    const { status, body } = await server.call('POST', '/v1/sessions', { body: { resumeKey: anonymous.resumeKey } })
    expect(status).toBe(201)
    expect(body.visitorId).not.toBe(anonymous.visitorId)
    expect(body.resumeKey).not.toBe(anonymous.resumeKey)
    expect(ids(await server.call('GET', '/v1/conversations', { token: body.token }))).toEqual([])
  })

  it('refuses the merged visitor old token with 401', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    expect((await server.call('GET', '/v1/conversations', { token: anonymous.token })).status).toBe(401)
    expect((await anonymous.send('still me?')).status).toBe(401)
  })

  it('ends the merged visitor open event stream', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: anonymous.token })
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    await events.ended
  })

  it('keeps the merge after a restart', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    await anonymous.send('before the restart')
    await signIn(server, userToken('user-1'), anonymous.resumeKey)
    await server.restart()
    const user = await signIn(server, userToken('user-1'))
    expect(ids(await server.call('GET', '/v1/conversations', { token: user.body.token }))).toEqual([anonymous.conversation.id])
    expect((await server.call('GET', '/v1/conversations', { token: anonymous.token })).status).toBe(401)
    const fresh = await server.call('POST', '/v1/sessions', { body: { resumeKey: anonymous.resumeKey } })
    expect(fresh.body.visitorId).not.toBe(anonymous.visitorId)
    expect((await anonymous.send('after the restart')).status).toBe(401)
  })

  it('never merges the conversations behind a resume key already merged into another user', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    const alice = await signIn(server, userToken('alice'), anonymous.resumeKey)
    const bob = await signIn(server, userToken('bob'), anonymous.resumeKey)
    expect(bob.status).toBe(201)
    expect(ids(await server.call('GET', '/v1/conversations', { token: bob.body.token }))).toEqual([])
    expect(ids(await server.call('GET', '/v1/conversations', { token: alice.body.token }))).toEqual([anonymous.conversation.id])
  })

  it('ignores a resume key the server does not know', async () => {
    const server = await startIdentityServer()
    const { status, body } = await signIn(server, userToken('user-1'), 'forgotten')
    expect(status).toBe(201)
    expect(ids(await server.call('GET', '/v1/conversations', { token: body.token }))).toEqual([])
  })

  it('leaves the anonymous visitor alone when the identity is refused', async () => {
    const server = await startIdentityServer()
    const anonymous = await visitor(server)
    const expired = signToken({ sub: 'user-1', exp: Math.floor(Date.now() / 1000) - 3600 })
    expect((await signIn(server, expired, anonymous.resumeKey)).status).toBe(401)
    const resumed = await server.call('POST', '/v1/sessions', { body: { resumeKey: anonymous.resumeKey } })
    expect(resumed.body.visitorId).toBe(anonymous.visitorId)
    expect(ids(await server.call('GET', '/v1/conversations', { token: anonymous.token }))).toEqual([anonymous.conversation.id])
  })
})
