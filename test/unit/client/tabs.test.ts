import { describe, expect, it, vi } from 'vitest'
import { createError } from '../../../src/errors/index.js'
import { createBrowser, leaderAndFollower, shown } from './tabs-helpers.js'

describe('tabs of one site', () => {
  it('open one realtime connection: the leader’s, which relays what arrives', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    expect([leader.streams(), follower.streams()]).toEqual([1, 0])
    browser.backend.reply(conversation.id, 'Hello from support')
    await vi.waitFor(() => expect(shown(follower)).toEqual([['Hello from support', 'sent']]))
    // The same unread count and open thread everywhere.
    await vi.waitFor(() => expect(follower.client.$unread.get()).toEqual(leader.client.$unread.get()))
    expect(leader.client.$unread.get()).toEqual({ [conversation.id]: 1 })
    await leader.client.openConversation(null)
    await vi.waitFor(() => expect(follower.client.$activeId.get()).toBeNull())
  })

  it('relay nothing while no other tab is open, and what arrives once one is', async () => {
    const browser = createBrowser()
    // Hears the site's channel without being a tab: it never says it is open.
    const ear = new BroadcastChannel(`confab:${browser.site}`)
    const relayed: string[] = []
    ear.onmessage = ({ data }) => data.type === 'event' && data.event.type === 'message' && relayed.push(data.event.message.text)
    try {
      const leader = browser.open(true)
      await leader.client.connect()
      const conversation = await leader.client.startConversation()
      browser.backend.reply(conversation.id, 'Alone')
      await vi.waitFor(() => expect(shown(leader)).toEqual([['Alone', 'sent']]))
      const follower = browser.open(false)
      await follower.client.connect()
      browser.backend.reply(conversation.id, 'Two tabs now')
      await vi.waitFor(() => expect(relayed).toEqual(['Two tabs now']))
    } finally {
      ear.close()
    }
  })

  it('send through the leader: the follower never calls the backend, and both show it sent', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    const sent = await follower.client.send('from the second tab')
    expect(sent.status).toBe('sent')
    expect(follower.sends).toEqual([])
    expect(leader.sends.map((m) => m.clientId)).toEqual([sent.clientId])
    await vi.waitFor(() => expect(shown(leader)).toEqual([['from the second tab', 'sent']]))
    expect(shown(follower)).toEqual([['from the second tab', 'sent']])
    expect(browser.backend.messages(conversation.id)).toHaveLength(1)
  })

  it('take over when the leader goes: the new leader connects and sends what the old one left', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    // The leader takes the message, then hangs before the backend answers.
    leader.hold()
    void follower.client.send('handed over twice')
    await vi.waitFor(() => expect(leader.sends).toHaveLength(1))
    leader.leadership.set(false)
    expect(leader.streams()).toBe(0)
    follower.leadership.set(true)
    await vi.waitFor(() => expect(shown(follower)).toEqual([['handed over twice', 'sent']]))
    expect(follower.streams()).toBe(1)
    expect(follower.sends.map((m) => m.clientId)).toEqual(leader.sends.map((m) => m.clientId))
    expect(browser.backend.messages(conversation.id).map((m) => m.text)).toEqual(['handed over twice'])
    browser.backend.reply(conversation.id, 'still here')
    await vi.waitFor(() => expect(shown(leader).at(-1)).toEqual(['still here', 'sent']))
  })

  it('leave the election as the page goes away for good, and stay in it for the back/forward cache', async () => {
    const browser = createBrowser()
    const pagehide = new Set<(event?: { persisted?: boolean }) => void>()
    const network = { onLine: true, addEventListener: (type: string, listener: (event?: { persisted?: boolean }) => void) => type === 'pagehide' && pagehide.add(listener) }
    const tab = browser.open(true, {}, { network })
    const close = vi.spyOn(tab.leadership, 'close')
    for (const listener of pagehide) listener({ persisted: true })
    expect(close).not.toHaveBeenCalled()
    for (const listener of pagehide) listener({ persisted: false })
    expect(close).toHaveBeenCalledOnce()
  })

  it('keep a tab’s order across a change of leader: what the outbox holds goes before what comes meanwhile', async () => {
    const browser = createBrowser()
    const leader = browser.open(true)
    await leader.client.connect()
    const conversation = await leader.client.startConversation()
    const gate: { closed?: Promise<void> } = {}
    const follower = browser.open(false, gate)
    await follower.client.connect()
    let release!: () => void
    gate.closed = new Promise((resolve) => (release = resolve))
    await follower.client.openConversation(conversation.id)
    leader.hold()
    const first = follower.client.send('first')
    await vi.waitFor(() => expect(leader.sends).toHaveLength(1))
    leader.leadership.set(false)
    // The new leader reads the outbox; the next message arrives before that read returns.
    follower.leadership.set(true)
    const second = follower.client.send('second')
    await new Promise((resolve) => setTimeout(resolve, 20))
    release()
    await Promise.all([first, second])
    expect(browser.backend.messages(conversation.id).map((m) => m.text)).toEqual(['first', 'second'])
  })

  it('hand a tab’s messages to the leader in the order they were sent, one typed before the tab painted included', async () => {
    const browser = createBrowser()
    const leader = browser.open(true)
    await leader.client.connect()
    const conversation = await leader.client.startConversation()
    // A new tab, whose session waits for the backend: the first message comes before it has
    // painted the thread from the device.
    const follower = browser.open(false)
    const connect = follower.transport.connect
    let answer!: () => void
    const answered = new Promise<void>((resolve) => (answer = resolve))
    follower.transport.connect = async (options) => (await answered, connect(options))
    const sends = [follower.client.send('first')]
    await vi.waitFor(() => expect(follower.client.$activeId.get()).toBe(conversation.id))
    sends.push(follower.client.send('second'), follower.client.send('third'))
    await vi.waitFor(() => expect(leader.sends).toHaveLength(3))
    answer()
    await Promise.all(sends)
    expect(follower.sends).toEqual([])
    expect(browser.backend.messages(conversation.id).map((m) => m.text)).toEqual(['first', 'second', 'third'])
  })

  it('forget a discarded failed message in every tab', async () => {
    const { browser, leader, follower, conversation } = await leaderAndFollower()
    browser.backend.failNextSends(1, createError('http', 'Refused', { status: 400 }))
    const failed = await follower.client.send('refused')
    expect(failed.status).toBe('failed')
    await vi.waitFor(() => expect(shown(leader)).toEqual([['refused', 'failed']]))
    follower.client.discard(failed.clientId!)
    await vi.waitFor(() => expect(shown(leader)).toEqual([]))
  })
})
