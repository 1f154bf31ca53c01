import { describe, expect, it } from 'vitest'
import { stanzaError } from '../../../src/transports/xmpp/errors.js'
import { readResumeKey } from '../../../src/transports/xmpp/identity.js'
import { archiveQuery, historyPage, readArchived, readMessage, sliceOf } from '../../../src/transports/xmpp/messages.js'
import { configForm, readRoomInfo } from '../../../src/transports/xmpp/rooms.js'
import { el, escapeXml, parseFrame } from '../../../src/transports/xmpp/xml.js'
import { nodeGlobals } from '../../support/xmpp/node.js'

const parser = new nodeGlobals.DOMParser()
const parse = (text: string) => parseFrame(parser, text)!
const room = { id: 'confab-1', jid: 'confab-1@conference.example', visitorId: 'guest-1', isVisitor: (nick: string) => nick === 'guest-1' }

describe('XMPP wire format', () => {
  it('escapes markup characters and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c"'\u0000\u0007d\n`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d\n')
  })

  it('builds elements whose text and attributes cannot inject markup', () => {
    const built = el('message', { to: 'r@x"/><evil', type: undefined }, el('body', {}, '</body><x/>'))
    expect(built.xml).toBe('<message to="r@x&quot;/&gt;&lt;evil"><body>&lt;/body&gt;&lt;x/&gt;</body></message>')
    const read = parse(built.xml)
    expect(read.getAttribute('to')).toBe('r@x"/><evil')
    expect(read.firstElementChild?.textContent).toBe('</body><x/>')
  })

  it('reads a frame that is not well-formed XML as nothing', () => {
    expect(parseFrame(parser, "<message xmlns='jabber:client'><body>half")).toBeUndefined()
    expect(parseFrame(parser, '')).toBeUndefined()
    expect(parse("<presence xmlns='jabber:client'/>").localName).toBe('presence')
  })

  it('turns stanza errors into ConfabErrors that are retryable only when the server says wait', () => {
    const error = (type: string, condition: string) =>
      stanzaError(parse(`<iq xmlns='jabber:client' type='error'><error type='${type}'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>why</text></error></iq>`), 'The query')
    expect([error('cancel', 'item-not-found').code, error('cancel', 'item-not-found').retryable]).toEqual(['not-found', false])
    expect([error('auth', 'forbidden').code, error('auth', 'forbidden').retryable]).toEqual(['unauthorized', false])
    expect([error('wait', 'resource-constraint').code, error('wait', 'resource-constraint').retryable]).toEqual(['rate-limited', true])
    expect([error('wait', 'internal-server-error').code, error('wait', 'internal-server-error').retryable]).toEqual(['network', true])
    expect(error('modify', 'bad-request').message).toBe('The query failed: bad-request (why)')
  })

  it('reads only resume keys it made, so anything else starts a fresh visitor', () => {
    expect(readResumeKey('xmpp:a:0123456789abcdef0123456789abcdef')).toEqual({ login: 'anonymous', secret: '0123456789abcdef0123456789abcdef' })
    expect(readResumeKey('xmpp:r:guest-0a1b:0123456789abcdef0123456789abcdef')).toEqual({
      login: 'account',
      username: 'guest-0a1b',
      password: '0123456789abcdef0123456789abcdef'
    })
    for (const other of [undefined, '', 'conformance-unknown-1', 'xmpp:a:short', 'xmpp:a:NOTHEX0123456789abcdef', 'xmpp:r:a:b:c']) {
      expect(readResumeKey(other)).toBeUndefined()
    }
  })

  it('keeps a conversation’s mode, subject and creation time in the room’s configuration', () => {
    const form = configForm({ mode: 'chat', createdAt: 1767225600000, subject: 'Billing & <refunds>' })
    expect(form.xml).toContain('<value>confab mode=chat created=1767225600000</value>')
    const info = parse(
      "<iq xmlns='jabber:client' type='result'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text' name='x'/>" +
        "<x xmlns='jabber:x:data' type='result'><field var='muc#roominfo_description'><value>confab mode=chat created=1767225600000</value></field>" +
        "<field var='muc#roomconfig_roomname'><value>Billing &amp; &lt;refunds&gt;</value></field></x></query></iq>"
    )
    expect(readRoomInfo(info)).toEqual({ mode: 'chat', createdAt: 1767225600000, subject: 'Billing & <refunds>' })
    expect(readRoomInfo(parse("<iq xmlns='jabber:client' type='result'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"))).toBeUndefined()
  })

  it('asks the archive for the newest page, a page before or after a cursor, and the oldest page', () => {
    expect(archiveQuery('q', { before: null }, 5).xml).toBe(
      '<query xmlns="urn:xmpp:mam:2" queryid="q"><set xmlns="http://jabber.org/protocol/rsm"><max>5</max><before/></set></query>'
    )
    expect(archiveQuery('q', { before: 'A' }, 5).xml).toContain('<before>A</before>')
    expect(archiveQuery('q', { after: 'B' }, 5).xml).toContain('<after>B</after>')
    expect(archiveQuery('q', { after: null }, 5).xml).not.toMatch(/<after|<before/)
  })

  it('mints history cursors from archive ids, with "*" for the start of an empty archive', () => {
    const m = [{ id: 'A', conversationId: 'c', author: { role: 'agent' as const }, text: 'a', createdAt: 1 }]
    expect(sliceOf({}, '*')).toEqual({ before: null })
    expect(sliceOf({ before: 'A' }, '*')).toEqual({ before: 'A' })
    expect(sliceOf({ after: '*' }, '*')).toEqual({ after: null })
    expect(historyPage([], { complete: true }, { before: null }, '*')).toEqual({ messages: [], before: null, after: '*' })
    expect(historyPage(m, { complete: false, first: 'A', last: 'A' }, { before: null }, '*')).toEqual({ messages: m, before: 'A', after: 'A' })
    expect(historyPage(m, { complete: true, first: 'A', last: 'A' }, { before: 'B' }, '*')).toEqual({ messages: m, before: null, after: 'A' })
    expect(historyPage(m, { complete: true, first: 'A', last: 'A' }, { after: null }, '*')).toEqual({ messages: m, before: null, after: 'A' })
    expect(historyPage([], { complete: true }, { after: 'A' }, '*')).toEqual({ messages: [], before: null, after: 'A' })
  })

  it('reads live and archived messages with the room’s id, the client id and who wrote them', () => {
    const live = parse(
      "<message xmlns='jabber:client' from='confab-1@conference.example/guest-1' type='groupchat' id='c1'><body>Hi &amp; bye</body>" +
        "<origin-id xmlns='urn:xmpp:sid:0' id='c1'/><stanza-id xmlns='urn:xmpp:sid:0' by='confab-1@conference.example' id='S1'/></message>"
    )
    expect(readMessage(live, room, 'S1', 5)).toEqual({
      id: 'S1',
      clientId: 'c1',
      conversationId: 'confab-1',
      author: { role: 'visitor', id: 'guest-1' },
      text: 'Hi & bye',
      createdAt: 5
    })
    const archived = parse(
      "<message xmlns='jabber:client'><result xmlns='urn:xmpp:mam:2' queryid='q' id='S2'><forwarded xmlns='urn:xmpp:forward:0'>" +
        "<delay xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:01.5Z'/><message xmlns='jabber:client' from='confab-1@conference.example/Ann' type='groupchat'><body>Hello</body></message>" +
        '</forwarded></result></message>'
    )
    expect(readArchived(archived.firstElementChild!, room)).toEqual({
      id: 'S2',
      conversationId: 'confab-1',
      author: { role: 'agent', id: 'Ann', name: 'Ann' },
      text: 'Hello',
      createdAt: Date.parse('2026-01-01T00:00:01.5Z')
    })
  })
})
