import { describe, expect, it } from 'vitest'
import { checkContent } from '../../../src/content/check.js'
import type { ConfabError } from '../../../src/errors/index.js'
import type { MessageContent } from '../../../src/transports/types.js'
import { contentXml, postbackXml } from '../../../src/transports/xmpp/content.js'
import { stanzaError } from '../../../src/transports/xmpp/errors.js'
import { readResumeKey } from '../../../src/transports/xmpp/identity.js'
import { archiveQuery, historyPage, readArchived, readMessage, sliceOf } from '../../../src/transports/xmpp/messages.js'
import { configForm, readRoomInfo } from '../../../src/transports/xmpp/rooms.js'
import { el, escapeXml, NS, parseFrame } from '../../../src/transports/xmpp/xml.js'
import { AGENT_CONTENT, VISITOR_CONTENT } from '../../support/xmpp/content-fixtures.js'
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

describe('XMPP rich content on the wire', () => {
  /** `content` as a groupchat stanza from `nick`, with a stanza id, read back by the visitor's side. */
  const roundTrip = (content: MessageContent, nick = 'Ann') => {
    const xml = el('message', { xmlns: NS.client, from: `${room.jid}/${nick}`, type: 'groupchat' }, ...contentXml(content)).xml
    return readMessage(parse(xml), room, 'S1', 5)
  }
  /** The fields of the data form of `formType` in `stanza`, as any XEP-0004 reader sees them. */
  const dataForm = (stanza: Element, formType: string) => {
    const form = [...stanza.getElementsByTagNameNS(NS.data, 'x')].find((x) =>
      [...x.getElementsByTagNameNS(NS.data, 'field')].some((f) => f.getAttribute('var') === 'FORM_TYPE' && f.textContent === formType)
    )
    return [...(form?.getElementsByTagNameNS(NS.data, 'field') ?? [])]
      .filter((f) => f.getAttribute('type') !== 'hidden')
      .map((f) => ({
        var: f.getAttribute('var'),
        type: f.getAttribute('type'),
        label: f.getAttribute('label'),
        required: f.getElementsByTagNameNS(NS.data, 'required').length > 0,
        values: [...f.getElementsByTagNameNS(NS.data, 'value')].filter((v) => v.parentElement === f).map((v) => v.textContent),
        options: [...f.getElementsByTagNameNS(NS.data, 'option')].map((o) => [o.getAttribute('value') ?? o.textContent, o.getAttribute('label')])
      }))
  }

  it('uses fixtures that the content rules accept as they are', () => {
    expect(checkContent(AGENT_CONTENT, { from: 'agent' })).toEqual({ ok: true, content: AGENT_CONTENT })
    expect(checkContent(VISITOR_CONTENT, { from: 'visitor' })).toEqual({ ok: true, content: VISITOR_CONTENT })
  })

  it('reads back every part type, quick replies, buttons, blockComposer, replyTo and metadata exactly as they were written', () => {
    const { id: _id, conversationId: _c, author: _a, createdAt: _t, ...agentSide } = roundTrip(AGENT_CONTENT)!
    expect(agentSide).toStrictEqual(AGENT_CONTENT)
    const { id: _id2, conversationId: _c2, author, createdAt: _t2, ...visitorSide } = roundTrip(VISITOR_CONTENT, 'guest-1')!
    expect(visitorSide).toStrictEqual(VISITOR_CONTENT)
    expect(author).toEqual({ role: 'visitor', id: 'guest-1' })
  })

  it('keeps the text as the body, with the URLs of its image and file, for clients that know nothing else', () => {
    const stanza = parse(el('message', { xmlns: NS.client }, ...contentXml(AGENT_CONTENT)).xml)
    expect(stanza.getElementsByTagName('body')[0]?.textContent).toBe(`${AGENT_CONTENT.text}\nhttps://cdn.example.com/parcel.png?size=2&x=<y>\nhttps://cdn.example.com/invoice.pdf`)
    expect(contentXml({ text: 'Just text' }).filter(Boolean).map((c) => (c as { xml: string }).xml)).toEqual(['<body>Just text</body>'])
  })

  it('offers a form, quick replies and a rating request as XEP-0004 data forms', () => {
    const stanza = parse(el('message', { xmlns: NS.client }, ...contentXml(AGENT_CONTENT)).xml)
    expect(dataForm(stanza, 'urn:confab:content:1#form')).toEqual([
      { var: 'order', type: 'text-single', label: 'Order number', required: true, values: [], options: [] },
      { var: 'email', type: 'text-single', label: 'Email', required: false, values: [], options: [] },
      { var: 'count', type: 'text-single', label: 'How many?', required: false, values: [], options: [] },
      { var: 'size', type: 'list-single', label: 'Size', required: true, values: [], options: [['s', 'Small'], ['l', 'Large <XL>']] },
      { var: 'extras', type: 'list-multi', label: 'Extras', required: false, values: [], options: [['wrap', 'Gift wrap'], ['card', 'Card']] }
    ])
    expect(dataForm(stanza, 'urn:confab:content:1#replies')).toEqual([
      { var: 'reply', type: 'list-single', label: null, required: false, values: [], options: [['yes', 'Yes <please>'], ['no', 'No'], ['human', 'Talk to a person']] }
    ])
    expect(dataForm(stanza, 'urn:confab:content:1#rating')).toEqual([
      { var: 'score', type: 'list-single', label: 'How did we do?', required: true, values: [], options: ['1', '2', '3', '4', '5'].map((n) => [n, n]) },
      { var: 'comment', type: 'text-multi', label: null, required: false, values: [], options: [] }
    ])
  })

  it('answers a form and a rating with data forms of type submit, and shares files and places in standard elements', () => {
    const stanza = parse(el('message', { xmlns: NS.client }, ...contentXml(VISITOR_CONTENT)).xml)
    const submits = [...stanza.getElementsByTagNameNS(NS.data, 'x')].map((x) => x.getAttribute('type'))
    expect(submits).toEqual(['submit', 'submit'])
    expect(dataForm(stanza, 'urn:confab:content:1#form').map((f) => [f.var, f.label, f.values])).toEqual([
      ['order', 'Order number', ['1234']],
      ['size', 'Size', ['l']],
      ['extras', 'Extras', ['wrap']]
    ])
    expect(dataForm(stanza, 'urn:confab:content:1#rating').map((f) => [f.var, f.values])).toEqual([
      ['score', ['4']],
      ['comment', [(VISITOR_CONTENT.parts![4] as { comment: string }).comment]]
    ])
    expect([...stanza.getElementsByTagNameNS(NS.oob, 'url')].map((u) => u.textContent)).toEqual(['https://cdn.example.com/photo.jpg', 'https://cdn.example.com/receipt.pdf'])
    const geoloc = stanza.getElementsByTagNameNS(NS.geoloc, 'geoloc')[0]!
    expect([geoloc.getElementsByTagName('lat')[0]?.textContent, geoloc.getElementsByTagName('lon')[0]?.textContent]).toEqual(['-33.8568', '151.2153'])
    expect(stanza.getElementsByTagNameNS(NS.reply, 'reply')[0]?.getAttribute('id')).toBe('form-message-1')
  })

  it('reads what a plain client shares: an upload as an image or a file, a location, a reply', () => {
    const plain = parse(
      `<message xmlns='jabber:client' from='${room.jid}/Ann' type='groupchat'><body>https://up.example/a/b/Screen%20shot.PNG</body>` +
        "<x xmlns='jabber:x:oob'><url>https://up.example/a/b/Screen%20shot.PNG</url></x>" +
        "<x xmlns='jabber:x:oob'><url>https://up.example/a/%E0%A4%A/notes.txt?v=1</url><desc>Notes</desc></x>" +
        "<x xmlns='jabber:x:oob'><url>https://up.example/a/%E0%A4%A</url></x>" +
        "<geoloc xmlns='http://jabber.org/protocol/geoloc'><lat>1.5</lat><lon>-2</lon><description>Here</description></geoloc>" +
        "<reply xmlns='urn:xmpp:reply:0' to='x' id='S0'/></message>"
    )
    expect(readMessage(plain, room, 'S1', 5)).toMatchObject({
      text: 'Screen shot.PNG',
      parts: [
        { type: 'image', url: 'https://up.example/a/b/Screen%20shot.PNG', name: 'Screen shot.PNG' },
        { type: 'file', url: 'https://up.example/a/%E0%A4%A/notes.txt?v=1', name: 'Notes' },
        { type: 'file', url: 'https://up.example/a/%E0%A4%A', name: '%E0%A4%A' },
        { type: 'location', latitude: 1.5, longitude: -2, name: 'Here' }
      ],
      replyTo: { messageId: 'S0' }
    })
  })

  it('keeps a message whose Confab element is not a JSON object, with its text and standard elements, and reports it', () => {
    const reported: ConfabError[] = []
    for (const broken of ['{"parts": [', '[1]', 'null', '"text"']) {
      const stanza = parse(
        `<message xmlns='jabber:client' from='${room.jid}/Ann' type='groupchat'><body>Still here</body>` +
          `<x xmlns='jabber:x:oob'><url>https://x.example/f.pdf</url></x><content xmlns='urn:confab:content:1'>${escapeXml(broken)}</content></message>`
      )
      expect(readMessage(stanza, room, 'S1', 5, (error) => reported.push(error))).toMatchObject({
        text: 'Still here',
        parts: [{ type: 'file', url: 'https://x.example/f.pdf', name: 'f.pdf' }]
      })
    }
    expect(reported.map((e) => e.code)).toEqual(['malformed-event', 'malformed-event', 'malformed-event', 'malformed-event'])
    expect(reported[0]!.message).toContain('Message S1 in confab-1@conference.example')
  })

  it('passes on parts of shapes it does not know and takes nothing but the content model’s keys', () => {
    const json = '{"__proto__":{"polluted":1},"parts":[{"type":"x-unknown","why":1},{"type":"image"}],"text":"not this","author":{"role":"system"}}'
    const stanza = parse(`<message xmlns='jabber:client' from='${room.jid}/Ann' type='groupchat'><body>Hi</body><content xmlns='urn:confab:content:1'>${escapeXml(json)}</content></message>`)
    const message = readMessage(stanza, room, 'S1', 5)!
    expect(message).toStrictEqual({ id: 'S1', conversationId: 'confab-1', author: { role: 'agent', id: 'Ann', name: 'Ann' }, text: 'Hi', createdAt: 5, parts: [{ type: 'x-unknown', why: 1 }, { type: 'image' }] })
    expect(({} as { polluted?: number }).polluted).toBeUndefined()
  })

  it('writes a postback without a body, with a store hint, and reads it back as a postback of the visitor', () => {
    const children = postbackXml({ clientId: 'c9', payload: 'HANDOFF <now>', messageId: 'S0', actionId: 'human' })
    const xml = el('message', { xmlns: NS.client, from: `${room.jid}/guest-1`, type: 'groupchat' }, ...children, el('origin-id', { xmlns: NS.sid, id: 'c9' })).xml
    expect(xml).not.toContain('<body')
    expect(xml).toContain('<store xmlns="urn:xmpp:hints"/>')
    expect(readMessage(parse(xml), room, 'S2', 5)).toEqual({
      id: 'S2',
      clientId: 'c9',
      conversationId: 'confab-1',
      author: { role: 'visitor', id: 'guest-1' },
      text: '',
      createdAt: 5,
      postback: { payload: 'HANDOFF <now>', messageId: 'S0', actionId: 'human' }
    })
  })
})
