import { describe, expect, it } from 'vitest'
import { agentSend, openEvents, startServer, visitor } from './helpers.js'
import { aim } from './ws-helpers.js'

describe('the silent fault on server-sent events', () => {
  it('stops writing to the visitor\'s open streams without ending them, and ends them on silent: false', async () => {
    const server = await startServer()
    const v = await visitor(server)
    const silenced = await openEvents(server.url, '/v1/events', { token: v.token })
    let ended = false
    void silenced.ended.then(() => (ended = true))
    expect((await aim(server, v.visitorId, { silent: true })).streams).toBe(1)
    await agentSend(server, v.conversation.id, 'unheard')
    expect(await silenced.idle(200)).toEqual([])
    expect(ended).toBe(false)

    // A stream opened meanwhile is served.
    const fresh = await openEvents(server.url, '/v1/events', { token: v.token })
    await agentSend(server, v.conversation.id, 'heard')
    expect((await fresh.next()).data.message.text).toBe('heard')

    expect((await aim(server, v.visitorId, { silent: false })).streams).toBe(1)
    await silenced.ended
    fresh.close()
  })

  it('leaves other visitors alone', async () => {
    const server = await startServer()
    const quiet = await visitor(server)
    const other = await visitor(server)
    const events = await openEvents(server.url, '/v1/events', { token: other.token })
    expect((await aim(server, quiet.visitorId, { silent: true })).streams).toBe(0)
    await agentSend(server, other.conversation.id, 'still flowing')
    expect((await events.next()).data.message.text).toBe('still flowing')
    events.close()
  })
})
