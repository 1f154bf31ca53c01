// @ts-check
// The agent console: lists every conversation live, shows one (rich content, postbacks, files) with
// what the site told of its visitor (attributes, page, tracked events), answers it (with a file,
// quick replies, cards, a form or a rating request) and closes it.
// Plain browser JavaScript, no build. Data is only ever rendered with textContent, and URLs only
// into href and src after their scheme was checked.

/**
 * @typedef {{ role: 'visitor' | 'agent' | 'bot' | 'system', id?: string, name?: string }} Author
 * @typedef {{ type: string, id: string, label: string, payload?: string, url?: string, name?: string, data?: unknown }} Action
 * @typedef {{ type: string, [key: string]: any }} Part Checked by the server (src/content/check.js); read defensively all the same.
 * @typedef {{ text: string, parts?: Part[], replies?: Action[], actions?: Action[], blockComposer?: boolean,
 *             replyTo?: { messageId: string, actionId?: string }, metadata?: unknown }} Content
 * @typedef {Content & { id: string, clientId?: string, conversationId: string, seq: number, author: Author, createdAt: number }} Message
 * @typedef {{ id: string, clientId: string, conversationId: string, payload: string, messageId?: string, actionId?: string, createdAt: number }} Postback
 * @typedef {{ id: string, name?: string, email?: string }} Identified The site's own user id, name and email.
 * @typedef {{ url: string, title?: string, referrer?: string, at: number }} Page Where the visitor was last, origin and path only.
 * @typedef {{ clientId: string, name: string, metadata?: unknown, at: number }} TrackedEvent
 * @typedef {{ attributes: Record<string, string | number | boolean>, page?: Page, events: TrackedEvent[] }} VisitorDetails
 * @typedef {{ id: string, visitorId: string, visitor?: { id: string, identified?: Identified },
 *             mode: 'chat' | 'messaging', status: 'open' | 'closed', subject?: string,
 *             createdAt: number, updatedAt: number, lastMessage?: Message }} Conversation
 */

const key = new URLSearchParams(location.search).get('key') || 'demo-agent'
const auth = { authorization: `Bearer ${key}` }

/** @type {Map<string, Conversation>} */
const conversations = new Map()
/** The open conversation's messages, by seq. @type {Message[]} */
let messages = []
/** @type {string | null} */
let openId = null
/** The open conversation's postbacks, oldest first. @type {Postback[]} */
let postbacks = []
/** @type {string | null} cursor to the messages before the loaded ones */
let olderCursor = null
/** The last event id received, to resume the stream after a drop. */
let lastEventId = ''
/** The reply being sent, so a retry of the same content reuses its clientId (the server stores it once). */
let pending = { key: '', clientId: '' }
/** What the site told of the open conversation's visitor, and which visitor that is. @type {(VisitorDetails & { visitorId: string }) | null} */
let visitorInfo = null

/**
 * @template {Element} T
 * @param {string} selector
 * @param {new () => T} type
 * @returns {T}
 */
function $(selector, type) {
  const found = document.querySelector(selector)
  if (!(found instanceof type)) throw new Error(`agent console: ${selector} is missing`)
  return found
}

const ui = {
  connection: $('.connection', HTMLElement),
  list: $('.conversations', HTMLUListElement),
  empty: $('.empty', HTMLElement),
  thread: $('.thread', HTMLElement),
  placeholder: $('.placeholder', HTMLElement),
  title: $('.thread-title', HTMLElement),
  meta: $('.thread-meta', HTMLElement),
  close: $('.close', HTMLButtonElement),
  older: $('.older', HTMLButtonElement),
  messages: $('.messages', HTMLOListElement),
  typing: $('.typing', HTMLElement),
  form: $('.composer', HTMLFormElement),
  reply: $('.composer textarea', HTMLTextAreaElement),
  send: $('.composer > button', HTMLButtonElement),
  file: $('.composer .file', HTMLInputElement),
  error: $('.error', HTMLElement),
  kind: $('.extra-kind', HTMLSelectElement),
  extras: [...document.querySelectorAll('.extra')].filter((node) => node instanceof HTMLFieldSetElement),
  replies: $('.extra .replies', HTMLTextAreaElement),
  block: $('.extra .block', HTMLInputElement),
  cardLayout: $('.extra .card-layout', HTMLSelectElement),
  cardRows: $('.extra .card-rows', HTMLElement),
  fieldRows: $('.extra .field-rows', HTMLElement),
  submitLabel: $('.extra .submit-label', HTMLInputElement),
  ratingQuestion: $('.extra .rating-question', HTMLInputElement),
  ratingComment: $('.extra .rating-comment', HTMLInputElement),
  visitor: $('.visitor', HTMLElement),
  attributes: $('.visitor .attributes', HTMLElement),
  page: $('.visitor .page', HTMLElement),
  timeline: $('.visitor .timeline', HTMLOListElement)
}

/**
 * @param {string} path
 * @param {RequestInit & { json?: unknown }} [init]
 */
async function api(path, init = {}) {
  const { json, ...rest } = init
  const headers = { ...auth, ...(json === undefined ? {} : { 'content-type': 'application/json' }) }
  const response = await fetch(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) })
  const body = response.status === 204 ? null : await response.json().catch(() => null)
  if (!response.ok) throw new Error(body?.error?.message ?? `${path} answered ${response.status}`)
  return body
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** @param {number} ms */
const time = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/**
 * Who a conversation belongs to: the identified user's name (or email, or site id), else
 * "Visitor" and the start of the visitor id, enough to tell visitors apart.
 * @param {Conversation} c
 */
function visitorName(c) {
  const user = c.visitor?.identified
  if (user) return user.name || user.email || user.id
  return `Visitor ${c.visitorId.replace(/^v_/, '').slice(0, 6)}`
}

/**
 * The thread header's line about the visitor: name, email and site user id when identified.
 * @param {Conversation} c
 */
function visitorDetails(c) {
  const user = c.visitor?.identified
  if (!user) return `anonymous ${c.visitorId}`
  const email = user.email && user.email !== visitorName(c) ? ` <${user.email}>` : ''
  return `${visitorName(c)}${email}, site user ${user.id}`
}

/**
 * @param {Author} author
 * @param {Conversation} [c] The conversation, to name its visitor.
 */
function authorName(author, c) {
  if (author.role === 'visitor') return c ? visitorName(c) : 'Visitor'
  return author.name || (author.role === 'agent' ? 'Agent' : author.role)
}

/** Keep whichever copy of a conversation is newer (events may overtake a list being loaded). @param {Conversation} next */
function upsert(next) {
  const known = conversations.get(next.id)
  if (!known || next.updatedAt >= known.updatedAt || next.status !== known.status) {
    conversations.set(next.id, known ? { ...known, ...next } : next)
  }
}

function renderList() {
  const sorted = [...conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt)
  ui.empty.hidden = sorted.length > 0
  ui.list.replaceChildren(
    ...sorted.map((c) => {
      const item = el('li')
      const button = el('button')
      button.type = 'button'
      button.dataset.testid = 'conversation-item'
      button.dataset.conversationId = c.id
      button.dataset.status = c.status
      button.dataset.waiting = String(c.status === 'open' && c.lastMessage?.author.role === 'visitor')
      button.setAttribute('aria-current', String(c.id === openId))
      button.dataset.visitorId = c.visitorId
      button.dataset.identified = String(Boolean(c.visitor?.identified))
      const top = el('div', 'row')
      const who = el('span')
      const name = el('span', 'who', visitorName(c))
      name.dataset.testid = 'conversation-visitor'
      name.title = c.visitorId
      who.append(name, el('span', 'badge', c.mode))
      if (c.status === 'closed') who.append(el('span', 'badge closed', 'closed'))
      top.append(who, el('span', 'when', time(c.updatedAt)))
      const last = c.lastMessage
      const preview = el('div', 'preview', last ? `${authorName(last.author, c)}: ${last.text}` : 'No messages yet')
      preview.dataset.testid = 'conversation-preview'
      button.append(top)
      const email = c.visitor?.identified?.email
      if (email && email !== visitorName(c)) {
        const line = el('div', 'email', email)
        line.dataset.testid = 'conversation-email'
        button.append(line)
      }
      button.append(preview)
      button.addEventListener('click', () => void openConversation(c.id))
      item.append(button)
      return item
    })
  )
}

function renderThread() {
  const conversation = openId === null ? undefined : conversations.get(openId)
  ui.thread.hidden = !conversation
  ui.placeholder.hidden = Boolean(conversation)
  if (!conversation) return
  ui.title.textContent = conversation.subject || `Conversation with ${visitorName(conversation)}`
  ui.meta.textContent = [visitorDetails(conversation), conversation.mode, conversation.status, conversation.id].join(' · ')
  const closed = conversation.status === 'closed'
  ui.close.disabled = closed
  setComposer()
  ui.older.hidden = olderCursor === null
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40
  // Postbacks among the messages by time; a stable sort keeps the messages in seq order.
  const timeline = [...messages, ...postbacks].sort((a, b) => a.createdAt - b.createdAt)
  ui.messages.replaceChildren(
    ...timeline.map((entry) => ('seq' in entry ? messageNode(entry, conversation) : postbackNode(entry, conversation)))
  )
  if (atBottom) ui.messages.scrollTop = ui.messages.scrollHeight
}

/** The open conversation's visitor: the attributes and the page the site told, and its tracked events, newest first. */
function renderVisitor() {
  const conversation = openId === null ? undefined : conversations.get(openId)
  ui.visitor.hidden = !conversation
  const info = conversation && visitorInfo?.visitorId === conversation.visitorId ? visitorInfo : undefined
  const keys = Object.keys(info?.attributes ?? {}).sort()
  ui.attributes.replaceChildren(
    ...(keys.length === 0
      ? [el('dd', 'none', 'None yet')]
      : keys.flatMap((key) => {
          const name = el('dt', '', key)
          const value = el('dd', '', String(info?.attributes[key]))
          value.dataset.testid = 'agent-attribute'
          value.dataset.key = key
          return [name, value]
        }))
  )
  const page = info?.page
  ui.page.replaceChildren(
    ...(page
      ? [
          link(page.title || page.url, page.url),
          el('span', 'meta', page.title ? page.url : ''),
          el('span', 'meta', `${page.referrer ? `from ${page.referrer} · ` : ''}${time(page.at)}`)
        ]
      : [el('span', 'none', 'Not known')])
  )
  const events = [...(info?.events ?? [])].reverse()
  ui.timeline.replaceChildren(
    ...(events.length === 0
      ? [el('li', 'none', 'Nothing tracked yet')]
      : events.map((event) => {
          const item = el('li')
          item.dataset.testid = 'agent-timeline-event'
          item.append(el('span', 'name', event.name), el('span', 'meta', time(event.at)))
          if (event.metadata !== undefined) item.append(el('code', '', JSON.stringify(event.metadata)))
          return item
        }))
  )
}

/** Load what the site told of the open conversation's visitor. */
async function loadVisitor() {
  const conversation = openId === null ? undefined : conversations.get(openId)
  if (!conversation) return renderVisitor()
  const { visitorId } = conversation
  /** @type {VisitorDetails} */
  const details = await api(`/v1/agent/visitors/${encodeURIComponent(visitorId)}`)
  if (conversations.get(openId ?? '')?.visitorId !== visitorId) return
  visitorInfo = { visitorId, attributes: details.attributes, events: details.events, ...(details.page ? { page: details.page } : {}) }
  renderVisitor()
}

/** Whether the composer can send: an open conversation, or a closed one for its rating request. */
function setComposer() {
  const closed = conversations.get(openId ?? '')?.status === 'closed'
  const blocked = closed && ui.kind.value !== 'rating'
  ui.reply.disabled = blocked
  ui.send.disabled = blocked
}

/**
 * @param {Message} m
 * @param {Conversation} conversation
 */
function messageNode(m, conversation) {
  const item = el('li', 'message')
  item.dataset.testid = 'agent-message'
  item.dataset.role = m.author.role
  item.dataset.seq = String(m.seq)
  item.append(el('div', 'meta', `${authorName(m.author, conversation)} · ${time(m.createdAt)}`))
  if (m.replyTo) item.append(el('div', 'answers', answering(m.replyTo)))
  const parts = Array.isArray(m.parts) ? m.parts : []
  // A form response's or a rating's text repeats what its part shows.
  if (!parts.some((part) => part.type === 'form-response' || part.type === 'rating-response')) item.append(el('div', 'text', m.text))
  for (const part of parts) item.append(partNode(part))
  if (m.actions?.length) item.append(chips(m.actions, 'Buttons'))
  if (m.replies?.length) item.append(chips(m.replies, 'Quick replies'))
  if (m.blockComposer) item.append(el('div', 'answers', 'The visitor must choose before writing'))
  return item
}

/**
 * A postback as a line of the thread, with the label of the button that sent it when it is shown.
 * @param {Postback} postback
 * @param {Conversation} conversation
 */
function postbackNode(postback, conversation) {
  const action = actionOf(postback.messageId, postback.actionId)
  const used = action ? `used “${action.label}”` : 'sent a postback'
  const item = el('li', 'message system', `${visitorName(conversation)} ${used} (payload ${postback.payload}) · ${time(postback.createdAt)}`)
  item.dataset.testid = 'agent-postback'
  return item
}

/**
 * The button or quick reply `actionId` of the loaded message `messageId`.
 * @param {string | undefined} messageId
 * @param {string | undefined} actionId
 * @returns {Action | undefined}
 */
function actionOf(messageId, actionId) {
  const m = messages.find((message) => message.id === messageId)
  if (!m || actionId === undefined) return undefined
  const cards = (m.parts ?? []).flatMap((part) => (part.type === 'cards' && Array.isArray(part.items) ? part.items : []))
  return [...(m.replies ?? []), ...(m.actions ?? []), ...cards.flatMap((card) => card.actions ?? [])].find((a) => a.id === actionId)
}

/** What a message answers, in words. @param {{ messageId: string, actionId?: string }} replyTo */
function answering(replyTo) {
  const action = actionOf(replyTo.messageId, replyTo.actionId)
  if (action) return `↩ chose “${action.label}”`
  const m = messages.find((message) => message.id === replyTo.messageId)
  return m ? `↩ answers message ${m.seq}` : '↩ answers an earlier message'
}

/**
 * `url` if it parses and has one of `schemes`, for an href or a src; else undefined.
 * @param {unknown} url
 * @param {string[]} [schemes]
 */
function safeUrl(url, schemes = ['http:', 'https:']) {
  if (typeof url !== 'string') return undefined
  try {
    const parsed = new URL(url)
    return schemes.includes(parsed.protocol) ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/**
 * A link that opens in a new tab, or plain text when `url` is not one of `schemes`.
 * @param {string} text
 * @param {unknown} url
 * @param {string[]} [schemes]
 */
function link(text, url, schemes) {
  const href = safeUrl(url, schemes)
  if (!href) return el('span', '', text)
  const a = el('a', '', text)
  a.href = href
  a.target = '_blank'
  a.rel = 'noopener noreferrer'
  return a
}

/**
 * An image from an http(s) URL, or its alt text. Its size, when known, is reserved before it loads.
 * @param {unknown} url
 * @param {unknown} alt
 * @param {{ width?: unknown, height?: unknown }} [size]
 */
function image(url, alt, size = {}) {
  const src = safeUrl(url)
  const text = typeof alt === 'string' ? alt : ''
  if (!src) return el('span', '', `[image${text ? `: ${text}` : ''}]`)
  const img = el('img')
  img.src = src
  img.alt = text
  img.loading = 'lazy'
  img.referrerPolicy = 'no-referrer'
  if (Number.isInteger(size.width) && Number.isInteger(size.height)) {
    img.width = Number(size.width)
    img.height = Number(size.height)
  }
  return img
}

/**
 * Buttons or quick replies, as labels saying what each does.
 * @param {Action[]} actions
 * @param {string} what
 */
function chips(actions, what) {
  const row = el('div', 'chips')
  row.setAttribute('aria-label', what)
  for (const action of actions) {
    const chip = el('span', 'chip')
    chip.dataset.type = String(action.type)
    if (action.type === 'link') chip.append(link(`${action.label} ↗`, action.url, ['http:', 'https:', 'mailto:', 'tel:']))
    else if (action.type === 'postback') chip.textContent = `${action.label} ⇢ ${action.payload}`
    else if (action.type === 'host') {
      // Handed to the visitor's page, which decides: its name and data say what for.
      chip.textContent = `${action.label} · ${action.name}`
      chip.title = JSON.stringify(action.data ?? {})
    }
    else chip.textContent = action.label
    row.append(chip)
  }
  return row
}

/** @param {number} bytes */
const size = (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`)

/** One part, readable. @param {Part} part */
function partNode(part) {
  const box = el('div', 'part')
  box.dataset.testid = 'agent-part'
  box.dataset.type = String(part.type)
  switch (part.type) {
    case 'image':
      box.append(image(part.url, part.alt, { width: part.width, height: part.height }))
      break
    case 'file': {
      // The server serves every file but a picture as an attachment: a click downloads it.
      const download = link(`📎 ${part.name}${typeof part.size === 'number' ? ` (${size(part.size)})` : ''}`, part.url)
      download.classList.add('file')
      box.append(download)
      break
    }
    case 'location': {
      const place = [part.name, part.address].filter(Boolean).join(', ') || `${part.latitude}, ${part.longitude}`
      const map = `https://www.openstreetmap.org/?mlat=${Number(part.latitude)}&mlon=${Number(part.longitude)}`
      box.append(link(`📍 ${place}`, map))
      break
    }
    case 'cards': {
      const list = el('div', 'cards')
      list.dataset.layout = String(part.layout)
      for (const card of Array.isArray(part.items) ? part.items : []) {
        const node = el('div', 'card')
        if (card.imageUrl) node.append(image(card.imageUrl, card.imageAlt))
        node.append(el('div', 'title', String(card.title)))
        if (card.description) node.append(el('div', 'description', String(card.description)))
        if (card.actions?.length) node.append(chips(card.actions, 'Card buttons'))
        list.append(node)
      }
      box.append(list)
      break
    }
    case 'form': {
      box.append(el('div', 'answers', 'Form:'))
      const fields = el('dl', 'fields')
      for (const field of Array.isArray(part.fields) ? part.fields : []) {
        const choices = Array.isArray(field.options) ? `: ${field.options.map((/** @type {{ label: string }} */ o) => o.label).join(', ')}` : ''
        fields.append(el('dt', '', String(field.label)), el('dd', '', `${field.type}${field.required ? ', required' : ''}${choices}`))
      }
      box.append(fields, el('div', 'answers', `Button: ${part.submitLabel ?? 'Submit'}`))
      break
    }
    case 'form-response': {
      const fields = el('dl', 'fields')
      for (const answer of Array.isArray(part.fields) ? part.fields : []) {
        fields.append(el('dt', '', String(answer.label)), el('dd', '', [answer.value].flat().join(', ') || '—'))
      }
      box.append(fields)
      break
    }
    case 'rating':
      box.append(el('div', 'answers', `Rating request: ${part.question ?? 'How would you rate this conversation?'}${part.comment ? ' (with a comment box)' : ''}`))
      break
    case 'rating-response': {
      const score = Math.max(0, Math.min(5, Math.round(Number(part.score)) || 0))
      const stars = el('span', 'stars', '★'.repeat(score) + '☆'.repeat(5 - score))
      stars.setAttribute('aria-hidden', 'true')
      box.append(stars, el('span', '', ` rated ${score} out of 5`))
      if (part.comment) box.append(el('div', 'text', `“${part.comment}”`))
      break
    }
    default:
      box.append(el('span', 'answers', `[a part of type ${String(part.type)}]`))
  }
  return box
}

/** @param {string} text */
function showError(text) {
  ui.error.textContent = text
  ui.error.hidden = text === ''
}

/** Add messages to the open thread, in seq order, without duplicates. @param {Message[]} incoming */
function merge(incoming) {
  const bySeq = new Map(messages.map((m) => [m.seq, m]))
  for (const m of incoming) if (m.conversationId === openId) bySeq.set(m.seq, m)
  messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

async function loadConversations() {
  const { conversations: list } = await api('/v1/agent/conversations')
  for (const c of /** @type {Conversation[]} */ (list)) upsert(c)
  renderList()
}

/** @param {string} id */
async function openConversation(id) {
  if (openId !== id) {
    openId = id
    messages = []
    postbacks = []
    pending = { key: '', clientId: '' }
    ui.reply.value = ''
    ui.file.value = ''
    resetExtras()
    stopTyping()
    showVisitorTyping(false)
    showError('')
  }
  renderList()
  renderVisitor()
  void loadVisitor().catch((error) => showError(`Visitor details not loaded: ${error.message}`))
  const path = `/v1/agent/conversations/${encodeURIComponent(id)}`
  const [page, taken] = await Promise.all([api(`${path}/messages?limit=100`), api(`${path}/postbacks`)])
  if (openId !== id) return
  merge(page.messages)
  postbacks = taken.postbacks
  olderCursor = page.before
  renderThread()
  ui.messages.scrollTop = ui.messages.scrollHeight
  ui.reply.focus()
}

async function loadOlder() {
  if (openId === null || olderCursor === null) return
  const id = openId
  const page = await api(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?limit=100&before=${olderCursor}`)
  if (openId !== id) return
  merge(page.messages)
  olderCursor = page.before
  renderThread()
}

/** Fetch what the open thread misses after its newest message (a gap in seq). */
async function catchUp() {
  if (openId === null) return
  const id = openId
  const after = messages.length > 0 ? /** @type {Message} */ (messages[messages.length - 1]).seq : 0
  const page = await api(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?limit=100&after=${after}`)
  if (openId !== id) return
  merge(page.messages)
  renderThread()
}

async function sendReply() {
  if (openId === null) return
  const id = openId
  const text = ui.reply.value
  const file = ui.file.files?.[0]
  /** @type {Content | undefined} */
  let content
  try {
    content = compose(text.trim())
  } catch (error) {
    return showError(/** @type {Error} */ (error).message)
  }
  if (!content && !file) return
  const key = JSON.stringify([content, file && [file.name, file.size, file.lastModified]])
  if (pending.key !== key) pending = { key, clientId: crypto.randomUUID() }
  ui.send.disabled = true
  try {
    // The file first: the message names it only once the server holds its bytes.
    const attached = file ? [await attach(id, file, pending.clientId)] : []
    const message = await api(`/v1/agent/conversations/${encodeURIComponent(id)}/messages`, {
      method: 'POST',
      json: { ...withFiles(content, attached, file?.name ?? ''), clientId: pending.clientId }
    })
    if (ui.reply.value === text) ui.reply.value = ''
    if (ui.file.files?.[0] === file) ui.file.value = ''
    resetExtras()
    pending = { key: '', clientId: '' }
    showError('')
    stopTyping()
    merge([message])
    renderThread()
  } catch (error) {
    showError(`Not sent: ${/** @type {Error} */ (error).message}. Press Enter to try again.`)
  } finally {
    setComposer()
  }
}

/**
 * `content` with the attached files' parts after its own (a file alone is sent with its name as text).
 * @param {Content | undefined} content
 * @param {Part[]} attached
 * @param {string} name
 * @returns {Content}
 */
function withFiles(content, attached, name) {
  const base = content ?? { text: name }
  return attached.length === 0 ? base : { ...base, parts: [...(base.parts ?? []), ...attached] }
}

/**
 * Upload `file` to the conversation (a slot from the server, then a PUT of its bytes) and answer
 * the part that shows it: an image for a picture (with its size), else a file to download. Asking
 * again with the same `clientId` after a failure reuses the slot, or skips the PUT once stored.
 * @param {string} conversationId
 * @param {File} file
 * @param {string} clientId
 * @returns {Promise<Part>}
 */
async function attach(conversationId, file, clientId) {
  const type = (file.type || 'application/octet-stream').toLowerCase()
  const slot = await api(`/v1/agent/conversations/${encodeURIComponent(conversationId)}/uploads`, {
    method: 'POST',
    json: { clientId, name: file.name, size: file.size, type }
  })
  if (!slot.stored) {
    const put = await fetch(slot.putUrl, { method: 'PUT', headers: slot.headers, body: file })
    const said = put.ok ? null : await put.json().catch(() => null)
    if (!put.ok) throw new Error(said?.error?.message ?? `the upload of ${file.name} answered ${put.status}`)
  }
  const described = { url: slot.getUrl, name: file.name, size: file.size, mediaType: type }
  if (!/^image\/(jpeg|png|gif|webp)$/.test(type)) return { type: 'file', ...described }
  return { type: 'image', ...described, alt: '', ...(await dimensions(file)) }
}

/**
 * A picture's width and height, or nothing when the browser cannot decode it.
 * @param {Blob} file
 * @returns {Promise<{ width?: number, height?: number }>}
 */
async function dimensions(file) {
  try {
    const bitmap = await createImageBitmap(file)
    const { width, height } = bitmap
    bitmap.close()
    return { width, height }
  } catch {
    return {}
  }
}

/**
 * The message to send: the text, with what the "Add to the message" choice adds. A text left empty
 * gets one that says the same (every message has text: the visitor's fallback, previews, search).
 * Undefined when there is nothing to send; throws an error a person can act on.
 * @param {string} text
 * @returns {Content | undefined}
 */
function compose(text) {
  const extra = extras[/** @type {keyof typeof extras} */ (ui.kind.value)]?.()
  if (!extra) return text ? { text } : undefined
  const { fallback, ...content } = extra
  return { text: text || fallback, ...content }
}

/** Lines of a textarea, trimmed, without the empty ones. @param {string} value */
const lines = (value) => value.split('\n').map((line) => line.trim()).filter(Boolean)

/** A field name or choice value from a label: letters, digits and dashes. @param {string} label @param {number} index */
const slug = (label, index) => `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'field'}-${index + 1}`

/**
 * The inputs of the rows of a rows container, by their `name`: strings, and booleans for checkboxes.
 * @param {HTMLElement} rows
 * @returns {Record<string, any>[]}
 */
const rowValues = (rows) =>
  [...rows.children].map((row) =>
    Object.fromEntries(
      [...row.querySelectorAll('input, select')].map((input) => {
        const field = /** @type {HTMLInputElement} */ (input)
        return [field.name, field.type === 'checkbox' ? field.checked : field.value.trim()]
      })
    )
  )

/** @type {Record<string, () => Omit<Content, 'text'> & { fallback: string }>} */
const extras = {
  replies() {
    const replies = lines(ui.replies.value).map((line, i) => {
      const [label = '', payload] = line.split('=>').map((piece) => piece.trim())
      return payload ? { type: 'postback', id: `r${i + 1}`, label, payload } : { type: 'reply', id: `r${i + 1}`, label }
    })
    if (replies.length === 0) throw new Error('Write at least one quick reply, one per line.')
    return { replies, ...(ui.block.checked ? { blockComposer: true } : {}), fallback: `Choose: ${replies.map((r) => r.label).join(', ')}` }
  },
  cards() {
    const items = rowValues(ui.cardRows)
      .filter((row) => row.title)
      .map((row, i) => {
        const actions = []
        if (row.link) actions.push({ type: 'link', id: `c${i + 1}-link`, label: 'Details', url: row.link })
        if (row.price !== '') {
          const amount = Math.round(Number(row.price) * 100)
          if (!(amount > 0)) throw new Error(`Card ${i + 1}: the price must be a number above 0.`)
          const label = `Buy for €${(amount / 100).toFixed(2).replace(/\.00$/, '')}`
          actions.push({ type: 'host', id: `c${i + 1}-buy`, label, name: 'buy', data: { amount, currency: 'EUR' } })
        }
        return {
          title: row.title,
          ...(row.description ? { description: row.description } : {}),
          ...(row.image ? { imageUrl: row.image, imageAlt: '' } : {}),
          ...(actions.length ? { actions } : {})
        }
      })
    if (items.length === 0) throw new Error('Give at least one card a title.')
    return { parts: [{ type: 'cards', layout: ui.cardLayout.value, items }], fallback: items.map((item) => item.title).join(', ') }
  },
  form() {
    const fields = rowValues(ui.fieldRows)
      .filter((row) => row.label)
      .map((row, i) => {
        const choice = row.type === 'select' || row.type === 'multiselect'
        const options = choice ? row.options.split(',').map((/** @type {string} */ o) => o.trim()).filter(Boolean) : []
        if (choice && options.length === 0) throw new Error(`Field ${i + 1}: list its choices, separated by commas.`)
        return {
          name: slug(row.label, i),
          label: row.label,
          type: row.type,
          ...(row.required ? { required: true } : {}),
          ...(choice ? { options: options.map((/** @type {string} */ label, /** @type {number} */ n) => ({ value: slug(label, n), label })) } : {})
        }
      })
    if (fields.length === 0) throw new Error('Give at least one field a label.')
    const submitLabel = ui.submitLabel.value.trim()
    return { parts: [{ type: 'form', fields, ...(submitLabel ? { submitLabel } : {}) }], fallback: 'Please fill in the form.' }
  },
  rating() {
    const question = ui.ratingQuestion.value.trim()
    return {
      parts: [{ type: 'rating', ...(question ? { question } : {}), comment: ui.ratingComment.checked }],
      fallback: question || 'How would you rate this conversation?'
    }
  }
}

/** Show the inputs of the chosen addition only. */
function showExtra() {
  for (const fieldset of ui.extras) fieldset.hidden = fieldset.dataset.kind !== ui.kind.value
  setComposer()
}

/** Back to a plain message, the additions' inputs emptied. */
function resetExtras() {
  ui.kind.value = ''
  for (const node of document.querySelectorAll('.extra input, .extra textarea')) {
    const field = /** @type {HTMLInputElement} */ (node)
    if (field.type === 'checkbox') field.checked = field.defaultChecked
    else field.value = ''
  }
  showExtra()
}

/**
 * Rows of inputs for the cards and the form.
 * @param {HTMLElement} container
 * @param {number} count
 * @param {string} testid
 * @param {(n: number) => HTMLElement[]} inputs
 */
function addRows(container, count, testid, inputs) {
  for (let n = 1; n <= count; n++) {
    const row = el('div', 'row-inputs')
    row.dataset.testid = testid
    row.append(...inputs(n))
    container.append(row)
  }
}

/**
 * @param {string} name
 * @param {string} label
 * @param {string} [type]
 */
function input(name, label, type = 'text') {
  const field = el('input')
  field.name = name
  field.type = type
  field.placeholder = label
  field.setAttribute('aria-label', label)
  return field
}

addRows(ui.cardRows, 3, 'agent-card', (n) => {
  const price = input('price', `Card ${n}: buy price in €`, 'number')
  price.min = '0'
  price.step = '0.01'
  return [
    input('title', `Card ${n}: title`),
    input('description', `Card ${n}: description`),
    input('image', `Card ${n}: image URL (https://…)`, 'url'),
    input('link', `Card ${n}: details link (https://…)`, 'url'),
    price
  ]
})
addRows(ui.fieldRows, 4, 'agent-form-field', (n) => {
  const type = el('select')
  type.name = 'type'
  type.setAttribute('aria-label', `Field ${n}: type`)
  for (const value of ['text', 'email', 'number', 'select', 'multiselect']) type.append(new Option(value, value))
  const required = el('label', '', ' required')
  const box = input('required', `Field ${n}: required`, 'checkbox')
  required.prepend(box)
  return [input('label', `Field ${n}: label`), type, required, input('options', `Field ${n}: choices, comma-separated (select)`)]
})

// Typing, both ways, as the widget does it (src/client/typing.ts): "typing" is said on the first key
// and again every 3 s while keys keep coming (one lost on the way is made good); "stopped" on send,
// on blur, when the reply is emptied, when another conversation opens and after 5 s without a key.
// The visitor's "typing" shows for 7 s unless said again, so a lost "stopped" does not leave it on.
const TYPING_REFRESH = 3000
const TYPING_PAUSE = 5000
const TYPING_SHOWN = 7000
/** The conversation the visitor was told the agent types in, and when it was last said. @type {{ id: string, at: number } | null} */
let typingIn = null
/** @type {ReturnType<typeof setTimeout> | undefined} */
let typingPause
/** @type {ReturnType<typeof setTimeout> | undefined} */
let visitorTyping

/**
 * @param {string} id
 * @param {boolean} on
 */
function tellTyping(id, on) {
  api(`/v1/agent/conversations/${encodeURIComponent(id)}/typing`, { method: 'POST', json: { typing: on } }).catch(() => {})
}

function typed() {
  if (openId === null) return
  if (ui.reply.value.trim() === '') return stopTyping()
  if (typingIn && typingIn.id !== openId) stopTyping()
  clearTimeout(typingPause)
  typingPause = setTimeout(stopTyping, TYPING_PAUSE)
  if (typingIn && Date.now() - typingIn.at < TYPING_REFRESH) return
  typingIn = { id: openId, at: Date.now() }
  tellTyping(openId, true)
}

function stopTyping() {
  clearTimeout(typingPause)
  if (!typingIn) return
  tellTyping(typingIn.id, false)
  typingIn = null
}

/** Show "Visitor is typing…" for the open conversation, or hide it. @param {boolean} on */
function showVisitorTyping(on) {
  clearTimeout(visitorTyping)
  ui.typing.hidden = !on
  if (on) visitorTyping = setTimeout(() => (ui.typing.hidden = true), TYPING_SHOWN)
}

/**
 * @param {string} name
 * @param {any} data
 */
function onEvent(name, data) {
  if (name === 'conversation') {
    upsert(data.conversation)
    renderList()
    if (data.conversation.id !== openId) return
    renderThread()
    // Merged into a user: the details are the user's now.
    if (data.conversation.visitorId !== visitorInfo?.visitorId) void loadVisitor().catch(() => {})
  } else if (name === 'message') {
    /** @type {Message} */
    const message = data.message
    const known = conversations.get(message.conversationId)
    if (!known) return void loadConversations().catch(() => {})
    upsert({ ...known, updatedAt: Math.max(known.updatedAt, message.createdAt), lastMessage: message })
    renderList()
    if (message.conversationId !== openId) return
    const newest = messages[messages.length - 1]
    if (newest && message.seq > newest.seq + 1) return void catchUp().catch(() => {})
    if (message.author.role === 'visitor') showVisitorTyping(false)
    merge([message])
    renderThread()
  } else if (name === 'postback') {
    /** @type {Postback} */
    const postback = data.postback
    if (postback.conversationId !== openId || postbacks.some((p) => p.id === postback.id)) return
    postbacks = [...postbacks, postback]
    renderThread()
  } else if (name === 'visitor' || name === 'visitor-event') {
    // What the site told of a visitor: shown when it is the open conversation's.
    if (!visitorInfo || data.visitorId !== visitorInfo.visitorId) return
    if (name === 'visitor') {
      const { page, ...rest } = visitorInfo
      visitorInfo = { ...rest, attributes: data.attributes, ...(data.page ? { page: data.page } : page ? { page } : {}) }
    } else if (!visitorInfo.events.some((event) => event.clientId === data.event.clientId)) {
      visitorInfo = { ...visitorInfo, events: [...visitorInfo.events, data.event].sort((a, b) => a.at - b.at).slice(-100) }
    }
    renderVisitor()
  } else if (name === 'typing') {
    if (data.conversationId === openId && data.author.role === 'visitor') {
      const open = conversations.get(data.conversationId)
      ui.typing.textContent = `${open ? visitorName(open) : 'Visitor'} is typing…`
      showVisitorTyping(data.typing)
    }
  } else if (name === 'reset') {
    // Events were missed for good: reload what is shown.
    void loadConversations().catch(() => {})
    if (openId !== null) void openConversation(openId).catch(() => {})
  }
}

/** @param {'connecting' | 'online' | 'reconnecting' | 'unauthorized'} status */
function setConnection(status) {
  ui.connection.dataset.status = status
  ui.connection.textContent = status === 'unauthorized' ? `agent key "${key}" refused` : status
}

/**
 * Read `/v1/agent/events` with streaming fetch (it can send the Authorization header, which
 * EventSource cannot), and reconnect with Last-Event-ID after a drop.
 */
async function listen() {
  let attempt = 0
  for (;;) {
    try {
      const headers = { ...auth, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }
      const response = await fetch('/v1/agent/events', { headers, cache: 'no-store' })
      if (response.status === 401) return setConnection('unauthorized')
      if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`)
      setConnection('online')
      attempt = 0
      // Without a cursor nothing is replayed: load the current state once the stream is open.
      if (!lastEventId) void loadConversations().catch((error) => showError(String(error.message)))
      // What the site told of visitors meanwhile is never replayed either.
      else void loadVisitor().catch(() => {})
      await readEvents(response.body)
    } catch {
      // Dropped; fall through to reconnect.
    }
    setConnection('reconnecting')
    attempt++
    const delay = Math.min(10_000, 1000 * 2 ** Math.min(attempt - 1, 4))
    await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)))
  }
}

/** @param {ReadableStream<Uint8Array>} body */
async function readEvents(body) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let event = ''
  let data = ''
  let id = lastEventId
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    const lines = buffer.split(/\r\n|\r|\n/)
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (line === '') {
        lastEventId = id
        if (data !== '') {
          try {
            onEvent(event || 'message', JSON.parse(data))
          } catch {}
        }
        event = ''
        data = ''
        continue
      }
      const colon = line.indexOf(':')
      if (colon === 0) continue
      const field = colon === -1 ? line : line.slice(0, colon)
      const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = text
      else if (field === 'data') data += data === '' ? text : `\n${text}`
      else if (field === 'id') id = text
    }
  }
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault()
  void sendReply()
})
ui.reply.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault()
    void sendReply()
  }
})
ui.reply.addEventListener('input', typed)
ui.reply.addEventListener('blur', stopTyping)
ui.close.addEventListener('click', () => {
  if (openId === null) return
  api(`/v1/agent/conversations/${encodeURIComponent(openId)}/close`, { method: 'POST' })
    .then((conversation) => {
      upsert(conversation)
      renderList()
      renderThread()
    })
    .catch((error) => showError(`Not closed: ${error.message}`))
})
ui.kind.addEventListener('change', showExtra)
ui.older.addEventListener('click', () => void loadOlder().catch((error) => showError(error.message)))

void listen()
