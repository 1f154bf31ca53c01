import { describe, expect, it } from 'vitest'
import {
  readArchiveHits,
  readConversation,
  readConversationPage,
  readEvent,
  readHistoryPage,
  readMessage,
  readSession
} from '../../../src/transports/http/wire.js'

const author = { role: 'agent', id: 'a1', name: 'Anna' }
const message = { id: 'm1', conversationId: 'c1', author, text: 'Hi', createdAt: 1 }
const conversation = { id: 'c1', mode: 'chat', status: 'open', createdAt: 1, updatedAt: 2 }

describe('the wire readers', () => {
  it('keeps only the fields the contract knows', () => {
    expect(readMessage({ ...message, clientId: 'k1', seq: 3, extra: true })).toEqual({ ...message, clientId: 'k1', seq: 3 })
    expect(readConversation({ ...conversation, subject: 'Billing', lastMessage: message, x: 1 })).toEqual({
      ...conversation,
      subject: 'Billing',
      lastMessage: message
    })
    expect(readMessage({ ...message, author: { ...author, avatar: 'x' } })!.author).toEqual(author)
  })

  it('keeps the content fields as the server sent them, for the client to check', () => {
    const content = {
      parts: [{ type: 'image', url: 'https://cdn.example/a.png' }],
      replies: [{ type: 'reply', id: 'yes', label: 'Yes' }],
      actions: [{ type: 'link', id: 'docs', label: 'Guide', url: 'https://shop.example' }],
      blockComposer: true,
      replyTo: { messageId: 'm0', actionId: 'yes' },
      metadata: { campaign: 'spring' }
    }
    expect(readMessage({ ...message, ...content })).toEqual({ ...message, ...content })
  })

  it.each([
    ['a part of an unknown type', { parts: [{ type: 'x-unknown' }] }],
    ['parts that are not a list', { parts: 'image' }],
    ['a quick reply without a label', { replies: [{ type: 'reply', id: 'a' }] }],
    ['a blockComposer that is not boolean', { blockComposer: 'yes' }]
  ])('keeps a message with %s, passing the field on', (_, content) => {
    expect(readMessage({ ...message, ...content })).toEqual({ ...message, ...content })
  })

  it('leaves out optional fields that are null', () => {
    expect(readMessage({ ...message, clientId: null, seq: null, author: { role: 'bot', id: null, name: null } })).toEqual({
      ...message,
      author: { role: 'bot' }
    })
    expect(readConversation({ ...conversation, subject: null, lastMessage: null })).toEqual(conversation)
  })

  it.each([
    ['a missing id', { ...message, id: undefined }],
    ['a numeric text', { ...message, text: 5 }],
    ['a time that is not finite', { ...message, createdAt: Infinity }],
    ['a fractional seq', { ...message, seq: 1.5 }],
    ['a numeric clientId', { ...message, clientId: 7 }],
    ['an unknown role', { ...message, author: { role: 'admin' } }],
    ['a numeric author name', { ...message, author: { role: 'agent', name: 1 } }],
    ['no author', { ...message, author: undefined }],
    ['an array', [message]],
    ['null', null]
  ])('refuses a message with %s', (_, value) => {
    expect(readMessage(value)).toBeUndefined()
  })

  it.each([
    ['an unknown mode', { ...conversation, mode: 'email' }],
    ['an unknown status', { ...conversation, status: 'archived' }],
    ['a string updatedAt', { ...conversation, updatedAt: '2' }],
    ['a numeric subject', { ...conversation, subject: 4 }],
    ['a bad last message', { ...conversation, lastMessage: { id: 'm1' } }]
  ])('refuses a conversation with %s', (_, value) => {
    expect(readConversation(value)).toBeUndefined()
  })

  it('reads a session, leaving out facts about the user that are not strings', () => {
    const session = { visitorId: 'v1', token: 't', resumeKey: 'r', name: 'Ada', identified: { id: 'u1', name: 2, email: 'a@b.c' } }
    expect(readSession(session)).toEqual({ ...session, identified: { id: 'u1', email: 'a@b.c' } })
    expect(readSession({ visitorId: 'v1', token: 't', resumeKey: null })).toEqual({ visitorId: 'v1', token: 't' })
    expect(readSession({ visitorId: 'v1' })).toBeUndefined()
    expect(readSession({ visitorId: 'v1', token: 't', resumeKey: 1 })).toBeUndefined()
    expect(readSession({ visitorId: 'v1', token: 't', identified: { name: 'Ada' } })).toBeUndefined()
    expect(readSession({ visitorId: 'v1', token: 't', identified: 'u1' })).toBeUndefined()
  })

  it('reads pages, refusing one with a bad item or cursor', () => {
    expect(readConversationPage({ conversations: [conversation] })).toEqual({ conversations: [conversation], next: null })
    expect(readConversationPage({ conversations: [conversation], next: 'n' })).toEqual({ conversations: [conversation], next: 'n' })
    expect(readConversationPage({ conversations: [conversation], next: 3 })).toBeUndefined()
    expect(readConversationPage({ conversations: [conversation, {}] })).toBeUndefined()
    expect(readHistoryPage({ messages: [message], before: 'b', after: null })).toEqual({ messages: [message], before: 'b', after: null })
    expect(readHistoryPage({ messages: [message], before: 'b' })).toBeUndefined()
    expect(readHistoryPage({ messages: 'none', before: null, after: null })).toBeUndefined()
  })

  it('reads archive hits, refusing a list with a bad hit', () => {
    expect(readArchiveHits({ hits: [{ message, score: 1 }] })).toEqual([{ message }])
    expect(readArchiveHits({ hits: [{ message }, null] })).toBeUndefined()
    expect(readArchiveHits({ hits: ['m1'] })).toBeUndefined()
    expect(readArchiveHits({})).toBeUndefined()
  })

  it('turns known events into contract events with their cursor', () => {
    expect(readEvent('message', JSON.stringify({ message }), '42')).toEqual({ type: 'message', message, cursor: '42' })
    expect(readEvent('conversation', JSON.stringify({ conversation }), '')).toEqual({ type: 'conversation', conversation })
    expect(readEvent('typing', JSON.stringify({ conversationId: 'c1', author, typing: true }), '7')).toEqual({
      type: 'typing',
      conversationId: 'c1',
      author,
      typing: true,
      cursor: '7'
    })
    expect(readEvent('reset', '', '9')).toEqual({ type: 'reset', cursor: '9' })
  })

  it.each([
    ['bad JSON', 'message', '{"message":'],
    ['a missing field', 'message', JSON.stringify({ message: { id: 'm1' } })],
    ['a typing flag that is not boolean', 'typing', JSON.stringify({ conversationId: 'c1', author, typing: 'yes' })],
    ['an unknown name', 'presence', '{}'],
    ['a name from Object.prototype', 'constructor', '{}'],
    ['JSON that is not an object', 'message', '[1]']
  ])('turns an event with %s into a malformed-event error with the raw data', (_, name, data) => {
    const event = readEvent(name, data, '5')
    expect(event).toMatchObject({ type: 'error', error: { code: 'malformed-event', data } })
    expect((event as { error: Error }).error.message).toBe(`Dropped a malformed "${name}" event (id 5)`)
  })
})
