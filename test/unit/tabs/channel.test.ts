import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTabChannel, type TabChannel, type TabMessage } from '../../../src/tabs/channel.js'

let sites = 0
const opened: TabChannel[] = []
afterEach(() => opened.splice(0).forEach((channel) => channel.close()))

/** The channels of tabs of one site, opened one after the other. */
function site() {
  const name = `channel-${++sites}`
  return () => {
    const channel = createTabChannel(name)
    opened.push(channel)
    return channel
  }
}

describe('the tab channel', () => {
  it('knows no other tab is open when it is alone', async () => {
    const first = site()()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(first.others).toBe(false)
  })

  it('knows another tab is open once that tab opens its channel', async () => {
    const open = site()
    const first = open()
    open()
    await vi.waitFor(() => expect(first.others).toBe(true))
  })

  it('hears back from the tabs already open as it opens', async () => {
    const open = site()
    open()
    const later = open()
    await vi.waitFor(() => expect(later.others).toBe(true))
  })

  it('knows a tab is gone once it closed its channel', async () => {
    const open = site()
    const first = open()
    const second = open()
    await vi.waitFor(() => expect(first.others).toBe(true))
    second.close()
    await vi.waitFor(() => expect(first.others).toBe(false))
  })

  it('keeps what tabs say about themselves from its listeners', async () => {
    const open = site()
    const first = open()
    const heard: TabMessage[] = []
    first.listen((message) => heard.push(message))
    const second = open()
    await vi.waitFor(() => expect(first.others).toBe(true))
    second.post({ type: 'hello', person: 'v-1' })
    await vi.waitFor(() => expect(heard).toEqual([{ type: 'hello', person: 'v-1' }]))
  })
})
