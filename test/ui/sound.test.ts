import { describe, expect, it, vi } from 'vitest'
import { loadPane } from '../../src/ui/pane/load.js'
import { createChime } from '../../src/ui/sound.js'
import { setup } from './setup.js'
import { writable } from '../stores.js'

/**
 * The chime comes with the pane's code: resolves once a chime asked for has had its chance to play
 * (the widget's request for the code was made before this one, and is answered first).
 */
const chimed = () => loadPane().then(() => undefined)

/** A stand-in for WebAudio that counts the contexts made and the notes played. */
function fakeAudio() {
  const played: number[] = []
  let made = 0
  const param = () => ({ setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() })
  class FakeContext {
    currentTime = 0
    destination = {}
    constructor() {
      made++
    }
    resume = () => Promise.resolve()
    createGain = () => ({ gain: param(), connect: vi.fn() })
    createOscillator = () => ({ frequency: param(), connect: vi.fn(), start: (at: number) => played.push(at), stop: vi.fn() })
  }
  return { AudioContext: FakeContext as unknown as new () => AudioContext, played, made: () => made }
}

/** A widget with a conversation the agent can answer in. */
async function withConversation(options: Parameters<typeof setup>[0] = {}) {
  // Each test's widget is the only tab: no election with the widgets of earlier tests.
  const view = setup({ leadership: null, ...options })
  await view.widget.send('Hello')
  const id = view.backend.conversations()[0]!.id
  const reply = async (text: string, role: 'agent' | 'bot' | 'system' = 'agent') => {
    const seen = new Promise((resolve) => view.client.on('message', resolve))
    view.backend.reply(id, text, { role, name: 'Anna' })
    await seen
  }
  return { ...view, reply }
}

describe('the notification sound', () => {
  it('plays when an agent answers while the pane is closed', async () => {
    const audio = fakeAudio()
    const view = await withConversation({ AudioContext: audio.AudioContext })
    expect(audio.made()).toBe(0)
    await view.reply('How can I help?')
    await vi.waitFor(() => expect(audio.played).toHaveLength(1))
    await view.reply('Still there?', 'bot')
    await vi.waitFor(() => expect(audio.played).toHaveLength(2))
    expect(audio.made()).toBe(1)
  })

  it('stays silent while the pane is open and the page visible', async () => {
    const audio = fakeAudio()
    const view = await withConversation({ AudioContext: audio.AudioContext })
    view.widget.open()
    await view.reply('How can I help?')
    await chimed()
    expect(audio.played).toHaveLength(0)
  })

  it('plays while the page is hidden, even with the pane open', async () => {
    const audio = fakeAudio()
    const view = await withConversation({ AudioContext: audio.AudioContext })
    view.widget.open()
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true)
    try {
      await view.reply('How can I help?')
    } finally {
      hidden.mockRestore()
    }
    await vi.waitFor(() => expect(audio.played).toHaveLength(1))
  })

  it('plays only in the leading tab', async () => {
    const audio = fakeAudio()
    const view = await withConversation({ AudioContext: audio.AudioContext })
    writable(view.client.$leader).set(false)
    await view.reply('How can I help?')
    await chimed()
    expect(audio.played).toHaveLength(0)
  })

  it('stays silent for system notes', async () => {
    const audio = fakeAudio()
    const view = await withConversation({ AudioContext: audio.AudioContext })
    await view.reply('Anna joined', 'system')
    await chimed()
    expect(audio.played).toHaveLength(0)
  })

  it('can be turned off', async () => {
    const audio = fakeAudio()
    const view = await withConversation({ AudioContext: audio.AudioContext, sound: false })
    await view.reply('How can I help?')
    await chimed()
    expect(audio.played).toHaveLength(0)
    expect(audio.made()).toBe(0)
  })

  it('fails silently where audio is missing or refused', async () => {
    expect(() => createChime(undefined)()).not.toThrow()
    class Refused {
      constructor() {
        throw new DOMException('not allowed', 'NotAllowedError')
      }
    }
    expect(() => createChime(Refused as unknown as new () => AudioContext)()).not.toThrow()
    const view = await withConversation({ AudioContext: Refused as unknown as new () => AudioContext })
    await view.reply('How can I help?')
    await chimed()
    expect(view.find('launcher')).not.toBeNull()
  })
})
