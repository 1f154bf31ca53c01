/**
 * Just enough XML for XMPP over WebSocket (RFC 7395): every frame is one complete element, so
 * incoming frames go through a `DOMParser` one at a time, and outgoing ones are strings built by
 * {@link el}, which escapes every attribute value and text child.
 */

/** XML namespaces this adapter speaks. */
export const NS = {
  client: 'jabber:client',
  framing: 'urn:ietf:params:xml:ns:xmpp-framing',
  streams: 'http://etherx.jabber.org/streams',
  sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
  bind: 'urn:ietf:params:xml:ns:xmpp-bind',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  register: 'jabber:iq:register',
  disco: 'http://jabber.org/protocol/disco#info',
  discoItems: 'http://jabber.org/protocol/disco#items',
  muc: 'http://jabber.org/protocol/muc',
  mucUser: 'http://jabber.org/protocol/muc#user',
  mucOwner: 'http://jabber.org/protocol/muc#owner',
  data: 'jabber:x:data',
  mam: 'urn:xmpp:mam:2',
  rsm: 'http://jabber.org/protocol/rsm',
  forward: 'urn:xmpp:forward:0',
  delay: 'urn:xmpp:delay',
  sid: 'urn:xmpp:sid:0',
  chatStates: 'http://jabber.org/protocol/chatstates',
  hints: 'urn:xmpp:hints',
  markers: 'urn:xmpp:chat-markers:0',
  ping: 'urn:xmpp:ping',
  conference: 'jabber:x:conference',
  confab: 'urn:confab:content:1',
  oob: 'jabber:x:oob',
  geoloc: 'http://jabber.org/protocol/geoloc',
  reply: 'urn:xmpp:reply:0',
  upload: 'urn:xmpp:http:upload:0'
} as const

/** Markup made by {@link el}: safe to put inside other markup as is. */
export interface Xml {
  readonly xml: string
}

/** A child of {@link el}: markup, text (escaped), or nothing (skipped). */
export type XmlChild = Xml | string | number | false | null | undefined

// XML 1.0 forbids most control characters even as references; a server closes the stream on them.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/**
 * Text made safe for an attribute value or element content: markup characters become entities and
 * characters XML cannot carry at all are dropped.
 *
 * @example
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/**
 * An element as markup. Attributes whose value is `undefined` or `null` are left out.
 *
 * @example
 * el('message', { to: 'room@muc.example', type: 'groupchat' }, el('body', {}, 'Hi <3')).xml
 * // '<message to="room@muc.example" type="groupchat"><body>Hi &lt;3</body></message>'
 */
export function el(name: string, attrs: Record<string, string | number | undefined | null> = {}, ...children: XmlChild[]): Xml {
  let xml = `<${name}`
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) xml += ` ${key}="${escapeXml(String(value))}"`
  }
  const inner = children.map((c) => (c === false || c === null || c === undefined ? '' : typeof c === 'object' ? c.xml : escapeXml(String(c)))).join('')
  return { xml: inner === '' ? `${xml}/>` : `${xml}>${inner}</${name}>` }
}

/** What the adapter needs of a `DOMParser`. */
export interface XmlParser {
  parseFromString(text: string, type: 'text/xml'): Document
}

/**
 * The element of one WebSocket frame, or `undefined` when the frame is not well-formed XML (a
 * browser's parser reports that as a `parsererror` element instead of throwing).
 */
export function parseFrame(parser: XmlParser, text: string): Element | undefined {
  let doc: Document
  try {
    doc = parser.parseFromString(text, 'text/xml')
  } catch {
    return undefined
  }
  const root = doc?.documentElement
  if (!root || doc.getElementsByTagName('parsererror').length > 0) return undefined
  return root
}

/** Whether `node` is the element `name` (in namespace `ns`, when given). */
export const is = (node: Element, name: string, ns?: string): boolean => node.localName === name && (ns === undefined || node.namespaceURI === ns)

/** The first child element named `name` (in namespace `ns`, when given). */
export function child(parent: Element | undefined, name: string, ns?: string): Element | undefined {
  return children(parent, name, ns)[0]
}

/** Every child element named `name` (in namespace `ns`, when given). */
export function children(parent: Element | undefined, name: string, ns?: string): Element[] {
  if (!parent) return []
  return Array.from(parent.children).filter((node) => is(node, name, ns))
}

/** The text of the child `name` (in `ns`), or `undefined` when there is no such child. */
export function childText(parent: Element | undefined, name: string, ns?: string): string | undefined {
  const found = child(parent, name, ns)
  return found ? (found.textContent ?? '') : undefined
}

/** Split a JID into its bare part and resource. */
export function splitJid(jid: string): { bare: string; resource: string | undefined } {
  const slash = jid.indexOf('/')
  return slash === -1 ? { bare: jid, resource: undefined } : { bare: jid.slice(0, slash), resource: jid.slice(slash + 1) }
}
