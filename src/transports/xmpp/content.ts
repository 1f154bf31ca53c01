import type { FilePart, ImagePart, MessageContent, OutgoingPostback, Part, PartType } from '../types.js'
import { child, children, el, is, NS, type Xml, type XmlChild } from './xml.js'

/*
 * Rich content on the wire. A message is one groupchat stanza:
 *
 * - `<body>`: the text as it is (markdown that reads well as plain text), for every XMPP client,
 *   followed by the URL of each image and file the text does not hold yet, one a line, so any client
 *   offers the files. A message that is only one file, with its name (or alt text, or URL) for its
 *   text, has the URL alone as its body: that is how Conversations, Gajim and Dino send their
 *   uploads (body = the XEP-0066 URL), and how they show one as the file itself (see `bodyOf`).
 * - `<content xmlns="urn:confab:content:1">`: JSON of everything else (`parts`, `replies`, `actions`,
 *   `blockComposer`, `replyTo`, `metadata`), exactly as the content model has it, and the `text` when
 *   the body is not the text as it is. When present, it is the whole of the message's content: a
 *   Confab client reads nothing else (it takes that `text` only if it makes the very body the stanza
 *   holds, so it never reads other words than any XMPP client shows).
 * - Beside it, the same content in the standard elements other XMPP software understands, so an
 *   agent's client, a bot or an archive tool can read and answer it without knowing Confab:
 *   - form → XEP-0004 data form `type="form"` with `FORM_TYPE` `urn:confab:content:1#form`: one
 *     field per form field (`text-single`, `list-single`, `list-multi`) with its label,
 *     `<required/>` and options (what else a field has, such as its placeholder or limits, only
 *     the Confab element carries);
 *   - quick replies → a data form `#replies` with one `list-single` field `reply` whose options are
 *     the replies (value: the action's id);
 *   - rating request → a data form `#rating`: `list-single` field `score` (1 to 5, labelled with the
 *     question) and, when a comment is offered, a `text-multi` field `comment`;
 *   - form response and rating → the same data forms with `type="submit"`;
 *   - image and file → XEP-0066 `<x xmlns="jabber:x:oob">` (URL, alt text or file name);
 *   - location → XEP-0080 `<geoloc>` (latitude, longitude, name as `description`, address as `text`);
 *   - `replyTo` → XEP-0461 `<reply id>` naming the answered message's stanza id.
 *   Cards, buttons, `blockComposer` and `metadata` have no standard element and live only in the
 *   Confab element.
 *
 * A message without a Confab element (from a plain client), or whose Confab element cannot be read,
 * gets its content from the standard elements plain clients send (see `fromStandard`), its text
 * from the body without the lines that only repeat a shared file's URL; data forms are written for
 * other software to read, and read back only through the Confab element.
 * Nothing here checks the content's rules: the client does (`guardContent`), reporting what it
 * leaves out, so a part of a newer or broken shape is passed on as it came and the message is kept.
 *
 * A postback is a groupchat stanza without `<body>` (clients show nothing), holding
 * `<postback xmlns="urn:confab:content:1" message-id action-id>payload</postback>`, the client id as
 * its origin id, and a `<store/>` hint (XEP-0334) so the room archives it like a message: bots read
 * it live or from the archive, and a repeated postback is found there, as a repeated send is.
 */

/** The part types the XMPP transport carries both ways, unchanged (every one). */
export const CONTENT_TYPES: readonly PartType[] = ['image', 'file', 'location', 'cards', 'form', 'form-response', 'rating', 'rating-response']

/** The keys of the Confab element's JSON. */
const KEYS = ['parts', 'replies', 'actions', 'blockComposer', 'replyTo', 'metadata'] as const

type Rest = Omit<MessageContent, 'text'>
type Attrs = Record<string, string | number | undefined>

const value = (text: string) => el('value', {}, text)
const option = (id: string, label: string) => el('option', { label }, value(id))
const field = (name: string, attrs: Attrs, ...inner: XmlChild[]) => el('field', { var: name, ...attrs }, ...inner)
/** A data form whose `FORM_TYPE` says which Confab construct it is. */
const dataForm = (type: 'form' | 'submit', kind: string, ...fields: XmlChild[]) =>
  el('x', { xmlns: NS.data, type }, field('FORM_TYPE', { type: 'hidden' }, value(`${NS.confab}#${kind}`)), ...fields)
const answers = (name: string, label: string | undefined, given: string | string[]) =>
  field(name, { type: Array.isArray(given) ? 'list-multi' : undefined, label }, ...[given].flat().map(value))

/** A part in the standard element other XMPP software reads, when there is one. */
function standard(part: Part): XmlChild {
  switch (part.type) {
    case 'image':
    case 'file': {
      const desc = part.type === 'image' ? part.alt : part.name
      return el('x', { xmlns: NS.oob }, el('url', {}, part.url), desc && el('desc', {}, desc))
    }
    case 'location':
      return el(
        'geoloc',
        { xmlns: NS.geoloc },
        el('lat', {}, part.latitude),
        el('lon', {}, part.longitude),
        part.name && el('description', {}, part.name),
        part.address && el('text', {}, part.address)
      )
    case 'form':
      return dataForm(
        'form',
        'form',
        ...part.fields.map((f) =>
          field(
            f.name,
            { type: f.type === 'select' ? 'list-single' : f.type === 'multiselect' ? 'list-multi' : 'text-single', label: f.label },
            f.required && el('required'),
            ...(f.options ?? []).map((o) => option(o.value, o.label))
          )
        )
      )
    case 'rating':
      return dataForm(
        'form',
        'rating',
        field('score', { type: 'list-single', label: part.question }, el('required'), ...['1', '2', '3', '4', '5'].map((n) => option(n, n))),
        part.comment && field('comment', { type: 'text-multi' })
      )
    case 'form-response':
      return dataForm('submit', 'form', ...part.fields.map((f) => answers(f.name, f.label, f.value)))
    case 'rating-response':
      return dataForm('submit', 'rating', answers('score', undefined, String(part.score)), part.comment !== undefined && answers('comment', undefined, part.comment))
  }
}

/** The image and file parts among `parts` (of any shape), with their URLs. */
const filesIn = (parts: readonly unknown[] | undefined) =>
  (parts ?? []).filter((part): part is ImagePart | FilePart => {
    const { type, url } = (part ?? {}) as { type?: unknown; url?: unknown }
    return (type === 'image' || type === 'file') && typeof url === 'string'
  })

/**
 * The `<body>` of a message with `text` and `parts` (see above).
 *
 * @example
 * bodyOf('Here it is', [{ type: 'file', url: 'https://up.example/a/bill.pdf', name: 'bill.pdf' }]) // 'Here it is\nhttps://up.example/a/bill.pdf'
 * bodyOf('bill.pdf', [{ type: 'file', url: 'https://up.example/a/bill.pdf', name: 'bill.pdf' }]) // 'https://up.example/a/bill.pdf'
 */
export function bodyOf(text: string, parts: readonly unknown[] | undefined): string {
  const files = filesIn(parts)
  if (files.length === 0) return text
  const only = files[0]!
  if (parts!.length === 1 && [only.url, only.name, only.type === 'image' ? only.alt : undefined].includes(text.trim())) return only.url
  const missing = [...new Set(files.map((file) => file.url))].filter((url) => !text.includes(url))
  return missing.length === 0 ? text : [text, ...missing].join('\n')
}

/**
 * The children of a message stanza that carry `content`: `<body>`, the standard elements and the
 * Confab element (see above).
 *
 * @example
 * el('message', { to: room, type: 'groupchat' }, ...contentXml({ text: 'Pick one', replies })).xml
 */
export function contentXml(content: MessageContent): XmlChild[] {
  const body = bodyOf(content.text, content.parts)
  const rest: Partial<MessageContent> = body === content.text ? {} : { text: content.text }
  for (const key of KEYS) if (content[key] !== undefined) (rest as Record<string, unknown>)[key] = content[key]
  return [
    el('body', {}, body),
    ...(content.parts ?? []).map(standard),
    content.replies && dataForm('form', 'replies', field('reply', { type: 'list-single' }, ...content.replies.map((r) => option(r.id, r.label)))),
    content.replyTo && el('reply', { xmlns: NS.reply, id: content.replyTo.messageId }),
    Object.keys(rest).length > 0 && el('content', { xmlns: NS.confab }, JSON.stringify(rest))
  ]
}

/** The children of a postback stanza besides its origin id (see above). */
export const postbackXml = ({ payload, messageId, actionId }: OutgoingPostback): Xml[] => [
  el('postback', { xmlns: NS.confab, 'message-id': messageId, 'action-id': actionId }, payload),
  el('store', { xmlns: NS.hints })
]

/** The postback a stanza carries, without its client id, or `undefined`. */
export function readPostback(stanza: Element): Omit<OutgoingPostback, 'clientId'> | undefined {
  const found = child(stanza, 'postback', NS.confab)
  if (!found) return undefined
  const postback: Omit<OutgoingPostback, 'clientId'> = { payload: found.textContent ?? '' }
  const messageId = found.getAttribute('message-id')
  const actionId = found.getAttribute('action-id')
  if (messageId) postback.messageId = messageId
  if (actionId) postback.actionId = actionId
  return postback
}

/**
 * The content of a message stanza whose `<body>` is `body`: from the Confab element, else from the
 * standard elements. `problem` says why a Confab element was not read.
 */
export function readContent(stanza: Element, body: string): { content: MessageContent; problem?: string } {
  const found = child(stanza, 'content', NS.confab)
  if (!found) return { content: fromStandard(stanza, body) }
  let data: unknown
  try {
    data = JSON.parse(found.textContent ?? '')
  } catch {
    // Not JSON: the standard elements say what they can.
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { content: fromStandard(stanza, body), problem: 'its Confab content element is not a JSON object' }
  }
  const rest: Rest = {}
  // Only the model's keys, copied one by one: nothing else of the sender's object comes along.
  for (const key of KEYS) if ((data as Rest)[key] !== undefined) (rest as Record<string, unknown>)[key] = (data as Rest)[key]
  // The text the body was made from, when it makes this very body (see above).
  const { text } = data as { text?: unknown }
  return { content: { text: typeof text === 'string' && bodyOf(text, rest.parts) === body ? text : body, ...rest } }
}

/**
 * The text of a plain client's message: `body` without the lines that are only the URL of a shared
 * file (Conversations sends an upload with its URL as the body), else the names of those files.
 */
function plainText(body: string, files: (ImagePart | FilePart)[]): string {
  const lines = body.split('\n')
  const named = lines.map((line) => files.find((file) => file.url === line.trim()))
  if (!named.some(Boolean)) return body
  const kept = lines.filter((_, i) => !named[i]).join('\n').trim()
  const names = named.map((file) => (file?.type === 'file' ? file.name : (file?.alt ?? file?.name)))
  return kept || names.filter(Boolean).join(', ') || body
}

/**
 * Content read from the standard elements plain XMPP clients send: a shared file or image (XEP-0066,
 * as Conversations, Gajim and Dino send uploads), a location (XEP-0080) and a reply (XEP-0461).
 */
function fromStandard(stanza: Element, body: string): MessageContent {
  const parts: Part[] = []
  const content: MessageContent = { text: body }
  const text = (node: Element, name: string) => child(node, name, node.namespaceURI ?? undefined)?.textContent ?? undefined
  for (const node of Array.from(stanza.children)) {
    if (is(node, 'x', NS.oob)) {
      const url = text(node, 'url') ?? ''
      const desc = text(node, 'desc')
      // The URL's last segment names the file; its extension tells an image.
      const segment = url.replace(/[?#].*/, '').split('/').pop() ?? ''
      let name = segment
      try {
        name = decodeURIComponent(segment)
      } catch {
        // A stray "%": the name as it is written.
      }
      parts.push(/\.(png|jpe?g|gif|webp|avif)$/i.test(name) ? clean({ type: 'image', url, alt: desc, name }) : { type: 'file', url, name: desc ?? (name || url) })
    } else if (is(node, 'geoloc', NS.geoloc)) {
      parts.push(clean({ type: 'location', latitude: Number(text(node, 'lat')), longitude: Number(text(node, 'lon')), name: text(node, 'description'), address: text(node, 'text') }))
    } else if (is(node, 'reply', NS.reply)) {
      content.replyTo = { messageId: node.getAttribute('id') ?? '' }
    }
  }
  if (parts.length) {
    content.parts = parts
    content.text = plainText(body, filesIn(parts))
  }
  return content
}

/** `object` without its `undefined` values. */
const clean = <T extends object>(object: T): T => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T
