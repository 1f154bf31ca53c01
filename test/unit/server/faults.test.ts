import { describe, expect, it } from 'vitest'
import { AGENT_KEY, startServer, visitor } from './helpers.js'

describe('fault injection', () => {
  it('can be switched on from the options', async () => {
    const server = await startServer({ faults: { fail503: 1 } })
    expect((await server.call('POST', '/v1/sessions', { body: {} })).status).toBe(503)
  })

  it('is off by default', async () => {
    const server = await startServer()
    const v = await visitor(server)
    for (let i = 0; i < 10; i++) expect((await v.send(`m${i}`)).status).toBe(201)
  })

  it('refuses visitor requests with 503 and Retry-After when fail503 is 1', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { fail503: 1 } })
    const { status, headers, body } = await v.send('refused')
    expect(status).toBe(503)
    expect(headers.get('retry-after')).toBe('1')
    expect(body.error.code).toBe('unavailable')
    // The agent API is left alone.
    expect((await server.call('GET', '/v1/agent/conversations', { token: AGENT_KEY })).status).toBe(200)
  })

  it('stores a message but drops the response when dropAfterCommit is 1', async () => {
    const server = await startServer()
    const v = await visitor(server)
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { dropAfterCommit: 1 } })
    await expect(v.send('lost answer', 'k-lost')).rejects.toThrow()
    await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: {} })
    const retry = await v.send('lost answer', 'k-lost')
    expect(retry.status).toBe(200)
    expect(retry.body.seq).toBe(1)
  })

  it('repeats the same failures for the same seed', async () => {
    const statuses = async () => {
      const server = await startServer()
      const v = await visitor(server)
      await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { fail503: 0.5, seed: 42 } })
      const seen = []
      for (let i = 0; i < 12; i++) seen.push((await v.send(`m${i}`)).status)
      return seen
    }
    const first = await statuses()
    expect(first).toContain(503)
    expect(first).toContain(201)
    expect(await statuses()).toEqual(first)
  })

  it('refuses a fault setting out of range with 400', async () => {
    const server = await startServer()
    const { status } = await server.call('POST', '/v1/_faults', { token: AGENT_KEY, body: { fail503: 2 } })
    expect(status).toBe(400)
  })

  it('needs the agent key to change faults', async () => {
    const server = await startServer()
    expect((await server.call('POST', '/v1/_faults', { body: { fail503: 1 } })).status).toBe(401)
  })
})
