import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../src/store/index.js'
import type { MessageContent } from '../../../src/transports/types.js'
import { threadView } from '../../../src/ui/thread.js'

let clock = 0
const message = (role: 'visitor' | 'bot', content: MessageContent & { postback?: ChatMessage['postback'] }, id = `m${++clock}`): ChatMessage => ({
  id,
  conversationId: 'c',
  author: { role },
  createdAt: ++clock,
  status: 'sent',
  ...content
})
const choice = { text: 'Which?', replies: [{ type: 'reply' as const, id: 'a', label: 'A' }], blockComposer: true }
const view = (messages: ChatMessage[], postbacks = new Set<string>(), canPostback = true) => threadView(messages, { postbacks, canPostback })

describe('the thread view', () => {
  it('offers quick replies on the newest message that has them, and blocks the composer for them', () => {
    const older = message('bot', choice)
    const newer = message('bot', choice)
    expect(view([older, newer])).toMatchObject({ replies: newer.id, blocked: true })
  })

  it('takes them away once the visitor writes', () => {
    expect(view([message('bot', choice), message('visitor', { text: 'B?' })])).toMatchObject({ replies: undefined, blocked: false })
  })

  it('takes them away once a later message answers it, whoever wrote that', () => {
    const asked = message('bot', choice)
    const thread = [asked, message('bot', { text: 'Got it', replyTo: { messageId: asked.id } })]
    expect(view(thread)).toMatchObject({ replies: undefined, blocked: false })
  })

  it("takes them away once any later message arrives (the bot's answer to a postback), with nothing remembered, as after a reload", () => {
    const asked = message('bot', { text: 'Talk?', replies: [{ type: 'postback', id: 'p', label: 'Yes', payload: 'YES' }], blockComposer: true })
    expect(view([asked, message('bot', { text: 'Someone will be with you shortly' })], new Set())).toMatchObject({ replies: undefined, blocked: false })
  })

  it('never shows a postback, and remembers what it answered once it has left', () => {
    const asked = message('bot', choice)
    const postbacks = new Set<string>()
    const pending = message('visitor', { text: 'A', postback: { payload: 'A', messageId: asked.id, actionId: 'a' } })
    const waiting = view([asked, pending], postbacks)
    expect(waiting.shown).toEqual([asked])
    expect(waiting).toMatchObject({ replies: undefined, blocked: false })
    expect(view([asked], postbacks)).toMatchObject({ replies: undefined, blocked: false })
  })

  it('does not block the composer for an answer the transport cannot deliver', () => {
    const asked = message('bot', { text: 'Talk?', replies: [{ type: 'postback', id: 'p', label: 'Yes', payload: 'YES' }], blockComposer: true })
    expect(view([asked], new Set(), false)).toMatchObject({ replies: undefined, blocked: false })
  })

  it('keeps the answer to a form, not a later message that names it', () => {
    const form = message('bot', { text: 'Form', parts: [{ type: 'form', fields: [{ name: 'a', label: 'A', type: 'text' }] }] })
    const answer = message('visitor', { text: 'A: 1', parts: [{ type: 'form-response', fields: [{ name: 'a', label: 'A', value: '1' }] }], replyTo: { messageId: form.id } })
    const thanks = message('bot', { text: 'Thanks', replyTo: { messageId: form.id } })
    expect(view([form, answer, thanks]).answers.get(form.id)).toBe(answer)
  })
})
